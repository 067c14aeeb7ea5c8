// FastText: word vectors as sums of character n-gram vectors. A word's input vector is the mean of
// its own row and its n-gram rows (CharacterNgrams); training is word2vec's negative sampling on
// that mean. Unknown words get the mean of their n-gram rows. Skip-gram: for each centre word, its
// mean h predicts each context word; CBOW: the mean over all context words' rows predicts the centre.
// Reference: Bojanowski et al. 2017; fastText src/fasttext.cc (skipgram, cbow), model.cc (update).
// `fastTextModel` is the same model in fastText's .bin layout (written by VectorFile.write).
// Not handled: the "</s>" end-of-line token fastText adds to each line.

import Foundation
import TensorCore

/// A FastText model. Legend: W words, B buckets, D dimension; input rows = W + B.
///
/// ```swift
/// let model = try FastText.train(corpus: TextCorpus(contentsOf: URL(fileURLWithPath: "corpus.txt")), config: FastTextConfig())
/// let v = try model.keyedVectors.vector(for: "unseenword")   // from its n-grams
/// ```
public final class FastText {
    public let config: FastTextConfig
    public let vocabulary: Vocabulary
    /// [W + B, D]: word rows then n-gram buckets (fastText: wi_). Uniform in ±1/D at the start.
    public private(set) var inputMatrix: Tensor
    /// [W, D] (fastText: wo_). Zero at the start.
    public private(set) var outputMatrix: Tensor
    /// Rows of word i: subwordRows[subwordStarts[i]..<subwordStarts[i+1]] (own row first).
    let subwordRows: [Int32]
    let subwordStarts: [Int]
    /// How far the mean h of word i's rows moves when g is added to each listed row: Σ_r m_r² / n
    /// for rows listed m_r times among n (1 unless an n-gram repeats or two n-grams collide).
    let subwordShift: [Float]
    /// The report of the last `train` call.
    public private(set) var lastReport: TrainingReport?

    public init(config: FastTextConfig, vocabulary: Vocabulary) throws {
        try config.validate()
        let bucket = config.maxn > 0 ? config.bucket : 0
        try FastText.checkMemory(config: config, words: vocabulary.count)
        self.config = config
        self.vocabulary = vocabulary
        inputMatrix = parallelUniform(rows: vocabulary.count + bucket, columns: config.dimension,
                                      bound: 1 / Float(config.dimension), seed: config.seed)
        if config.fastTextInitialization {
            // fastText's DenseMatrix::uniform: thread t fills elements [t·⌊n/10⌋, (t + 1)·⌊n/10⌋).
            let count = inputMatrix.count
            let filled = min(count, (count / 10) * max(1, config.threads ?? Threads.count))
            inputMatrix.withUnsafeMutableBufferPointer { values in
                values.baseAddress!.advanced(by: filled).update(repeating: 0, count: count - filled)
            }
        }
        outputMatrix = Tensor(zeros: [vocabulary.count, config.dimension])
        var rows: [Int32] = []
        var starts = [0]
        var scratch: [Int] = []
        for (index, _) in vocabulary.words.enumerated() {
            rows.append(Int32(index))
            scratch.removeAll(keepingCapacity: true)
            CharacterNgrams.appendRows(of: vocabulary.table.bytes(at: index), minn: config.minn, maxn: config.maxn,
                                       bucket: bucket, wordCount: vocabulary.count, into: &scratch)
            rows.append(contentsOf: scratch.map { Int32($0) })
            starts.append(rows.count)
        }
        subwordRows = rows
        subwordStarts = starts
        subwordShift = (0..<vocabulary.count).map { index in
            let list = rows[starts[index]..<starts[index + 1]]
            var multiplicity: [Int32: Int] = [:]
            for row in list { multiplicity[row, default: 0] += 1 }
            return Float(multiplicity.values.reduce(0) { $0 + $1 * $1 }) / Float(list.count)
        }
    }

    /// Counts the vocabulary and trains.
    public static func train(corpus: TextCorpus, config: FastTextConfig, showProgress: Bool = false) throws -> FastText {
        try config.validate()
        try checkMemory(config: config, words: 0)   // the buckets alone, before counting
        let counting = showProgress ? TrainingProgress(label: "counting") : nil
        let vocabulary = try Vocabulary.count(corpus, minCount: config.minCount, threads: config.threads, progress: counting)
        counting?.finish(done: Double(vocabulary.corpusTokens))
        let model = try FastText(config: config, vocabulary: vocabulary)
        try model.train(corpus: corpus, showProgress: showProgress)
        return model
    }

    /// Throws `MemoryBudgetError` when the tables of `words` words would not fit: input rows for
    /// the words and the buckets, output rows and the word vectors for the words, [·, D] Float32 each.
    static func checkMemory(config: FastTextConfig, words: Int) throws {
        let bucket = config.maxn > 0 ? config.bucket : 0
        let rows = Double(words + bucket) + 2 * Double(words)
        try MemoryBudget.check(rows * Double(config.dimension) * 4,
                               for: words == 0 ? "fastText's n-gram vectors (\(bucket) buckets × \(config.dimension) dimensions)"
                                   : "fastText's vectors ((\(bucket) buckets + \(words) words) input rows, \(words) output rows) × \(config.dimension) dimensions",
                               fix: "Lower --dim or --bucket")
    }

    // MARK: - Vectors

    /// The mean of the given input rows.
    func meanOfRows(_ rows: [Int]) -> [Float]? {
        guard !rows.isEmpty else { return nil }
        let D = config.dimension
        var result = [Float](repeating: 0, count: D)
        inputMatrix.withUnsafeBufferPointer { matrix in
            for row in rows { for column in 0..<D { result[column] += matrix[row * D + column] } }
        }
        return result.map { $0 * meanScale(rows.count) }
    }

    /// Word vectors (mean of own row and n-gram rows), with n-gram vectors for unknown words.
    public var keyedVectors: KeyedVectors {
        let D = config.dimension
        var vectors = Tensor(zeros: [vocabulary.count, D])
        vectors.withUnsafeMutableBufferPointer { values in
            for index in 0..<vocabulary.count {
                let rows = subwordRows[subwordStarts[index]..<subwordStarts[index + 1]].map { Int($0) }
                let mean = meanOfRows(rows)!
                for column in 0..<D { values[index * D + column] = mean[column] }
            }
        }
        let input = inputMatrix, config = self.config, wordCount = vocabulary.count
        let bucket = config.maxn > 0 ? config.bucket : 0
        return KeyedVectors(words: vocabulary.words, vectors: vectors, counts: vocabulary.counts, fastTextModel: fastTextModel) { word in
            let rows = CharacterNgrams.rows(of: word, minn: config.minn, maxn: config.maxn, bucket: bucket, wordCount: wordCount)
            guard !rows.isEmpty else { return nil }
            var result = [Float](repeating: 0, count: D)
            input.withUnsafeBufferPointer { matrix in
                for row in rows { for column in 0..<D { result[column] += matrix[row * D + column] } }
            }
            return result.map { $0 * meanScale(rows.count) }
        }
    }

    /// The model as fastText stores it (args, dictionary, both matrices), for a .bin file that
    /// fastText and gensim load with its n-grams. Arguments with no counterpart here take
    /// fastText's defaults: wordNgrams 1, loss ns, lrUpdateRate 100.
    public var fastTextModel: FastTextBinary {
        FastTextBinary(
            version: 12, dimension: config.dimension, window: config.window, epochs: config.epochs,
            minCount: config.minCount, negative: config.negative, wordNgrams: 1,
            loss: FastTextBinary.Loss.negativeSampling.rawValue,
            model: (config.architecture == .cbow ? FastTextBinary.Model.cbow : .skipGram).rawValue,
            bucket: config.maxn > 0 ? config.bucket : 0, minn: config.minn, maxn: config.maxn,
            learningRateUpdateRate: 100, samplingThreshold: config.sample, words: vocabulary.words,
            counts: vocabulary.counts, tokenCount: vocabulary.corpusTokens, prunedBuckets: [:], isPruned: false,
            inputMatrix: inputMatrix, outputMatrix: outputMatrix)
    }

    // MARK: - Training

    /// `config.epochs` passes on `Threads.count` threads; the rate falls linearly to 0 (fastText).
    @discardableResult
    public func train(corpus: TextCorpus, showProgress: Bool = false) throws -> TrainingReport {
        let threads = config.threads ?? Threads.count
        let ranges = corpus.byteRanges(parts: threads)
        let keep = vocabulary.fastTextKeepThresholds(t: config.sample)
        let noise = AliasSampler(counts: vocabulary.counts, power: config.negativePower)
        let sigmoid = SigmoidTable(size: 512, maxScore: 8)
        defer { sigmoid.deallocate() }
        let tokensRead = SharedCounters(threads: threads)
        let planned = Double(vocabulary.corpusTokens) * Double(config.epochs)
        let progress = showProgress ? TrainingProgress(label: "fasttext-" + config.architecture.rawValue) : nil
        let config = self.config, table = vocabulary.table
        let start = TrainingProgress.now()
        let subwordRows = self.subwordRows, subwordStarts = self.subwordStarts, subwordShift = self.subwordShift
        try withPointers(writing: &inputMatrix, &outputMatrix) { _, input, output in
            try SentenceTrainer.Tables.binding(keepThresholds: keep, noise: noise, vocabularySize: vocabulary.count,
                                               sigmoid: sigmoid) { tables in
                try SubwordTables.binding(rows: subwordRows, starts: subwordStarts, shift: subwordShift) { subwords in
                    try runWorkers(threads: threads) { thread in
                        var trainer = FastTextSentenceTrainer(
                            config: config, tables: tables, subwords: subwords, input: input, output: output, thread: thread)
                        defer { trainer.deallocate() }
                        try corpus.forEachSentence(
                            in: ranges[thread], table: table, maxSentenceLength: config.maxSentenceLength,
                            epochs: config.epochs, cacheBudget: config.corpusCacheBytes / threads
                        ) { sentence, tokens in
                            let rate = linearlyDecayedRate(start: config.learningRate, end: 0, fraction: Double(tokensRead.total) / planned)
                            trainer.train(sentence: sentence, learningRate: rate)
                            tokensRead.add(tokens, thread: thread)
                            if thread == 0 { progress?.update(done: Double(tokensRead.total), total: planned, learningRate: rate) }
                        }
                    }
                }
            }
        }
        let report = TrainingReport(seconds: TrainingProgress.now() - start, tokens: tokensRead.total, threads: threads)
        progress?.finish(done: Double(report.tokens))
        lastReport = report
        return report
    }
}

/// 1/n as fastText scales a sum of n rows (`vec.mul(1.0 / n)`: the reciprocal in double, then
/// float), so our word vectors equal its getWordVector bit for bit.
func meanScale(_ n: Int) -> Float { Float(1.0 / Double(n)) }

/// A [rows, columns] matrix uniform in [−bound, bound), filled in parallel. Blocks of 4096 rows
/// each draw from their own stream seeded by (seed, block), so the result does not depend on the
/// thread count.
func parallelUniform(rows: Int, columns: Int, bound: Float, seed: UInt64) -> Tensor {
    var matrix = Tensor(uninitializedShape: [rows, columns])
    let blockRows = 4096
    matrix.withUnsafeMutableBufferPointer { values in
        let base = values.baseAddress!
        parallelFor((rows + blockRows - 1) / blockRows) { _, blocks in
            for block in blocks {
                var random = TrainingRandom(runSeed: seed, thread: 1_000_000 + block)
                let start = block * blockRows * columns
                let end = min(rows, (block + 1) * blockRows) * columns
                for index in start..<end { base[index] = (2 * random.nextUniform() - 1) * bound }
            }
        }
    }
    return matrix
}

/// Raw pointers to the flattened subword lists.
struct SubwordTables: @unchecked Sendable {
    // @unchecked: read-only pointers into arrays that the run keeps alive until every thread ends.
    let rows: UnsafePointer<Int32>
    let starts: UnsafePointer<Int>
    let shift: UnsafePointer<Float>

    /// Binds the three subword arrays for `body`.
    static func binding<R>(rows: [Int32], starts: [Int], shift: [Float], _ body: (SubwordTables) throws -> R) rethrows -> R {
        try rows.withUnsafeBufferPointer { r in
            try starts.withUnsafeBufferPointer { s in
                try shift.withUnsafeBufferPointer { f in
                    try body(SubwordTables(rows: r.baseAddress!, starts: s.baseAddress!, shift: f.baseAddress!))
                }
            }
        }
    }
}
