// LayerStates: every layer's token vectors for texts, from one forward pass per batch, as HF's
// `output_hidden_states=True` gives them: layer 0 is the embedding output, layer l the output of
// block l (for a pre-LN model the last one is after the final LayerNorm, so it equals `tokenVectors`).
// Also the sentence vector of a text at one layer: that layer's tokens pooled (no Dense modules,
// which belong to the last layer's output).
// Reference: HF transformers BertModel(output_hidden_states=True); Tenney et al. (2019) read
// layers this way.
// Not handled: the attention internals of a layer (AttentionInternals); text pairs. Errors: ContextualError.swift.

import Autograd
import Foundation
import TensorCore
import Tokenization

/// One text's token vectors at some layers, with the tokenizer's encoding of it.
public struct TextLayerStates: Sendable {
    /// The text as the tokenizer saw it (lowercased when the folder asks); offsets index its UTF-8 bytes.
    public let text: String
    /// Ids, offsets and word indices of every token, special tokens included.
    public let encoding: Encoding
    /// The layers held, in the order asked.
    public let layers: [Int]
    /// Model width C.
    public let width: Int
    /// `states[i]` is layer `layers[i]`, row-major [T, C].
    public let states: [[Float]]

    /// Token `token`'s vector at `layers[position]`, C values.
    public func vector(position: Int, token: Int) -> ArraySlice<Float> {
        states[position][(token * width)..<((token + 1) * width)]
    }

    /// Every token's vector at `layers[position]`: [T][C].
    public func tokenVectors(position: Int) -> [[Float]] {
        (0..<encoding.count).map { Array(vector(position: position, token: $0)) }
    }
}

extension SentenceEmbedder {
    /// The layers 0...L, or throws `ContextualError.layerOutOfRange` for a layer outside them.
    public func checkLayers(_ layers: [Int]) throws -> [Int] {
        for layer in layers where layer < 0 || layer > config.layerCount {
            throw ContextualError.layerOutOfRange(layer: layer, layerCount: config.layerCount)
        }
        return layers
    }

    /// Every layer, 0 (the embedding output) to L (the last block).
    public var allLayers: [Int] { Array(0...config.layerCount) }

    /// Token vectors of each text at `layers` (default: all), from one forward pass per batch.
    ///
    /// - Parameters:
    ///   - texts: texts, cut or refused as `embed` does when too long.
    ///   - layers: indices into HF's `hidden_states`, 0...L.
    /// - Returns: one `TextLayerStates` per text, in order.
    /// - Throws: `ContextualError.layerOutOfRange`, `EncoderInputError`.
    /// - Complexity: one forward pass; the states kept are (layers × tokens × C) floats per text.
    ///
    /// ```swift
    /// let states = try embedder.layerStates(["The river bank."])   // layers 0...L
    /// let lastCLS = states[0].vector(position: states[0].layers.count - 1, token: 0)
    /// ```
    public func layerStates(_ texts: [String], layers: [Int]? = nil) throws -> [TextLayerStates] {
        let layers = try checkLayers(layers ?? allLayers)
        let inputs = inputTexts(texts)
        let encodings = try encodings(texts)
        var result = [TextLayerStates?](repeating: nil, count: texts.count)
        try forEachBatchOutput(encodings.map(\.ids)) { indices, input, output in
            let all = output.hiddenStates                       // L + 1 tensors [B, T, C]
            let (length, width) = (input.length, config.width)
            let values = layers.map { all[$0].scalars }
            for (row, index) in indices.enumerated() {
                let tokens = input.lengths[row]
                let states = values.map { Array($0[(row * length * width)..<((row * length + tokens) * width)]) }
                result[index] = TextLayerStates(text: inputs[index], encoding: encodings[index], layers: layers, width: width, states: states)
            }
        }
        return result.map { $0! }
    }

    /// Sentence vectors at each of `layers`: that layer's tokens pooled with `pooling.strategy`
    /// (masked), then L2-normalised when `normalize` is set. No Dense module is applied: they
    /// belong to the output of the last layer. Returns [text][layer position][C].
    public func layerSentenceVectors(_ texts: [String], layers: [Int]? = nil, normalize: Bool = false) throws -> [[[Float]]] {
        let layers = try checkLayers(layers ?? allLayers)
        let sequences = try tokenize(texts)
        var result = [[[Float]]](repeating: [], count: texts.count)
        try forEachBatchOutput(sequences) { indices, input, output in
            let all = output.hiddenStates
            var perLayer: [[Float]] = []                             // [layer position][B·C]
            for layer in layers {
                var pooled = Pooling(pooling.strategy)(Variable(constant: all[layer]), mask: input.mask).value  // [B, C]
                if normalize { pooled = l2Normalize(Variable(constant: pooled)).value }
                perLayer.append(pooled.scalars)
            }
            let width = config.width
            for (row, index) in indices.enumerated() {
                result[index] = perLayer.map { Array($0[(row * width)..<((row + 1) * width)]) }
            }
        }
        return result
    }
}
