// Word2VecConfig: every option of the word2vec trainers, each naming the word2vec.c flag (and the
// gensim argument) it mirrors. Defaults are gensim 4's, the peer we are measured against.
// Reference: word2vec.c (Mikolov 2013) and gensim.models.Word2Vec.
// Not handled: hierarchical softmax (-hs 1; negative sampling replaces it); phrases.

/// How a word2vec model predicts: context from centre (skip-gram) or centre from context (CBOW).
public enum Word2VecArchitecture: String, Codable, Sendable, CaseIterable {
    /// Each context word's input vector predicts the centre word (word2vec.c -cbow 0, gensim sg=1).
    case skipGram = "skipgram"
    /// The mean of the context words' input vectors predicts the centre word (-cbow 1, sg=0).
    case cbow
}

/// Options of `Word2Vec`.
///
/// ```swift
/// var config = Word2VecConfig.skipGram
/// config.epochs = 3
/// ```
public struct Word2VecConfig: NegativeSamplingConfig {
    /// Skip-gram or CBOW (`-cbow`, gensim `sg`).
    public var architecture: Word2VecArchitecture = .skipGram
    /// Vector size (`-size`, gensim `vector_size`).
    public var dimension = 100
    /// Maximum distance between centre and context word (`-window`); the effective window of
    /// each centre word is drawn uniformly from 1...window ("dynamic window").
    public var window = 5
    /// Noise words per positive pair (`-negative`).
    public var negative = 5
    /// Passes over the corpus (`-iter`, gensim `epochs`).
    public var epochs = 5
    /// Words seen fewer times are dropped (`-min-count`).
    public var minCount = 5
    /// Subsampling threshold for frequent words (`-sample`); 0 disables it.
    public var sample = 1e-3
    /// Starting learning rate (`-alpha`, gensim `alpha`; gensim uses 0.025 for both architectures).
    public var learningRate: Float = 0.025
    /// Learning rate reached at the end, decayed linearly (gensim `min_alpha`).
    public var minLearningRate: Float = 0.0001
    /// Exponent of the noise distribution count^power (gensim `ns_exponent`).
    public var negativePower = 0.75
    /// CBOW: average the context vectors (true) or sum them (`-cbow` mean, gensim `cbow_mean`).
    public var cbowMean = true
    /// Seed of every random draw; with one thread the run is bit-reproducible.
    public var seed: UInt64 = 1
    /// Longer lines are cut into pieces of this many words (word2vec.c MAX_SENTENCE_LENGTH).
    public var maxSentenceLength = 10_000
    /// Bytes of word indices kept in memory after the first epoch so later epochs need not re-read
    /// the text (4 bytes a token; 0 = always stream). Larger corpora fall back to streaming.
    public var corpusCacheBytes = 1 << 30

    /// Worker threads (`-threads`); nil uses the process-wide `Threads.count`. With 1 the run is
    /// bit-reproducible for a seed.
    public var threads: Int? = nil

    public init() {}

    /// gensim's skip-gram defaults.
    public static var skipGram: Word2VecConfig { Word2VecConfig() }
    /// gensim's CBOW defaults.
    public static var cbow: Word2VecConfig {
        var config = Word2VecConfig()
        config.architecture = .cbow
        return config
    }

    /// Throws `WordVectorsError.invalidOption` for a value no trainer could use.
    public func validate() throws {
        try validateNegativeSampling()
        try check(sample >= 0 && sample.isFinite, "sample", "must be ≥ 0, got \(sample)")
        try check(minLearningRate >= 0 && minLearningRate <= learningRate, "minLearningRate", "must be in 0...learningRate, got \(minLearningRate)")
        try check(negativePower.isFinite, "negativePower", "must be finite")
        try check(maxSentenceLength >= 2, "maxSentenceLength", "must be at least 2")
    }
}
