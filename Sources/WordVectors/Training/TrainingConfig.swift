// The options the word-vector trainers share, as protocols their configs conform to: every one
// has a vector size, a window, a count cut-off, a seed and a thread count; word2vec, GloVe and
// fastText also make passes with a learning rate; word2vec and fastText sample negatives. The
// fields stay in each config (each names the flag of the tool it mirrors); what is written once
// here is their validation, and the command line reads them through these protocols.
// Not handled: options one trainer alone has (GloVe's x-max, fastText's n-grams, SVD's rank).

/// Options of every word-vector trainer.
public protocol WordVectorsTrainingConfig: Codable, Equatable, Sendable {
    /// Vector size.
    var dimension: Int { get set }
    /// Largest distance between a word and a context word.
    var window: Int { get set }
    /// Words seen fewer times are dropped.
    var minCount: Int { get set }
    /// Seed of every random draw.
    var seed: UInt64 { get set }
    /// Worker threads; nil uses the process-wide `Threads.count`.
    var threads: Int? { get set }
}

/// Trainers that pass over the corpus with a decaying learning rate (word2vec, GloVe, fastText).
public protocol PassesTrainingConfig: WordVectorsTrainingConfig {
    /// Passes over the corpus.
    var epochs: Int { get set }
    /// Starting learning rate.
    var learningRate: Float { get set }
}

/// Trainers with negative sampling and subsampling of frequent words (word2vec, fastText).
public protocol NegativeSamplingConfig: PassesTrainingConfig {
    /// Skip-gram or CBOW.
    var architecture: Word2VecArchitecture { get set }
    /// Noise words per positive pair.
    var negative: Int { get set }
    /// Subsampling threshold of frequent words.
    var sample: Double { get set }
}

extension WordVectorsTrainingConfig {
    /// Throws `WordVectorsError.invalidOption` when `ok` is false.
    func check(_ ok: Bool, _ name: String, _ detail: String) throws {
        if !ok { throw WordVectorsError.invalidOption(name: name, detail: detail) }
    }

    /// Checks the shared options: threads 1...4096, dimension 1...10000, window 1...1000, minCount ≥ 1.
    func validateShared() throws {
        try check(threads.map { $0 >= 1 && $0 <= 4096 } ?? true, "threads", "must be 1...4096")
        try check(dimension >= 1 && dimension <= 10_000, "dimension", "must be 1...10000, got \(dimension)")
        try check(window >= 1 && window <= 1000, "window", "must be 1...1000, got \(window)")
        try check(minCount >= 1, "minCount", "must be at least 1, got \(minCount)")
    }
}

extension PassesTrainingConfig {
    /// The shared checks, then epochs ≥ 1 and a finite learning rate > 0.
    func validatePasses() throws {
        try validateShared()
        try check(epochs >= 1, "epochs", "must be at least 1, got \(epochs)")
        try check(learningRate > 0 && learningRate.isFinite, "learningRate", "must be > 0, got \(learningRate)")
    }
}

extension NegativeSamplingConfig {
    /// The checks of `validatePasses`, then negative 1...1000 (hierarchical softmax is not built).
    func validateNegativeSampling() throws {
        try validatePasses()
        try check(negative >= 1 && negative <= 1000, "negative", "must be 1...1000, got \(negative) (hierarchical softmax is not built)")
    }
}
