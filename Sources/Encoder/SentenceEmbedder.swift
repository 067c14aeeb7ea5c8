// SentenceEmbedder: a model folder and its tokenizer, turning texts into sentence vectors or
// contextual token vectors. Texts are tokenised with their special tokens, sorted by length and
// encoded in batches of similar lengths (little padding, and padding never changes the result),
// then returned in the caller's order. Over-long texts are refused unless truncation is asked for;
// a sentence-transformers folder that sets a maximum length (sentence_bert_config.json's
// max_seq_length, e.g. 256 for all-MiniLM-L6-v2) is cut there silently, as sentence-transformers does.
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
    /// Cut texts longer than `maximumLength` instead of refusing them. On by default exactly
    /// when the folder sets a maximum length (sentence-transformers' max_seq_length).
    public var truncates: Bool
    /// Tokens per text, special tokens included: the folder's maximum length if it sets one,
    /// never more than the model's positions.
    public var maximumLength: Int
    /// Lowercase texts before tokenising (sentence_bert_config.json's do_lower_case).
    public var lowercasesInput: Bool
    /// Texts per forward pass.
    public var batchSize = 32

    /// Loads the folder and its tokenizer (tokenizer.json, or BERT's vocab.txt).
    /// - Throws: `FileError` for a missing or inconsistent file, `TokenizationError` for a bad tokenizer.
    public init(folder url: URL) throws {
        folder = try ModelFolder.load(url)
        tokenizer = try folder.loadTokenizer()
        // We pad ourselves (by length buckets); truncation is ours too (see `truncates`). The
        // tokenizer.json's own sections are ignored, as transformers ignores them when called.
        tokenizer.padding = nil
        tokenizer.truncation = nil
        pooling = folder.pooling
        let folderLimit = folder.textSettings?.maxSequenceLength
        maximumLength = min(folderLimit ?? folder.config.maxPositions, folder.config.maxPositions)
        truncates = folderLimit != nil
        lowercasesInput = folder.textSettings?.lowercasesInput ?? false
    }

    public var config: EncoderConfig { folder.config }

    /// Token ids with the tokenizer's special tokens. Longer than `maximumLength`: cut (the
    /// tokenizer's truncation, which keeps the closing [SEP]) when `truncates` is set, else
    /// `EncoderInputError.sequenceTooLong`.
    public func tokenize(_ texts: [String]) throws -> [[Int]] {
        var tokenizer = tokenizer
        if truncates { tokenizer.truncation = Truncation(maxLength: maximumLength) }
        let inputs = lowercasesInput ? texts.map { $0.lowercased() } : texts
        let encodings = try tokenizer.encode(batch: inputs, threads: Threads.count)
        return try encodings.enumerated().map { index, encoding in
            guard encoding.count <= maximumLength else {
                throw EncoderInputError.sequenceTooLong(sequence: index, length: encoding.count, maximum: maximumLength)
            }
            return encoding.ids
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
