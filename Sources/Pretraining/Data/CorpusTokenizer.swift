// CorpusTokenizer: what pretraining needs from a tokenizer, and nothing more: text → token ids
// without special tokens (for many texts at once, in parallel), the ids of [CLS], [SEP], [MASK]
// and [PAD], and each id's token text (to find where words start, for whole-word masking).
// `BPECorpusTokenizer` adapts the Tokenization module's `Tokenizer` (HF tokenizer.json).
// Reference: the special-token roles of BERT (Devlin et al., 2019) and RoBERTa's <s> </s> <mask> <pad>.
// Not handled: sentence-pair (NSP) inputs; tokenizers whose words start other than by Ġ, ▁ or ##.

import Foundation
import Tokenization

/// The ids of the special tokens masked-LM pretraining places or avoids.
public struct SpecialTokenIDs: Codable, Equatable, Sendable {
    /// Starts every sequence.
    public var classification: Int
    /// Ends every line (and every sequence).
    public var separator: Int
    /// Replaces masked tokens.
    public var mask: Int
    /// Fills the batch to its longest sequence.
    public var padding: Int
    /// Every id that must never be masked or drawn as a random replacement (includes the four above).
    public var all: Set<Int>

    public init(classification: Int, separator: Int, mask: Int, padding: Int, others: Set<Int> = []) {
        self.classification = classification
        self.separator = separator
        self.mask = mask
        self.padding = padding
        self.all = others.union([classification, separator, mask, padding])
    }
}

/// A tokenizer as pretraining sees it.
public protocol CorpusTokenizer {
    /// Ids run over 0..<vocabularySize.
    var vocabularySize: Int { get }
    var specialTokens: SpecialTokenIDs { get }
    /// The token ids of each text, without special tokens, in order. May run in parallel.
    func tokenIDs(_ texts: [String]) throws -> [[Int]]
    /// The text of the token with id `id` (Ġthe, ##ing, [CLS]), or nil for an unused id.
    func tokenText(_ id: Int) -> String?
}

extension CorpusTokenizer {
    /// Every id's token text, "" for unused ids: the vocabulary handed to an `EmbeddingInitializer`.
    public var vocabulary: [String] {
        (0..<vocabularySize).map { tokenText($0) ?? "" }
    }

    /// Per id: does a token with this id start a word?
    ///
    /// Byte-level BPE (GPT-2, RoBERTa) marks a preceding space with Ġ and SentencePiece with ▁;
    /// WordPiece marks the opposite, continuations, with ##. The rule is read from the vocabulary:
    /// any Ġ or ▁ token means the first (a "###" token of a byte-level vocabulary is ordinary);
    /// otherwise any ## token means WordPiece; otherwise every token starts a word. Special tokens
    /// start no word. A token right after [CLS] or [SEP] (a line start) also starts a word;
    /// `DynamicMasker` adds that rule.
    public func wordStartTable() -> [Bool] {
        let texts = vocabulary
        let marksSpaces = texts.contains { $0.hasPrefix("\u{0120}") || $0.hasPrefix("\u{2581}") }
        let isWordPiece = !marksSpaces && texts.contains { $0.hasPrefix("##") && $0.count > 2 }
        return texts.enumerated().map { id, text in
            if specialTokens.all.contains(id) || text.isEmpty { return false }
            if marksSpaces { return text.hasPrefix("\u{0120}") || text.hasPrefix("\u{2581}") }
            return isWordPiece ? !text.hasPrefix("##") : true
        }
    }
}

// MARK: - The Tokenization module's tokenizer

/// Why a tokenizer cannot be used for pretraining.
public struct CorpusTokenizerError: Error, CustomStringConvertible, Equatable, Sendable {
    public let file: String
    public let problem: String
    public let fix: String
    public var description: String { "\(file): \(problem). \(fix)" }
}

/// Adapts `Tokenization.Tokenizer` (an HF tokenizer.json) to `CorpusTokenizer`.
///
/// Special-token text inside the corpus ("[MASK]" written in a document) is tokenised as plain
/// text, never turned into the special id, and truncation and padding are switched off: the
/// packer places [CLS]/[SEP] and the batcher pads.
///
/// ```swift
/// let tokenizer = try BPECorpusTokenizer(contentsOf: URL(fileURLWithPath: "tokenizer.json"))
/// let ids = try tokenizer.tokenIDs(["the cat sat"])   // [[…]] without [CLS]/[SEP]
/// ```
public struct BPECorpusTokenizer: CorpusTokenizer, Sendable {
    public private(set) var tokenizer: Tokenizer
    public let specialTokens: SpecialTokenIDs
    /// Worker threads for batch encoding (default: `Threads.count` of the caller's choosing).
    public var threads: Int

    /// The names tried for each role, BERT's first, then RoBERTa's.
    public static let roleNames: [(role: String, names: [String])] = [
        ("classification", ["[CLS]", "<s>"]), ("separator", ["[SEP]", "</s>"]),
        ("mask", ["[MASK]", "<mask>"]), ("padding", ["[PAD]", "<pad>"]),
    ]

    public init(contentsOf url: URL, threads: Int = 1) throws {
        try self.init(try Tokenizer(contentsOf: url), source: url.path, threads: threads)
    }

    /// - Throws: `CorpusTokenizerError` naming the missing special token.
    public init(_ tokenizer: Tokenizer, source: String = "tokenizer.json", threads: Int = 1) throws {
        var plain = tokenizer
        plain.truncation = nil
        plain.padding = nil
        plain.specialTokenPolicy = .treatAsText
        self.tokenizer = plain
        self.threads = max(1, threads)
        var ids: [Int] = []
        for (role, names) in BPECorpusTokenizer.roleNames {
            guard let id = names.lazy.compactMap({ tokenizer.id(forToken: $0) }).first else {
                throw CorpusTokenizerError(file: source, problem: "has no \(names.joined(separator: " or ")) token (the \(role) role)",
                                           fix: "Train the tokenizer with the special tokens [PAD] [UNK] [CLS] [SEP] [MASK] (tinyencoder bpe-train does by default)")
            }
            ids.append(id)
        }
        let others = Set(tokenizer.addedVocabulary.tokens.filter(\.special).map(\.id))
        specialTokens = SpecialTokenIDs(classification: ids[0], separator: ids[1], mask: ids[2], padding: ids[3], others: others)
    }

    public var vocabularySize: Int { tokenizer.vocabularySize }

    public func tokenIDs(_ texts: [String]) throws -> [[Int]] {
        try tokenizer.encode(batch: texts, addSpecialTokens: false, threads: threads).map(\.ids)
    }

    public func tokenText(_ id: Int) -> String? { tokenizer.token(forID: id) }

    /// `tokenizer` with BERT's post-processor "[CLS] $A [SEP]" (pairs: "[CLS] $A [SEP] $B:1 [SEP]:1")
    /// when it has none, so that a model folder's tokenizer.json adds at inference the same special
    /// tokens pretraining placed (HF's BPE trainer, like hf_bpe.py, leaves post_processor null).
    /// - Returns: the tokenizer, and whether a post-processor was added.
    public static func addingSentenceTemplate(to tokenizer: Tokenizer, special: SpecialTokenIDs) throws -> (tokenizer: Tokenizer, added: Bool) {
        guard tokenizer.postProcessor == nil,
              let cls = tokenizer.token(forID: special.classification), let sep = tokenizer.token(forID: special.separator) else {
            return (tokenizer, false)
        }
        var result = tokenizer
        result.postProcessor = try TemplateProcessing(single: "\(cls) $A \(sep)", pair: "\(cls) $A \(sep) $B:1 \(sep):1",
                                                      specialTokens: [(cls, special.classification), (sep, special.separator)])
        return (result, true)
    }
}
