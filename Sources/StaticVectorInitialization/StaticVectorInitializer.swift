// StaticVectorInitializer: the static-vector bridge (StaticInitialization) as Encoder's
// EmbeddingInitializer, so that Pretraining's `makeMaskedLanguageModel(..., initialization: .embeddings(...))`
// starts a model from word2vec, GloVe or fastText vectors. It keeps the bridge's result: the
// coverage report for the user, and the static rows and projection for the static layer.
// Reference: Kocmi & Bojar 2017 (embedding initialisation); see Docs/StaticInitialization.md.
// Not handled: choosing vectors for special tokens (they keep BERT's random rows).

import Encoder
import TensorCore
import Tokenization

/// Token embeddings from static vectors.
///
/// ```swift
/// let initializer = StaticVectorInitializer(vectors: try StaticVectors.read(URL(fileURLWithPath: "sg.bin")),
///                                           special: tokenizer.specialTokens.all, statistics: statistics)
/// let model = try makeMaskedLanguageModel(config: config, vocabulary: tokenizer.vocabulary,
///                                         initialization: .embeddings(initializer, seed: 0))
/// print(initializer.result!.report.text)
/// ```
public final class StaticVectorInitializer: EmbeddingInitializer {
    public let vectors: StaticVectors
    public let special: Set<Int>
    public let statistics: TokenCorpusStatistics?
    public let options: StaticInitializationOptions
    /// The last table built, with its report (nil before the first call).
    public private(set) var result: StaticInitialization?

    public init(vectors: StaticVectors, special: Set<Int>, statistics: TokenCorpusStatistics?,
                options: StaticInitializationOptions = StaticInitializationOptions()) {
        self.vectors = vectors
        self.special = special
        self.statistics = statistics
        self.options = options
    }

    /// Without the model's table: uncovered rows are drawn as BERT does (σ = 0.02, seed 0).
    public func tokenEmbedding(vocabulary: [String], width: Int) throws -> Tensor {
        var generator = SeededGenerator(seed: 0)
        return try tokenEmbedding(vocabulary: vocabulary, random: generator.truncatedNormal(shape: [vocabulary.count, width], standardDeviation: 0.02))
    }

    public func tokenEmbedding(vocabulary: [String], random: Tensor) throws -> Tensor {
        var counts = statistics
        // The model may have more ids than the tokenizer counted (padded vocab_size): count them as unseen.
        if var padded = counts, padded.tokenCounts.count < vocabulary.count {
            let extra = vocabulary.count - padded.tokenCounts.count
            for keyPath in [\TokenCorpusStatistics.tokenCounts, \.wholeWordCounts, \.wordStartCounts, \.wordEndCounts] {
                padded[keyPath: keyPath] += [Int](repeating: 0, count: extra)
            }
            padded.pairStarts += [Int](repeating: padded.pairStarts.last ?? 0, count: extra)
            counts = padded
        }
        let built = try StaticInitialization(vocabulary: vocabulary, special: special, vectors: vectors, statistics: counts,
                                             random: random, options: options)
        result = built
        return built.table
    }
}
