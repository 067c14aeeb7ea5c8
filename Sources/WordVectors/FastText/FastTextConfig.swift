// FastTextConfig: the options of the FastText trainer, each naming fastText's flag. Defaults are
// fastText's for unsupervised training (`fasttext skipgram`), the peer we are measured against.
// Reference: fastText src/args.cc. Not handled: supervised training, -wordNgrams, -loss hs/softmax.

/// Options of `FastText`.
public struct FastTextConfig: NegativeSamplingConfig {
    /// Skip-gram or CBOW (`fasttext skipgram|cbow`).
    public var architecture: Word2VecArchitecture = .skipGram
    /// Vector size (`-dim`).
    public var dimension = 100
    /// Window: each centre word uses 1...window words each side, drawn uniformly (`-ws`).
    public var window = 5
    /// Noise words per positive (`-neg`).
    public var negative = 5
    /// Passes (`-epoch`).
    public var epochs = 5
    /// Minimum word count (`-minCount`).
    public var minCount = 5
    /// Shortest character n-gram (`-minn`).
    public var minn = 3
    /// Longest character n-gram (`-maxn`); 0 disables subwords (then this is word2vec).
    public var maxn = 6
    /// Hash buckets for n-grams (`-bucket`).
    public var bucket = 2_000_000
    /// Starting learning rate, decayed linearly to 0 (`-lr`).
    public var learningRate: Float = 0.05
    /// Subsampling threshold (`-t`): keep with probability √(t/f) + t/f.
    public var sample = 1e-4
    /// Noise distribution count^power; fastText uses √count.
    public var negativePower = 0.5
    /// Start the input matrix as fastText 0.9 does (`--fasttext-init`). Its `DenseMatrix::uniform`
    /// gives each of its `-thread` threads one tenth of the matrix, in row-major element order. So
    /// only the first min(threads, 10)/10 of the matrix is drawn uniform in ±1/dim, and the rest
    /// (most n-gram buckets) starts at zero. With 2 threads that is the word rows and the first
    /// ~360k of the 2M buckets; we checked this on fastText's own saved matrices. false (the default)
    /// draws every row, as the paper describes. On our corpus, one epoch, 2 threads, the analogy
    /// accuracy is 0.02 above fastText's with false and 0.02 below with true (Docs/FastText.md).
    public var fastTextInitialization = false
    /// Seed (fastText's `-seed`, here for our own generator).
    public var seed: UInt64 = 1
    /// Lines are cut into pieces of this many words.
    public var maxSentenceLength = 10_000
    /// Bytes of word indices kept after the first epoch (see Word2VecConfig.corpusCacheBytes).
    public var corpusCacheBytes = 1 << 30

    /// Worker threads (`-thread`); nil uses the process-wide `Threads.count`. With 1 the run is
    /// bit-reproducible for a seed.
    public var threads: Int? = nil

    public init() {}

    /// Throws `WordVectorsError.invalidOption` for unusable values.
    public func validate() throws {
        try validateNegativeSampling()
        try check(minn >= 0 && maxn >= 0 && (maxn == 0 || minn <= maxn), "minn/maxn", "need 0 ≤ minn ≤ maxn (or maxn = 0), got \(minn)/\(maxn)")
        try check(bucket >= 0 && bucket <= 100_000_000, "bucket", "must be 0...100000000")
        try check(sample > 0 && sample.isFinite, "sample", "must be > 0")
    }
}
