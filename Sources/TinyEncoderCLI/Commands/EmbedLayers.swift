// EmbedLayers: `embed --layer N|all` and `embed --words`, the contextual-embedding outputs of
// embed. One forward pass per batch gives every layer (SentenceEmbedder.layerStates); a single
// layer reuses embed's writers (EmbedOutput.swift), every layer and words are written here as
// tsv or json, with the layer index and the word itself on each line.
// Not handled: npy and safetensors for --layer all or --words (several matrices, and strings).

import Encoder
import Foundation
import TensorCore
import Tokenization

/// `--layer N|all`: one layer, or every layer 0...L.
enum LayerSelection: Equatable {
    case one(Int)
    case all

    /// "all" or a whole number ≥ 0 (its upper bound is the model's, checked once it is loaded).
    static func parse(_ text: String, command: String) throws -> LayerSelection {
        if text == "all" { return .all }
        guard let layer = Int(text), layer >= 0 else {
            throw CLIError("\(command): --layer must be a layer number (0 is the embedding output) or all, got \"\(text)\"")
        }
        return .one(layer)
    }

    /// The layers of `embedder`, or `ContextualError.layerOutOfRange`.
    func layers(of embedder: SentenceEmbedder) throws -> [Int] {
        switch self {
        case .all: return embedder.allLayers
        case let .one(layer): return try embedder.checkLayers([layer])
        }
    }
}

extension WordPooling: OptionChoice {}

/// Writes --layer all and --words output as tsv or json.
///
/// tsv lines: sentences "TEXT<TAB>LAYER<TAB>numbers"; tokens "TEXT<TAB>LAYER<TAB>TOKEN<TAB>numbers";
/// words "TEXT<TAB>[LAYER<TAB>]WORD_INDEX<TAB>WORD<TAB>numbers" (LAYER only with --layer all).
/// json: per text, sentences an array of one vector per layer; tokens an array per layer of token
/// vectors; words an array of {"word", "vector"} (one layer) or {"word", "layers"} (all).
final class LayeredTextSink {
    let output: ByteOutput
    let json: Bool
    let layers: [Int]
    let showsLayer: Bool
    private var textIndex = 0

    init(_ output: ByteOutput, json: Bool, layers: [Int], showsLayer: Bool) throws {
        (self.output, self.json, self.layers, self.showsLayer) = (output, json, layers, showsLayer)
        if json { try output.write("[") }
    }

    private func numbers(_ vector: [Float], _ separator: String) -> String {
        TextEmbeddingSink.numbers(vector, separator: separator)
    }

    private func openText() throws {
        if json { try output.write(textIndex == 0 ? "\n" : ",\n") }
    }

    /// [text][layer position][C].
    func write(sentences: [[[Float]]]) throws {
        for perLayer in sentences {
            try openText()
            if json {
                try output.write("[" + perLayer.map { "[" + numbers($0, ",") + "]" }.joined(separator: ",") + "]")
            } else {
                for (position, vector) in perLayer.enumerated() {
                    try output.write("\(textIndex)\t\(layers[position])\t" + numbers(vector, "\t") + "\n")
                }
            }
            textIndex += 1
        }
    }

    /// Each text's token vectors at every layer held.
    func write(tokens: [TextLayerStates]) throws {
        for states in tokens {
            try openText()
            if json {
                let perLayer = states.layers.indices.map { position in
                    "[" + states.tokenVectors(position: position).map { "[" + numbers($0, ",") + "]" }.joined(separator: ",") + "]"
                }
                try output.write("[" + perLayer.joined(separator: ",") + "]")
            } else {
                for position in states.layers.indices {
                    for (token, vector) in states.tokenVectors(position: position).enumerated() {
                        try output.write("\(textIndex)\t\(states.layers[position])\t\(token)\t" + numbers(vector, "\t") + "\n")
                    }
                }
            }
            textIndex += 1
        }
    }

    /// Each text's word vectors at every layer held.
    func write(words texts: [TextLayerStates], pooling: WordPooling) throws {
        for states in texts {
            let words = states.words
            let vectors = states.wordVectors(words, pooling: pooling)      // [layer position][word][C]
            try openText()
            if json {
                let entries = words.indices.map { index -> String in
                    let name = Safetensors.jsonString(words[index].text)
                    if !showsLayer { return "{\"word\":\(name),\"vector\":[" + numbers(vectors[0][index], ",") + "]}" }
                    return "{\"word\":\(name),\"layers\":[" + vectors.map { "[" + numbers($0[index], ",") + "]" }.joined(separator: ",") + "]}"
                }
                try output.write("[" + entries.joined(separator: ",") + "]")
            } else {
                for position in states.layers.indices {
                    let layer = showsLayer ? "\(states.layers[position])\t" : ""
                    for (index, word) in words.enumerated() {
                        let text = word.text.replacingOccurrences(of: "\t", with: " ").replacingOccurrences(of: "\n", with: " ")
                        try output.write("\(textIndex)\t\(layer)\(index)\t\(text)\t" + numbers(vectors[position][index], "\t") + "\n")
                    }
                }
            }
            textIndex += 1
        }
    }

    func finish() throws {
        if json { try output.write(textIndex == 0 ? "]\n" : "\n]\n") }
        try output.flush()
    }
}
