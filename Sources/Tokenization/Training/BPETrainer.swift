// BPETrainer: learns a BPE vocabulary from a corpus. Step 1 (WordCounting.swift) cuts the corpus
// into words with the tokenizer's own normaliser and pre-tokeniser and counts them, in parallel.
// Step 2 (MergeLearner.swift) builds the alphabet, counts adjacent pairs, and repeatedly merges
// the most frequent pair, touching only the words that contain it.
// Reference: Sennrich et al. 2016 (algorithm 1); HF tokenizers models/bpe/trainer.rs, whose
// choices (alphabet order, tie-breaking, stopping rules) are reproduced so the merges are equal.
// Not handled: training from an iterator that cannot be held in memory in one piece per file.

import Foundation

/// Settings of `BPETrainer`; defaults are HF's `BpeTrainer` defaults.
public struct BPETrainerConfiguration: Codable, Equatable, Sendable {
    /// The vocabulary size to reach: special tokens + alphabet + merges (HF `vocab_size`).
    public var vocabularySize: Int = 30000
    /// A pair seen fewer times than this is never merged (HF `min_frequency`).
    public var minimumFrequency: Int = 0
    /// Tokens placed first in the vocabulary, with ids 0, 1, … (HF `special_tokens`).
    public var specialTokens: [String] = []
    /// Characters always in the alphabet, seen or not (HF `initial_alphabet`); the byte-level
    /// preset puts the 256 byte characters here so no byte is ever unknown.
    public var initialAlphabet: [String] = []
    /// Keep only the most frequent characters (HF `limit_alphabet`); nil keeps all.
    public var limitAlphabet: Int? = nil
    /// Prefix of tokens inside a word, e.g. "##" (HF `continuing_subword_prefix`).
    public var continuingSubwordPrefix: String? = nil
    /// Suffix of word-final tokens, e.g. "</w>" (HF `end_of_word_suffix`).
    public var endOfWordSuffix: String? = nil
    /// Tokens longer than this many characters are never formed (HF `max_token_length`).
    public var maxTokenLength: Int? = nil
    /// Print a progress line on standard error.
    public var showProgress: Bool = false
    /// Threads for counting (nil: `TokenizationThreads.defaultCount`).
    public var threads: Int? = nil

    public init() {}

    /// The settings of `Scripts/peers/hf_bpe.py` (GPT-2 style byte-level BPE).
    public static func byteLevel(vocabularySize: Int, minimumFrequency: Int = 2,
                                 specialTokens: [String] = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]) -> BPETrainerConfiguration {
        var configuration = BPETrainerConfiguration()
        configuration.vocabularySize = vocabularySize
        configuration.minimumFrequency = minimumFrequency
        configuration.specialTokens = specialTokens
        configuration.initialAlphabet = ByteLevelAlphabet.strings
        return configuration
    }
}

/// Learns BPE merges.
///
/// ```swift
/// let trainer = BPETrainer(.byteLevel(vocabularySize: 8000))
/// let tokenizer = try trainer.train(files: [URL(fileURLWithPath: "corpus.txt")])
/// try tokenizer.save(to: URL(fileURLWithPath: "tokenizer.json"))
/// ```
public struct BPETrainer: Sendable {
    public var configuration: BPETrainerConfiguration
    /// Called after counting, before the merge tables are built, with their estimated size in
    /// bytes (`estimatedLearningBytes`); throw to stop (the CLI checks it against the machine's memory).
    public var checkMemory: (@Sendable (_ bytes: Double) throws -> Void)? = nil

    /// The merge tables' estimated size for `characters` characters in `words` distinct words: a
    /// 4-byte symbol per character plus its share of the pair index (≈ 52 bytes: pair key, count,
    /// the word list entry and the queue entry), and 32 bytes of bookkeeping per word.
    public static func estimatedLearningBytes(characters: Int, words: Int) -> Double {
        Double(characters) * 56 + Double(words) * 32
    }

    public init(_ configuration: BPETrainerConfiguration) { self.configuration = configuration }

    /// What `train` reports after each merge (for teaching: watch the vocabulary grow).
    public struct MergeEvent: Sendable {
        /// 0 for the first merge.
        public var index: Int
        public var left: String
        public var right: String
        /// The new (or, rarely, re-used) token.
        public var merged: String
        public var mergedID: Int
        /// How often the pair occurred when it was merged.
        public var count: Int
    }

    /// Trains on text files (one line at a time, each with its newline, as HF reads them) and
    /// returns a tokenizer with the given pipeline around the new BPE model. The special tokens
    /// become special added tokens.
    /// - Throws: `invalidUTF8` (file, byte, line), `emptyCorpus` when no word was found, file errors.
    public func train(files: [URL], normalizer: (any Normalizer)? = nil,
                      preTokenizer: any PreTokenizer = ByteLevelPreTokenizer(addPrefixSpace: false),
                      postProcessor: (any PostProcessor)? = nil,
                      decoder: (any TokenDecoder)? = ByteLevelDecoder(),
                      onMerge: ((MergeEvent) -> Void)? = nil) throws -> Tokenizer {
        let counts = try countWords(files: files, normalizer: normalizer, preTokenizer: preTokenizer)
        return try tokenizer(from: counts, source: files.map(\.path).joined(separator: ", "), normalizer: normalizer,
                             preTokenizer: preTokenizer, postProcessor: postProcessor, decoder: decoder, onMerge: onMerge)
    }

    /// Trains on texts held in memory (each text is one "line"; include newlines if they matter).
    public func train(texts: [String], normalizer: (any Normalizer)? = nil,
                      preTokenizer: any PreTokenizer = ByteLevelPreTokenizer(addPrefixSpace: false),
                      postProcessor: (any PostProcessor)? = nil,
                      decoder: (any TokenDecoder)? = ByteLevelDecoder(),
                      onMerge: ((MergeEvent) -> Void)? = nil) throws -> Tokenizer {
        let counts = countWords(texts: texts, normalizer: normalizer, preTokenizer: preTokenizer)
        return try tokenizer(from: counts, source: "texts", normalizer: normalizer, preTokenizer: preTokenizer,
                             postProcessor: postProcessor, decoder: decoder, onMerge: onMerge)
    }

    private func tokenizer(from counts: WordCounts, source: String, normalizer: (any Normalizer)?, preTokenizer: any PreTokenizer,
                           postProcessor: (any PostProcessor)?, decoder: (any TokenDecoder)?,
                           onMerge: ((MergeEvent) -> Void)?) throws -> Tokenizer {
        guard counts.totalWords > 0 else { throw TokenizationError.emptyCorpus(source: source) }
        try validate()
        try checkMemory?(Self.estimatedLearningBytes(characters: counts.byteLevel.arena.count + counts.plain.arena.count,
                                                     words: counts.totalWords))
        var learner = MergeLearner(configuration: configuration, counts: counts)
        let learned = learner.learn(onMerge: onMerge)
        let model = try BPE(vocabulary: learned.vocabulary, merges: learned.merges,
                            continuingSubwordPrefix: configuration.continuingSubwordPrefix,
                            endOfWordSuffix: configuration.endOfWordSuffix, source: source)
        var seen = Set<String>()
        let added = configuration.specialTokens.compactMap { token -> AddedToken? in
            guard !token.isEmpty, seen.insert(token).inserted, let id = learned.vocabulary[token] else { return nil }
            return AddedToken(content: token, id: id, special: true)
        }
        return Tokenizer(model: model, normalizer: normalizer, preTokenizer: preTokenizer, postProcessor: postProcessor,
                         decoder: decoder, addedTokens: added)
    }

    /// Checks the settings (called by `train`).
    public func validate() throws {
        func fail(_ field: String, _ reason: String) -> TokenizationError {
            .invalidConfiguration(component: "BPETrainer", field: field, reason: reason)
        }
        guard configuration.vocabularySize > 0 else { throw fail("vocabularySize", "must be positive, got \(configuration.vocabularySize)") }
        guard configuration.vocabularySize < BPE.idLimit else { throw fail("vocabularySize", "must be below \(BPE.idLimit)") }
        guard configuration.minimumFrequency >= 0 else { throw fail("minimumFrequency", "must not be negative") }
        if let limit = configuration.limitAlphabet, limit < 0 { throw fail("limitAlphabet", "must not be negative") }
        if let length = configuration.maxTokenLength, length < 1 { throw fail("maxTokenLength", "must be at least 1") }
        for token in configuration.specialTokens where token.isEmpty { throw fail("specialTokens", "must not hold an empty string") }
        for character in configuration.initialAlphabet where character.unicodeScalars.count != 1 {
            throw fail("initialAlphabet", "must hold single characters, found \"\(character)\"")
        }
    }
}
