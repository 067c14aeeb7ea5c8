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
/// let fast = try SentenceEmbedder(folder: url, precision: .bfloat16)      // AMX or AVX512-BF16
/// let unit = try embedder.embed(["A man plays a guitar."], normalize: true)  // ‖v‖ = 1: dot = cosine
/// ```
///
/// A value (Sendable): copies share the loaded model, which nothing writes while embedding, and
/// each copy has its own settings. One embedder can serve many tasks at once.
public struct SentenceEmbedder: Sendable {
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

    /// Loads the folder and its tokenizer (tokenizer.json, or BERT's vocab.txt); the encoder runs
    /// in `precision` (float32 by default; bfloat16 on CPUs with AMX or AVX512-BF16).
    /// - Throws: `FileError` for a missing or inconsistent file, `TokenizationError` for a bad
    ///   tokenizer, `PrecisionError` when bfloat16 cannot run on this CPU.
    public init(folder url: URL, precision: Precision = .float32) throws {
        folder = try ModelFolder.load(url, precision: precision)
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

    /// The arithmetic of the encoder's products (chosen at `init`).
    public var precision: Precision { folder.precision }

    /// The width of the sentence vectors: the last Dense module's output, else the model's width.
    public var dimension: Int { dense.last?.outFeatures ?? config.width }

    /// Token ids with the tokenizer's special tokens. Longer than `maximumLength`: cut (the
    /// tokenizer's truncation, which keeps the closing [SEP]) when `truncates` is set, else
    /// `EncoderInputError.sequenceTooLong`. A text over `longTextBytes` is encoded by growing
    /// prefixes (`boundedEncoding`), so a 50 MB line costs what its first tokens cost.
    public func tokenize(_ texts: [String]) throws -> [[Int]] {
        try encodings(texts).map(\.ids)
    }

    /// The tokenizer's encodings of `texts` (ids, offsets into the text as tokenised, word
    /// indices), cut or refused as `tokenize` does. The texts as tokenised are `inputTexts(texts)`.
    public func encodings(_ texts: [String]) throws -> [Encoding] {
        var tokenizer = tokenizer
        if truncates { tokenizer.truncation = Truncation(maxLength: maximumLength) }
        var results = [Encoding](repeating: Encoding(), count: texts.count)
        var shortTexts: [Int] = []
        for (index, text) in texts.enumerated() {
            if text.utf8.count > longTextBytes {
                results[index] = try boundedEncoding(text, index: index, tokenizer: tokenizer)
            } else {
                shortTexts.append(index)
            }
        }
        let inputs = inputTexts(shortTexts.map { texts[$0] })
        let encodings = try tokenizer.encode(batch: inputs, threads: Threads.count)
        for (position, encoding) in encodings.enumerated() {
            guard encoding.count <= maximumLength else {
                throw EncoderInputError.sequenceTooLong(sequence: shortTexts[position], length: encoding.count, maximum: maximumLength)
            }
            results[shortTexts[position]] = encoding
        }
        return results
    }

    /// Whether `prefix`, the first bytes of a longer text (cut at a scalar boundary), already fixes
    /// that text's first `maximumLength` tokens: its words, all but the last (which the cut may
    /// have split), give more than that many. Then embedding `prefix` gives what embedding the
    /// whole text gives, cut (`truncates`) or refused alike, so a reader may drop the rest
    /// (`tinyencoder embed` does for lines over 4 MiB). Like `boundedEncoding`, it tries prefixes
    /// of `prefix` growing 4× from `longTextBytes`, so the work is what the answer needs.
    public func prefixDecidesTokens(_ prefix: String) throws -> Bool {
        var plain = tokenizer
        plain.truncation = nil
        let count = prefix.utf8.count
        var bytes = longTextBytes
        while true {
            let piece = Self.prefix(of: prefix, bytes: bytes, lowercased: lowercasesInput)
            if try decidedTokenCount(piece, plain: plain) > maximumLength { return true }
            if bytes >= count { return false }
            bytes *= 4
        }
    }

    /// The first `bytes` UTF-8 bytes of `text`, cut back to a scalar boundary, lowercased if asked.
    private static func prefix(of text: String, bytes: Int, lowercased: Bool) -> String {
        let utf8 = text.utf8
        var end = utf8.index(utf8.startIndex, offsetBy: min(bytes, utf8.count))
        while end > utf8.startIndex && end < utf8.endIndex && UTF8.isContinuation(utf8[end]) { end = utf8.index(before: end) }
        let prefix = String(text.unicodeScalars[..<end])
        return lowercased ? prefix.lowercased() : prefix
    }

    /// The tokens of `prefix` (as tokenised) that its cut cannot change: all but the last word's.
    private func decidedTokenCount(_ prefix: String, plain: Tokenizer) throws -> Int {
        let encoding = try plain.encode(prefix)
        let lastWord = encoding.wordIndices.compactMap { $0 }.max() ?? -1
        return encoding.wordIndices.filter { $0 == nil || $0! < lastWord }.count
    }

    /// Texts longer than this many UTF-8 bytes go through `boundedEncoding`.
    public var longTextBytes = 1 << 16

    /// The encoding of one long text, from the shortest prefix that decides them: a prefix whose whole
    /// words (all but its last, which the cut may have split) already give more than
    /// `maximumLength` tokens has the same first tokens as the text, because the normaliser and
    /// pre-tokeniser act word by word. Then: the prefix truncated (`truncates`), or
    /// `sequenceTooLong` with the tokens counted so far. Prefixes grow 4× from 64 KB, so the work
    /// is O(bytes needed), not O(text). Equivalent to encoding the whole text (tested).
    func boundedEncoding(_ text: String, index: Int, tokenizer: Tokenizer) throws -> Encoding {
        var plain = tokenizer
        plain.truncation = nil
        let utf8 = text.utf8
        var prefixBytes = longTextBytes
        while prefixBytes < utf8.count {
            let prefix = Self.prefix(of: text, bytes: prefixBytes, lowercased: lowercasesInput)
            let decided = try decidedTokenCount(prefix, plain: plain)
            if decided > maximumLength {
                guard truncates else {
                    throw EncoderInputError.sequenceTooLong(sequence: index, length: decided, maximum: maximumLength, lowerBound: true)
                }
                return try tokenizer.encode(prefix)
            }
            prefixBytes *= 4
        }
        let whole = try tokenizer.encode(lowercasesInput ? text.lowercased() : text)
        guard whole.count <= maximumLength else {
            throw EncoderInputError.sequenceTooLong(sequence: index, length: whole.count, maximum: maximumLength)
        }
        return whole
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
