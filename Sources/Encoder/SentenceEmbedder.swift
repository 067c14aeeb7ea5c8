// SentenceEmbedder: a model folder and its tokenizer, turning texts into sentence vectors or
// contextual token vectors. Texts are tokenised with their special tokens, sorted by length and
// encoded in batches of similar lengths (little padding, and padding never changes the result),
// then returned in the caller's order. Over-long texts are refused unless truncation is asked for.
// Not handled: text pairs (cross-encoders), prompts/instructions.

import Autograd
import Foundation
import NeuralNetwork
import TensorCore
import Tokenization

/// Texts in, vectors out, with a model folder's encoder, tokenizer and pooling.
///
/// ```swift
/// let embedder = try SentenceEmbedder(folder: URL(fileURLWithPath: "Weights/tinyencoder-small"))
/// let vectors = try embedder.embed(["A man plays a guitar.", "Someone plays an instrument."])
/// let cosine = zip(vectors[0], vectors[1]).map(*).reduce(0, +)   // vectors are L2-normalised
/// ```
public final class SentenceEmbedder {
    public let folder: ModelFolder
    public private(set) var tokenizer: Tokenizer
    /// Pooling and normalisation (the folder's unless replaced).
    public var pooling: Pooling
    /// Cut texts longer than the model's positions instead of refusing them.
    public var truncates = false
    /// Texts per forward pass.
    public var batchSize = 32

    public init(folder url: URL) throws {
        folder = try ModelFolder.load(url)
        guard let tokenizerURL = folder.tokenizerURL, tokenizerURL.lastPathComponent == "tokenizer.json" else {
            throw FileError(.notFound, file: url.appendingPathComponent("tokenizer.json").path, field: "(file)",
                            problem: "does not exist", fix: "A model folder needs the tokenizer.json it was trained with")
        }
        tokenizer = try Tokenizer(contentsOf: tokenizerURL)
        // We pad and truncate ourselves (by length buckets, and only when asked).
        tokenizer.padding = nil
        tokenizer.truncation = nil
        pooling = folder.pooling
    }

    public var config: EncoderConfig { folder.config }

    /// Token ids with the tokenizer's special tokens, truncated to the model's positions only
    /// when `truncates` is set; otherwise a too-long text throws `EncoderInputError.sequenceTooLong`.
    public func tokenize(_ texts: [String]) throws -> [[Int]] {
        let encodings = try tokenizer.encode(batch: texts, threads: Threads.count)
        return try encodings.enumerated().map { index, encoding in
            var ids = encoding.ids
            if ids.count > config.maxPositions {
                guard truncates else {
                    throw EncoderInputError.sequenceTooLong(sequence: index, length: ids.count, maximum: config.maxPositions)
                }
                // Keep the closing special token (e.g. [SEP]) when the template added one.
                let last = ids.last!
                ids = Array(ids.prefix(config.maxPositions))
                if encoding.specialTokensMask.last == 1 { ids[ids.count - 1] = last }
            }
            return ids
        }
    }

    /// One pooled (and, per `pooling`, normalised) vector per text, in order.
    public func embed(_ texts: [String]) throws -> [[Float]] {
        let sequences = try tokenize(texts)
        var result = [[Float]](repeating: [], count: texts.count)
        try forEachBatch(sequences) { indices, input, hidden in
            let pooled = pooling(Variable(constant: hidden), mask: input.mask).value  // [B, C]
            let width = pooled.shape[1]
            let values = pooled.scalars
            for (row, index) in indices.enumerated() { result[index] = Array(values[(row * width)..<((row + 1) * width)]) }
        }
        return result
    }

    /// Contextual token vectors [tokens][C] per text (special tokens included), in order.
    public func tokenVectors(_ texts: [String]) throws -> [[[Float]]] {
        let sequences = try tokenize(texts)
        var result = [[[Float]]](repeating: [], count: texts.count)
        try forEachBatch(sequences) { indices, input, hidden in
            let (width, length) = (hidden.shape[2], hidden.shape[1])
            let values = hidden.scalars
            for (row, index) in indices.enumerated() {
                result[index] = (0..<input.lengths[row]).map { token in
                    let start = (row * length + token) * width
                    return Array(values[start..<(start + width)])
                }
            }
        }
        return result
    }

    /// Sorts by length, encodes batches of up to `batchSize`, and hands each batch's original
    /// indices, input and hidden states [B, T, C] to `body`.
    func forEachBatch(_ sequences: [[Int]], _ body: ([Int], EncoderInput, Tensor) throws -> Void) throws {
        let order = sequences.indices.sorted { (sequences[$0].count, $0) < (sequences[$1].count, $1) }
        var start = 0
        while start < order.count {
            let indices = Array(order[start..<min(start + max(batchSize, 1), order.count)])
            let input = EncoderInput(sequences: indices.map { sequences[$0] }, padId: config.padTokenId)
            try input.validate(for: config)
            let hidden = folder.model.encoder(input, context: .inference()).hidden.value
            try body(indices, input, hidden)
            start += indices.count
        }
    }
}
