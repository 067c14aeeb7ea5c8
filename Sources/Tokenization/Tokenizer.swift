// Tokenizer: the whole pipeline, in HF tokenizers' order: added tokens are cut out of the raw
// text, the rest is normalised, pre-tokenised into words, and each word is split by the model;
// then truncation, the post-processor's special tokens and padding. This file holds the pipeline
// up to one sequence's encoding; truncation, pairs, batches and decoding are in the extensions.
// Reference: HF tokenizers tokenizer/mod.rs (encode_single_sequence, post_process).
// Not handled: pre-tokenised input (lists of words) and offsets of overflowing pairs beyond HF's rules.

/// A complete tokenizer.
///
/// ```swift
/// let tokenizer = try Tokenizer(contentsOf: URL(fileURLWithPath: "tokenizer.json"))
/// let encoding = try tokenizer.encode("the world")
/// let text = try tokenizer.decode(encoding.ids)            // "the world"
/// ```
public struct Tokenizer: Sendable {
    public var normalizer: (any Normalizer)?
    public var preTokenizer: (any PreTokenizer)?
    /// The model. Setting it starts new per-thread caches.
    public var model: any TokenizationModel {
        didSet { workspaces = WorkspacePool(model: model) }
    }
    public var postProcessor: (any PostProcessor)?
    public var decoder: (any TokenDecoder)?
    public var addedVocabulary: AddedVocabulary
    public var truncation: Truncation?
    public var padding: Padding?
    /// What to do with special-token text found in the input.
    public var specialTokenPolicy: SpecialTokenPolicy = .recognize

    var workspaces: WorkspacePool

    public init(model: any TokenizationModel, normalizer: (any Normalizer)? = nil, preTokenizer: (any PreTokenizer)? = nil,
                postProcessor: (any PostProcessor)? = nil, decoder: (any TokenDecoder)? = nil,
                addedTokens: [AddedToken] = [], truncation: Truncation? = nil, padding: Padding? = nil) {
        self.model = model
        self.normalizer = normalizer
        self.preTokenizer = preTokenizer
        self.postProcessor = postProcessor
        self.decoder = decoder
        self.addedVocabulary = AddedVocabulary(addedTokens)
        self.truncation = truncation
        self.padding = padding
        self.workspaces = WorkspacePool(model: model)
    }

    // MARK: - Vocabulary

    /// The id of `token` (added tokens first, then the model's vocabulary).
    public func id(forToken token: String) -> Int? {
        addedVocabulary.token(forContent: token)?.id ?? model.id(forToken: token)
    }

    /// The token with id `id` (added tokens first, then the model's vocabulary).
    public func token(forID id: Int) -> String? {
        addedVocabulary.token(forID: id)?.content ?? model.token(forID: id)
    }

    /// The number of ids in use: the model's vocabulary plus added tokens outside it.
    public var vocabularySize: Int {
        model.vocabularySize + addedVocabulary.tokens.filter { model.token(forID: $0.id) == nil }.count
    }

    // MARK: - Encoding

    /// Encodes one text, or a pair of texts, with the post-processor's special tokens
    /// (`addSpecialTokens`), truncation and padding as configured.
    /// - Throws: `specialTokenInInput` under `.refuse`; `invalidConfiguration` for impossible truncation settings.
    /// - Complexity: O(n log n) in the text length; words already seen cost one hash look-up.
    public func encode(_ text: String, pair: String? = nil, addSpecialTokens: Bool = true) throws -> Encoding {
        try workspaces.with { workspace in
            try encode(text, pair: pair, addSpecialTokens: addSpecialTokens, workspace: workspace)
        }
    }

    /// Encodes UTF-8 bytes, checking them first.
    /// - Throws: `invalidUTF8` naming the first bad byte.
    public func encode(utf8 bytes: [UInt8], addSpecialTokens: Bool = true) throws -> Encoding {
        if let bad = UTF8Validation.firstInvalidByte(in: bytes) {
            let line = bytes.withUnsafeBufferPointer { UTF8Validation.line(of: bad, in: $0) }
            throw TokenizationError.invalidUTF8(source: "input", byteOffset: bad, line: line)
        }
        return try encode(String(decoding: bytes, as: UTF8.self), addSpecialTokens: addSpecialTokens)
    }

    func encode(_ text: String, pair: String?, addSpecialTokens: Bool, workspace: EncodeWorkspace) throws -> Encoding {
        let first = try encodeSequence(text, index: 0, workspace: workspace)
        let second = try pair.map { try encodeSequence($0, index: 1, workspace: workspace) }
        var encoding = try postProcess(first, second, addSpecialTokens: addSpecialTokens)
        if let padding, case let .fixed(length) = padding.strategy {
            padding.apply(to: &encoding, length: length)
        } else if let padding {
            padding.apply(to: &encoding, length: encoding.count)
        }
        return encoding
    }

    /// One sequence through added tokens, normalisation, pre-tokenisation and the model.
    func encodeSequence(_ text: String, index sequence: Int, workspace: EncodeWorkspace) throws -> Encoding {
        var text = text
        return try text.withUTF8 { input in
            if normalizer == nil, let byteLevel = preTokenizer as? ByteLevelPreTokenizer, byteLevel.isPlainSplit {
                return try encodeByteLevel(input, sequence: sequence, workspace: workspace)
            }
            let pretokenized = try preTokenize(input)
            return tokenize(pretokenized, input: input, sequence: sequence, workspace: workspace)
        }
    }

    /// Added tokens, normaliser and pre-tokeniser: the words of one input.
    public func preTokenize(_ text: String) throws -> PreTokenizedText {
        var text = text
        return try text.withUTF8 { try preTokenize($0) }
    }

    func preTokenize(_ input: UnsafeBufferPointer<UInt8>) throws -> PreTokenizedText {
        var pretokenized = try splitAddedTokensAndNormalize(input)
        preTokenizer?.preTokenize(&pretokenized)
        return pretokenized
    }

    // MARK: - Stage 1 and 2: added tokens, normaliser

    /// HF `extract_and_normalize`: raw-text added tokens first, then the normaliser on the text
    /// between them, then the normalised-text added tokens.
    func splitAddedTokensAndNormalize(_ input: UnsafeBufferPointer<UInt8>) throws -> PreTokenizedText {
        let rawPieces: [(range: Range<Int>, id: Int?)] = addedVocabulary.hasTokens(normalized: false)
            ? try addedVocabulary.split(input, range: 0..<input.count, matchNormalized: false, policy: specialTokenPolicy, origin: { $0 })
            : [(0..<input.count, nil)]
        guard let normalizer else {
            // Fast path: the working text is the input itself.
            var splits: [Split] = []
            for piece in rawPieces where !piece.range.isEmpty {
                if piece.id != nil || !addedVocabulary.hasTokens(normalized: true) {
                    splits.append(Split(range: piece.range, addedTokenID: piece.id))
                    continue
                }
                for inner in try addedVocabulary.split(input, range: piece.range, matchNormalized: true,
                                                        policy: specialTokenPolicy, origin: { $0 }) where !inner.range.isEmpty {
                    splits.append(Split(range: inner.range, addedTokenID: inner.id))
                }
            }
            return PreTokenizedText(bytes: Array(input), alignments: nil, splits: splits)
        }
        var bytes: [UInt8] = []
        var alignments: [Range<Int>] = []
        var splits: [Split] = []
        bytes.reserveCapacity(input.count)
        alignments.reserveCapacity(input.count)
        for piece in rawPieces where !piece.range.isEmpty {
            var segment = NormalizedText(Array(input[piece.range]), origin: piece.range.lowerBound)
            if piece.id == nil { normalizer.normalize(&segment) }
            let base = bytes.count
            bytes += segment.bytes
            alignments += segment.alignments
            if piece.id != nil || !addedVocabulary.hasTokens(normalized: true) {
                if !segment.bytes.isEmpty { splits.append(Split(range: base..<bytes.count, addedTokenID: piece.id)) }
                continue
            }
            let inner = try segment.bytes.withUnsafeBufferPointer { buffer in
                try addedVocabulary.split(buffer, range: 0..<buffer.count, matchNormalized: true, policy: specialTokenPolicy,
                                          origin: { segment.alignments[$0].lowerBound })
            }
            for part in inner where !part.range.isEmpty {
                splits.append(Split(range: (base + part.range.lowerBound)..<(base + part.range.upperBound), addedTokenID: part.id))
            }
        }
        return PreTokenizedText(bytes: bytes, alignments: alignments, splits: splits)
    }
}

/// Converts byte offsets of one input into scalar offsets (Python `str` indices), walking from
/// the last position asked, forward or back. Offsets arrive nearly in order (a byte-level token
/// inside a multi-byte character steps back to the character's first byte, at most 3 bytes), so
/// a whole encoding costs O(n); rescanning from byte 0 on each step back made one long CJK line
/// quadratic. Equivalent to `scalarIndexReference(ofByte:in:)`, which counts from the start.
struct ScalarCounter {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var byte = 0
    private var scalar = 0
    #if DEBUG
    /// Bytes stepped over so far, forward or back: the tests check it stays linear in the input.
    private(set) var bytesWalked = 0
    #endif

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    @inline(__always)
    mutating func characterIndex(ofByte target: Int) -> Int {
        let end = min(target, bytes.count)
        // Scalars start at every byte that is not a continuation byte (10xxxxxx).
        while byte < end {
            if bytes[byte] & 0xC0 != 0x80 { scalar += 1 }
            byte += 1
            #if DEBUG
            bytesWalked += 1
            #endif
        }
        while byte > end {
            byte -= 1
            if bytes[byte] & 0xC0 != 0x80 { scalar -= 1 }
            #if DEBUG
            bytesWalked += 1
            #endif
        }
        return scalar
    }

    /// The reference: the number of scalars that start before byte `target`, counted from 0.
    static func scalarIndexReference(ofByte target: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        bytes[..<min(target, bytes.count)].filter { $0 & 0xC0 != 0x80 }.count
    }

    @inline(__always)
    mutating func characterRange(of range: Range<Int>) -> Range<Int> {
        let start = characterIndex(ofByte: range.lowerBound)
        let end = characterIndex(ofByte: range.upperBound)
        return start..<max(start, end)
    }
}
