// GloVe: global vectors from co-occurrence counts. Minimises the weighted least squares
//     J = Σ_{w,c: X_wc > 0} f(X_wc) (v_w · ṽ_c + b_w + b̃_c − log X_wc)²,  f(x) = min(1, (x/x_max)^α)
// with AdaGrad over the shuffled non-zero entries (threads take contiguous slices, Hogwild), and
// returns v_w + ṽ_w for each word, as the reference does by default (-model 2).
// This is NOT an SVD: it fits log-counts with a learned bilinear model (see Docs/GloVe.md).
// Reference: Pennington, Socher, Manning 2014; stanfordnlp/GloVe src/glove.c.
// Not handled: the "<unk>" vector glove.c appends; checkpoints between iterations.

import Foundation
import TensorCore

/// The output of a GloVe run.
public struct GloVeResult: Sendable {
    /// v_w + ṽ_w for every vocabulary word, most frequent first.
    public var keyedVectors: KeyedVectors
    /// The vocabulary + co-occurrence counting pass (tokens = corpus tokens).
    public var counting: TrainingReport
    /// The AdaGrad passes (tokens = corpus tokens × epochs, for a words/s comparable with word2vec).
    public var training: TrainingReport
    /// Distinct non-zero X_wc.
    public var cooccurrenceCount: Int
    /// The mean weighted cost ½ f(x)(diff)² of each epoch.
    public var costs: [Double]
}

/// GloVe training.
///
/// ```swift
/// var config = GloVeConfig(); config.window = 10; config.xMax = 10; config.epochs = 15
/// let result = try GloVe.train(corpus: TextCorpus(contentsOf: URL(fileURLWithPath: "corpus.txt")), config: config)
/// ```
public enum GloVe: Sendable {
    /// Counts, shuffles and trains.
    public static func train(corpus: TextCorpus, config: GloVeConfig, showProgress: Bool = false) throws -> GloVeResult {
        try config.validate()
        try MemoryBudget.check(Double(config.memoryBudget), for: "GloVe's counting tables (--memory-mib)",
                               fix: "Lower --memory-mib (counts beyond it spill to --temp-dir)")
        let countStart = TrainingProgress.now()
        let counting = showProgress ? TrainingProgress(label: "glove counting") : nil
        let vocabulary = try Vocabulary.count(corpus, minCount: config.minCount, threads: config.threads, progress: counting)
        let runs = try countCooccurrences(corpus: corpus, vocabulary: vocabulary, config: config, progress: counting)
        let records = try GloVeRecords(runs: runs, config: config, estimatedCount: runs.recordsWritten)
        counting?.finish(done: Double(vocabulary.corpusTokens))
        let threads = config.threads ?? Threads.count
        // [2V, 2(D + 1)] parameters with AdaGrad sums, then the summed [V, D] vectors, Float32.
        try MemoryBudget.check(Double(vocabulary.count) * (4 * Double(config.dimension + 1) + Double(config.dimension)) * 4,
                               for: "GloVe's parameters and AdaGrad sums (\(vocabulary.count) words × \(config.dimension) dimensions)",
                               fix: "Lower --dim, or raise --min-count to keep fewer words")
        let countReport = TrainingReport(seconds: TrainingProgress.now() - countStart, tokens: vocabulary.corpusTokens, threads: threads)
        let trainer = GloVeTrainer(vocabularySize: vocabulary.count, config: config)
        let (costs, seconds) = try trainer.train(records: records, showProgress: showProgress)
        let trainReport = TrainingReport(seconds: seconds, tokens: vocabulary.corpusTokens * config.epochs, threads: threads)
        let vectors = trainer.summedVectors()
        return GloVeResult(
            keyedVectors: KeyedVectors(words: vocabulary.words, vectors: vectors, counts: vocabulary.counts),
            counting: countReport, training: trainReport, cooccurrenceCount: records.count, costs: costs)
    }
}

/// The parameters and the AdaGrad loop. Legend: V words, D dimension, S = 2(D + 1) floats a row.
///
/// Row r < V is word r's vector, r ≥ V is context r − V's. Each row is laid out as
/// [v (D), b, G_v (D), G_b]: weights, bias, then AdaGrad's sums of squared gradients, so one
/// record touches two contiguous blocks of memory.
final class GloVeTrainer {
    let vocabularySize: Int
    let config: GloVeConfig
    let stride: Int
    let parameters: UnsafeMutablePointer<Float>   // [2V, S]

    init(vocabularySize: Int, config: GloVeConfig) {
        self.vocabularySize = vocabularySize
        self.config = config
        let D = config.dimension
        stride = 2 * (D + 1)
        parameters = .allocate(capacity: 2 * vocabularySize * stride)
        // glove.c: W = (rand()/RAND_MAX − 0.5)/D for weights and biases, gradsq = 1.
        var random = TrainingRandom(runSeed: config.seed, thread: 0)
        for row in 0..<(2 * vocabularySize) {
            let base = parameters + row * stride
            for index in 0...D { base[index] = (random.nextUniform() - 0.5) / Float(D) }
            for index in 0...D { base[D + 1 + index] = 1 }
        }
    }

    deinit { parameters.deallocate() }

    /// Runs `config.epochs` passes; returns the mean cost of each and the seconds taken.
    func train(records: GloVeRecords, showProgress: Bool) throws -> ([Double], Double) {
        let threads = config.threads ?? Threads.count
        let progress = showProgress ? TrainingProgress(label: "glove", unit: "records") : nil
        let done = SharedCounters(threads: threads)
        let planned = Double(records.count) * Double(config.epochs)
        var costs: [Double] = []
        let start = TrainingProgress.now()
        for _ in 0..<config.epochs {
            var threadCosts = [Double](repeating: 0, count: threads)
            try threadCosts.withUnsafeMutableBufferPointer { costSlots in
                try runWorkers(threads: threads) { thread in
                    let range = chunkRange(thread, of: threads, count: records.count)
                    var cost = 0.0
                    try records.forEachChunk(in: range) { chunk in
                        var chunkCost: Float = 0
                        var since = 0
                        for record in chunk {
                            chunkCost += update(record)
                            since += 1
                            if since == 8192 {
                                done.add(since, thread: thread)
                                since = 0
                                cost += Double(chunkCost); chunkCost = 0
                                if thread == 0 { progress?.update(done: Double(done.total), total: planned, learningRate: config.learningRate) }
                            }
                        }
                        done.add(since, thread: thread)
                        cost += Double(chunkCost)
                    }
                    costSlots[thread] = cost
                }
            }
            costs.append(threadCosts.reduce(0, +) / Double(max(1, records.count)))
        }
        let seconds = TrainingProgress.now() - start
        progress?.finish(done: Double(done.total))
        return (costs, seconds)
    }

    /// One AdaGrad step on one record; returns its cost ½ f (diff)².
    ///
    /// Forward: diff = v_w·ṽ_c + b_w + b̃_c − log X;  J_wc = ½ f(X) diff².
    /// Backward: ∂J/∂v_w = f·diff·ṽ_c, ∂J/∂ṽ_c = f·diff·v_w, ∂J/∂b_w = ∂J/∂b̃_c = f·diff.
    /// AdaGrad: θ −= η g / √G, then G += g² (glove.c's order: G from before this step).
    @inline(__always)
    func update(_ record: GloVeRecord) -> Float {
        let D = config.dimension
        let word = parameters + Int(record.word) * stride                        // [v_w, b_w, G…]
        let context = parameters + (vocabularySize + Int(record.context)) * stride // [ṽ_c, b̃_c, G…]
        let diff = dot(word, context, D) + word[D] + context[D] - record.logCount
        let weightedDiff = record.weight * diff                                  // f·diff = ∂J/∂b
        guard weightedDiff.isFinite else { return 0 }
        let step = config.learningRate * weightedDiff                            // η f diff
        adagradPairUpdate(word, context, D, step)
        // Biases: g = f·diff for both.
        word[D] -= step / word[2 * D + 1].squareRoot()
        context[D] -= step / context[2 * D + 1].squareRoot()
        word[2 * D + 1] += step * step
        context[2 * D + 1] += step * step
        return 0.5 * weightedDiff * diff
    }

    /// The summed vectors v_w + ṽ_w, [V, D].
    func summedVectors() -> Tensor {
        let D = config.dimension
        var result = Tensor(zeros: [vocabularySize, D])
        result.withUnsafeMutableBufferPointer { values in
            for row in 0..<vocabularySize {
                let word = parameters + row * stride, context = parameters + (vocabularySize + row) * stride
                for column in 0..<D { values[row * D + column] = word[column] + context[column] }
            }
        }
        return result
    }
}

/// For the two rows of one record, with s = η·f·diff:
///     g_v = s·ṽ, g_ṽ = s·v (both from the values before this step)
///     v −= g_v / √G_v;  ṽ −= g_ṽ / √G_ṽ;  G_v += g_v²;  G_ṽ += g_ṽ²
/// Rows are [weights (D), bias, G (D), G_bias]. Eight lanes at a time (SIMD8), then a scalar tail.
@inline(__always)
func adagradPairUpdate(_ word: UnsafeMutablePointer<Float>, _ context: UnsafeMutablePointer<Float>, _ D: Int, _ step: Float) {
    let wordG = word + D + 1, contextG = context + D + 1
    var index = 0
    let s = SIMD8<Float>(repeating: step)
    let rawW = UnsafeMutableRawPointer(word), rawC = UnsafeMutableRawPointer(context)
    let rawWG = UnsafeMutableRawPointer(wordG), rawCG = UnsafeMutableRawPointer(contextG)
    while index + 8 <= D {
        let offset = index * 4
        let v = rawW.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
        let c = rawC.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
        let gv = rawWG.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
        let gc = rawCG.loadUnaligned(fromByteOffset: offset, as: SIMD8<Float>.self)
        let gradientV = s * c, gradientC = s * v
        rawW.storeBytes(of: v - gradientV / gv.squareRoot(), toByteOffset: offset, as: SIMD8<Float>.self)
        rawC.storeBytes(of: c - gradientC / gc.squareRoot(), toByteOffset: offset, as: SIMD8<Float>.self)
        rawWG.storeBytes(of: gv + gradientV * gradientV, toByteOffset: offset, as: SIMD8<Float>.self)
        rawCG.storeBytes(of: gc + gradientC * gradientC, toByteOffset: offset, as: SIMD8<Float>.self)
        index += 8
    }
    while index < D {
        let v = word[index], c = context[index]
        let gradientV = step * c, gradientC = step * v
        word[index] = v - gradientV / wordG[index].squareRoot()
        context[index] = c - gradientC / contextG[index].squareRoot()
        wordG[index] += gradientV * gradientV
        contextG[index] += gradientC * gradientC
        index += 1
    }
}
