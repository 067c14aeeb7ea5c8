// CountVectors: the classic count-based baseline: a word–context co-occurrence matrix X (window,
// unweighted), reweighted by positive pointwise mutual information with context-distribution
// smoothing, PPMI(w, c) = max(0, log P(w,c) / (P(w) P_α(c))), P_α(c) = X_c^α / Σ X_c'^α, then a
// truncated SVD M ≈ U Σ Vᵀ; word vectors are the rows of U Σ^p (p = 0.5 works better than 1).
// Reference: Levy, Goldberg, Dagan 2015, "Improving Distributional Similarity…"; Bullinaria & Levy 2007.
// Not handled: shifted PPMI (log k), SVD of the full matrix (randomised only).

import Foundation
import TensorCore

/// Options of `CountVectors`.
public struct CountVectorsConfig: WordVectorsTrainingConfig {
    /// Vector size (the SVD rank).
    public var dimension = 100
    /// Context words on each side, each counted 1.
    public var window = 5
    /// Minimum word count.
    public var minCount = 5
    /// Keep only the most frequent words (rows and columns of the matrix).
    public var maxVocabulary = 100_000
    /// Context-distribution smoothing α in P_α(c) ∝ X_c^α (Levy et al.: 0.75).
    public var contextSmoothing = 0.75
    /// Vectors are U Σ^p (0: U only, 1: U Σ).
    public var eigenvaluePower: Float = 0.5
    /// Power iterations of the randomised SVD.
    public var powerIterations = 4
    /// Extra random directions of the randomised SVD.
    public var oversampling = 10
    /// Counting memory budget in bytes (spills beyond it, as GloVe).
    public var memoryBudget = 2 << 30
    public var seed: UInt64 = 1
    /// Counting threads; nil uses `Threads.count`.
    public var threads: Int? = nil

    public init() {}
}

/// The output of `CountVectors.train`.
public struct CountVectorsResult: Sendable {
    public var keyedVectors: KeyedVectors
    public var report: TrainingReport
    /// Stored PPMI entries.
    public var nonZeroCount: Int
    /// The top singular values.
    public var singularValues: [Double]
}

/// PPMI + truncated SVD vectors.
///
/// ```swift
/// let result = try CountVectors.train(corpus: TextCorpus(contentsOf: URL(fileURLWithPath: "corpus.txt")), config: CountVectorsConfig())
/// ```
public enum CountVectors: Sendable {
    public static func train(corpus: TextCorpus, config: CountVectorsConfig, showProgress: Bool = false) throws -> CountVectorsResult {
        guard config.dimension >= 1, config.window >= 1, config.maxVocabulary >= 1 else {
            throw WordVectorsError.invalidOption(name: "dimension/window/maxVocabulary", detail: "must be at least 1")
        }
        let start = TrainingProgress.now()
        let progress = showProgress ? TrainingProgress(label: "svd counting") : nil
        let full = try Vocabulary.count(corpus, minCount: config.minCount, threads: config.threads, progress: progress)
        let keep = min(full.count, config.maxVocabulary)
        let vocabulary = Vocabulary(words: Array(full.words.prefix(keep)), counts: Array(full.counts.prefix(keep)),
                                    corpusTokens: full.corpusTokens, corpusLines: full.corpusLines)
        var counting = GloVeConfig()
        counting.window = config.window
        counting.memoryBudget = config.memoryBudget
        counting.threads = config.threads
        try MemoryBudget.check(Double(config.memoryBudget), for: "the co-occurrence counting tables",
                               fix: "Lower CountVectorsConfig.memoryBudget")
        let runs = try GloVe.countCooccurrences(corpus: corpus, vocabulary: vocabulary, config: counting, progress: progress) { _ in 1 }
        // PPMI: per stored count a column and a value, read and written, plus the transpose (24
        // bytes); the SVD's dense [V, k + oversampling] blocks, four at a time.
        let sketch = Double(vocabulary.count) * Double(min(config.dimension, vocabulary.count) + config.oversampling) * 4 * 4
        try MemoryBudget.check(Double(runs.recordsWritten) * 24 + sketch,
                               for: "the PPMI matrix (\(runs.recordsWritten) counts) and the SVD's blocks (\(vocabulary.count) words × \(config.dimension) dimensions)",
                               fix: "Lower --max-vocab, --window or --dim")
        let matrix = try ppmiMatrix(runs: runs, size: vocabulary.count, smoothing: config.contextSmoothing)
        progress?.finish(done: Double(full.corpusTokens))
        let svd = randomizedSVD(matrix, transposed: matrix.transposed(), rank: min(config.dimension, vocabulary.count),
                                oversampling: config.oversampling, powerIterations: config.powerIterations, seed: config.seed)
        let k = svd.rank
        var vectors = Tensor(zeros: [vocabulary.count, k])
        vectors.withUnsafeMutableBufferPointer { values in
            for column in 0..<k {
                let scale = Float(pow(svd.singularValues[column], Double(config.eigenvaluePower)))
                for row in 0..<vocabulary.count { values[row * k + column] = svd.left[row * k + column] * scale }
            }
        }
        let report = TrainingReport(seconds: TrainingProgress.now() - start, tokens: full.corpusTokens, threads: Threads.count)
        return CountVectorsResult(
            keyedVectors: KeyedVectors(words: vocabulary.words, vectors: vectors, counts: vocabulary.counts),
            report: report, nonZeroCount: matrix.nonZeroCount, singularValues: svd.singularValues)
    }

    /// The PPMI matrix of the merged counts: rows = words, columns = contexts, both `size` wide.
    static func ppmiMatrix(runs: CooccurrenceRuns, size: Int, smoothing: Double) throws -> SparseMatrix {
        var rowStarts = [Int](repeating: 0, count: size + 1)
        var columns: [Int32] = []
        var counts: [Float] = []
        var rowSums = [Double](repeating: 0, count: size)
        var columnSums = [Double](repeating: 0, count: size)
        try runs.merge { word, context, x in
            rowStarts[word + 1] += 1
            columns.append(Int32(context))
            counts.append(x)
            rowSums[word] += Double(x)
            columnSums[context] += Double(x)
        }
        for row in 0..<size { rowStarts[row + 1] += rowStarts[row] }
        let total = rowSums.reduce(0, +)
        let smoothedColumns = columnSums.map { pow($0, smoothing) }
        let smoothedTotal = smoothedColumns.reduce(0, +)
        // PMI = log [ (X_wc / N) / ((X_w / N) · (X_c^α / Σ X^α)) ] = log X_wc + log N − log X_w − log P_α(c) − log N·…
        var rowStartsOut = [Int](repeating: 0, count: size + 1)
        var columnsOut: [Int32] = []
        var valuesOut: [Float] = []
        columnsOut.reserveCapacity(counts.count)
        valuesOut.reserveCapacity(counts.count)
        for row in 0..<size {
            for entry in rowStarts[row]..<rowStarts[row + 1] {
                let column = Int(columns[entry])
                let joint = Double(counts[entry]) / total
                let wordProbability = rowSums[row] / total
                let contextProbability = smoothedColumns[column] / smoothedTotal
                let pmi = log(joint / (wordProbability * contextProbability))
                if pmi > 0 {
                    columnsOut.append(Int32(column))
                    valuesOut.append(Float(pmi))
                }
            }
            rowStartsOut[row + 1] = valuesOut.count
        }
        return SparseMatrix(rows: size, columns: size, rowStarts: rowStartsOut, columnIndices: columnsOut, values: valuesOut)
    }
}
