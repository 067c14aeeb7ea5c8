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
/// Sentence vectors are `dimension` wide (the model's width, or the last Dense module's output).
/// They are unit length only when asked (`embed(_:normalize: true)`, as sentence-transformers'
/// `normalize_embeddings`) or when the folder ends in a Normalize module (`pooling.normalize`);
/// otherwise compare them by cosine, not by a dot product.
///
/// ```swift
/// let embedder = try SentenceEmbedder(folder: URL(fileURLWithPath: "path/to/all-MiniLM-L6-v2"))
/// let vectors = try embedder.embed(["A man plays a guitar.", "Someone plays an instrument."])
/// let similarity = vectors[0].cosineSimilarity(to: vectors[1])          // any vectors
/// let unit = try embedder.embed(["A man plays a guitar."], normalize: true)  // ‖v‖ = 1: dot = cosine
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
    /// sentence-transformers Dense modules applied after pooling, before normalisation (the folder's).
    public var dense: [DenseModule]

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
        dense = folder.dense
        let folderLimit = folder.textSettings?.maxSequenceLength
        maximumLength = min(folderLimit ?? folder.config.maxPositions, folder.config.maxPositions)
        truncates = folderLimit != nil
        lowercasesInput = folder.textSettings?.lowercasesInput ?? false
    }

    public var config: EncoderConfig { folder.config }

    /// The width of the sentence vectors: the last Dense module's output, else the model's width.
    public var dimension: Int { dense.last?.outFeatures ?? config.width }

    /// Token ids with the tokenizer's special tokens. Longer than `maximumLength`: cut (the
    /// tokenizer's truncation, which keeps the closing [SEP]) when `truncates` is set, else
    /// `EncoderInputError.sequenceTooLong`.
    public func tokenize(_ texts: [String]) throws -> [[Int]] {
        try encodings(texts).map(\.ids)
    }

    /// The tokenizer's encodings of `texts` (ids, offsets into the text as tokenised, word
    /// indices), cut or refused as `tokenize` does. The texts as tokenised are `inputTexts(texts)`.
    public func encodings(_ texts: [String]) throws -> [Encoding] {
        var tokenizer = tokenizer
        if truncates { tokenizer.truncation = Truncation(maxLength: maximumLength) }
        let encodings = try tokenizer.encode(batch: inputTexts(texts), threads: Threads.count)
        for (index, encoding) in encodings.enumerated() where encoding.count > maximumLength {
            throw EncoderInputError.sequenceTooLong(sequence: index, length: encoding.count, maximum: maximumLength)
        }
        return encodings
    }

    /// The texts the tokenizer sees: lowercased when the folder asks for it (do_lower_case).
    public func inputTexts(_ texts: [String]) -> [String] {
        lowercasesInput ? texts.map { $0.lowercased() } : texts
    }

    /// One pooled vector per text, in order, `dimension` wide: pooled, through `dense`, then
    /// L2-normalised when `normalize` is true or the folder says so (`pooling.normalize`).
    ///
    /// - Parameter normalize: scale every vector to unit length (sentence-transformers'
    ///   `normalize_embeddings`), so that a dot product is the cosine.
    public func embed(_ texts: [String], normalize: Bool = false) throws -> [[Float]] {
        let sequences = try tokenize(texts)
        var result = [[Float]](repeating: [], count: texts.count)
        try forEachBatch(sequences) { indices, input, hidden in
            var pooled = Pooling(pooling.strategy)(Variable(constant: hidden), mask: input.mask).value  // [B, C]
            for module in dense { pooled = module(pooled) }
            if normalize || pooling.normalize { pooled = l2Normalize(Variable(constant: pooled)).value }
            let width = pooled.shape[1]
            let values = pooled.scalars
            for (row, index) in indices.enumerated() { result[index] = Array(values[(row * width)..<((row + 1) * width)]) }
        }
        return result
    }

    /// The cosine of every vector of `first` with every vector of `second`, [first.count][second.count]
    /// (sentence-transformers' `SentenceTransformer.similarity` with its default, cosine).
    public func similarity(_ first: [[Float]], _ second: [[Float]]) -> [[Float]] {
        first.cosineSimilarities(to: second)
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
        try forEachBatchOutput(sequences) { indices, input, output in try body(indices, input, output.hidden.value) }
    }

    /// As `forEachBatch`, with the whole forward output (every layer's hidden states, attention).
    func forEachBatchOutput(_ sequences: [[Int]], _ body: ([Int], EncoderInput, EncoderOutput) throws -> Void) throws {
        let order = sequences.indices.sorted { (sequences[$0].count, $0) < (sequences[$1].count, $1) }
        var start = 0
        while start < order.count {
            let indices = Array(order[start..<min(start + max(batchSize, 1), order.count)])
            let input = EncoderInput(sequences: indices.map { sequences[$0] }, padId: config.padTokenId)
            try input.validate(for: config)
            try body(indices, input, folder.model.encoder(input, context: .inference()))
            start += indices.count
        }
    }
}
