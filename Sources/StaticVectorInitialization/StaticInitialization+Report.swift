// CoverageReport: what a static-vector initialisation covered. Every token row is one of
//   exact     a whole-word token that took its word's vector;
//   composed  a sub-word token that took fastText's n-gram composition, or the frequency-weighted
//             mean of the vectors of the corpus words it occurs in;
//   random    a special token, or a token nothing covered: it keeps the model's random row;
// each as a count, a share of the vocabulary and (with a corpus) a share of the corpus's tokens.
// Warnings say when coverage is thin or a choice was forced (no corpus, few rows for the PCA).
// Reference: the OOV-rate tables of word-embedding transfer papers (e.g. Kocmi & Bojar 2017).
// Not handled: per-token listings beyond the examples (the `sources` array of the result has them).

import Encoder
import Foundation
import TextInput

/// Where one token's row came from.
public enum TokenRowSource: Equatable, Sendable {
    /// A special token ([CLS], [PAD], …): random row.
    case special
    /// A whole word: the vector of `word`.
    case exactWord(String)
    /// fastText's mean of `ngrams` n-gram rows.
    case fastTextNgrams(Int)
    /// The frequency-weighted mean over `words` distinct corpus words that contain the token.
    case wordMean(Int)
    /// Nothing covered it: random row.
    case random

    /// exact, composed or random.
    public var category: CoverageReport.Category {
        switch self {
        case .exactWord: return .exact
        case .fastTextNgrams, .wordMean: return .composed
        case .special, .random: return .random
        }
    }
}

/// Counts and shares of a static initialisation.
public struct CoverageReport: Sendable {
    public enum Category: String, CaseIterable, Sendable {
        case exact, composed, random
    }

    /// One category's figures.
    public struct Figures: Sendable, Equatable {
        public var tokens: Int
        /// tokens / V.
        public var vocabularyShare: Double
        /// Σ corpus count of these tokens / Σ corpus count of all tokens; nil without a corpus.
        public var corpusShare: Double?
    }

    public var vectors: String
    public var vectorCount: Int
    public var dimension: Int
    /// Whether the vectors came with fastText's n-gram rows (a .bin model).
    public var hasNgrams: Bool
    public var width: Int
    public var vocabularySize: Int
    public var spelling: TokenSpelling
    public var exact: Figures
    public var composed: Figures
    public var random: Figures
    /// Composed rows by method, and the special tokens among the random rows.
    public var fastTextComposed: Int
    public var meanComposed: Int
    public var specialTokens: Int
    /// The corpus the statistics came from, and its token count.
    public var corpus: String?
    public var corpusTokens: Int
    public var mapping: DimensionMapping
    public var explainedVariance: Double?
    /// The factor the projected rows were multiplied by, and the RMS row norm they were scaled to.
    public var scale: Float
    public var targetNorm: Float
    /// A few examples per category ("Ġthe → the").
    public var examples: [Category: [String]]
    public var warnings: [String]

    public func figures(_ category: Category) -> Figures {
        switch category {
        case .exact: return exact
        case .composed: return composed
        case .random: return random
        }
    }

    // MARK: - Text

    /// A table for people.
    public var text: String {
        func percent(_ value: Double?) -> String { value.map { String(format: "%6.2f%%", 100 * $0) } ?? "      —" }
        var lines = [
            "static vectors: \(vectors) (\(vectorCount) words, \(dimension) dimensions\(hasNgrams ? ", fastText n-grams" : ""))",
            "tokenizer: \(vocabularySize) ids, \(spelling.rawValue) spelling" + (corpus.map { "; corpus: \($0), \(corpusTokens) tokens" } ?? "; no corpus"),
            "",
            "category    tokens   of vocabulary   of corpus tokens",
        ]
        for category in Category.allCases {
            let value = figures(category)
            lines.append(category.rawValue.padding(toLength: 10, withPad: " ", startingAt: 0)
                         + String(format: "%8d", value.tokens) + "        " + percent(value.vocabularyShare) + "         " + percent(value.corpusShare))
        }
        lines.append("composed: \(fastTextComposed) by fastText n-grams, \(meanComposed) by the frequency-weighted word mean; random: \(specialTokens) special tokens")
        var mappingLine = "mapping \(dimension) → \(width): \(mapping.rawValue)"
        if let explainedVariance { mappingLine += String(format: " (%.1f%% of the variance kept)", 100 * explainedVariance) }
        mappingLine += String(format: "; rows scaled by %.4g to RMS norm %.4g (the random rows')", scale, targetNorm)
        lines.append(mappingLine)
        for category in Category.allCases where !(examples[category] ?? []).isEmpty {
            lines.append("examples, \(category.rawValue): " + (examples[category] ?? []).joined(separator: ", "))
        }
        for warning in warnings { lines.append("warning: " + warning) }
        return lines.joined(separator: "\n")
    }

    /// One machine-readable line (the CLI's key=value contract).
    public var keyValueLine: String {
        func share(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "none" }
        return "exact=\(exact.tokens) composed=\(composed.tokens) random=\(random.tokens) vocab=\(vocabularySize) "
            + "exact_vocab_share=\(share(exact.vocabularyShare)) composed_vocab_share=\(share(composed.vocabularyShare)) "
            + "random_vocab_share=\(share(random.vocabularyShare)) exact_corpus_share=\(share(exact.corpusShare)) "
            + "composed_corpus_share=\(share(composed.corpusShare)) random_corpus_share=\(share(random.corpusShare)) "
            + "fasttext_composed=\(fastTextComposed) mean_composed=\(meanComposed) special=\(specialTokens) "
            + "dim=\(dimension) width=\(width) mapping=\(mapping.rawValue) warnings=\(warnings.count)"
    }
}
