// `tinyencoder embed`: sentence vectors (or contextual token vectors) for texts given as
// arguments or, with none, one per line of standard input. Input is read and written in chunks,
// so memory grows with the chunk, not with the file. Output: tsv (one vector per line, tab-
// separated) or json; --pooling none gives one line per token, "LINE<TAB>TOKEN<TAB>floats…".
// Not handled: text pairs.

import Encoder
import Foundation
import TensorCore

enum EmbedCommand: Command {
    static let name = "embed"
    static let summary = "sentence (or token) vectors for texts, with the shipped model by default"
    static let usage = """
        usage: tinyencoder embed [--model DIR] [--pooling cls|mean|max|none] [--format tsv|json]
                                 [--truncate] [--batch N] [--threads N] [TEXT ...]
          No TEXT: one text per line of standard input.
          --pooling   the folder's pooling by default (sentence-transformers files), else mean;
                      none prints token vectors: LINE_INDEX<TAB>TOKEN_INDEX<TAB>floats…
          --format    tsv (default): one vector per line; json: an array of vectors
          --truncate  cut texts longer than the model's positions (otherwise they are refused; a
                      sentence-transformers folder with max_seq_length is cut there, as it does)
          --model     default: $TINYENCODER_MODEL, else the shipped model in Weights/
        """
    static let flagNames: Set<String> = ["truncate"]

    static func run(_ arguments: inout Arguments) throws {
        let modelOption = arguments.string("model")
        let poolingName = arguments.string("pooling")
        let format = arguments.string("format") ?? "tsv"
        let truncate = arguments.flag("truncate")
        let batch = try arguments.int("batch", default: 32, in: 1...4096)
        try arguments.rejectUnknown()
        let modelURL = try DefaultModel.resolve(modelOption)  // after rejectUnknown: a misspelt --model is named as such
        guard ["tsv", "json"].contains(format) else { throw CLIError("embed: --format must be tsv or json, got \"\(format)\"") }
        let embedder = try SentenceEmbedder(folder: modelURL)
        if truncate { embedder.truncates = true }  // a sentence-transformers folder with max_seq_length truncates anyway
        embedder.batchSize = batch
        var tokens = false
        if let poolingName {
            if poolingName == "none" {
                tokens = true
            } else {
                guard let strategy = PoolingStrategy(rawValue: poolingName) else {
                    throw CLIError("embed: --pooling must be cls, mean, max or none, got \"\(poolingName)\"")
                }
                embedder.pooling = Pooling(strategy, normalize: embedder.pooling.normalize)
            }
        }
        let output = OutputWriter()
        var first = true
        var lineIndex = 0
        if format == "json" { output.write("[") }
        func emit(_ texts: [String]) throws {
            if tokens {
                let vectors = try embedder.tokenVectors(texts)
                for perText in vectors {
                    if format == "json" {
                        output.write((first ? "" : ",") + "\n[" + perText.map { "[" + $0.map { "\($0)" }.joined(separator: ",") + "]" }.joined(separator: ",") + "]")
                    } else {
                        for (tokenIndex, vector) in perText.enumerated() {
                            output.write("\(lineIndex)\t\(tokenIndex)\t" + vector.map { "\($0)" }.joined(separator: "\t") + "\n")
                        }
                    }
                    first = false
                    lineIndex += 1
                }
            } else {
                for vector in try embedder.embed(texts) {
                    if format == "json" {
                        output.write((first ? "" : ",") + "\n[" + vector.map { "\($0)" }.joined(separator: ",") + "]")
                    } else {
                        output.write(vector.map { "\($0)" }.joined(separator: "\t") + "\n")
                    }
                    first = false
                    lineIndex += 1
                }
            }
        }
        if arguments.positionals.isEmpty {
            var chunk: [String] = []
            while let line = readLine(strippingNewline: true) {
                chunk.append(line)
                if chunk.count == 1024 { try emit(chunk); chunk.removeAll(keepingCapacity: true) }
            }
            if !chunk.isEmpty { try emit(chunk) }
        } else {
            try emit(arguments.positionals)
        }
        if format == "json" { output.write("\n]\n") }
        output.flush()
    }
}

/// Buffered standard output.
final class OutputWriter {
    private var buffer = Data()

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count > 1 << 16 { flush() }
    }

    func flush() {
        FileHandle.standardOutput.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
