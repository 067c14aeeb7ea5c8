// Tests of word2vec: the negative-sampling step against hand-derived numbers and finite
// differences of its loss, the dot/axpy kernels against their references, determinism with one
// thread, and both architectures learning a corpus with obvious structure.

import CKernels
import Foundation
import Testing
import TestSupport
import TensorCore
@testable import WordVectors

/// A table fine enough to stand for the exact σ (error < 1e-5).
private let fineSigmoid = SigmoidTable(size: 2_000_000, maxScore: 8)

@Test func negativeSamplingStepByHand() {
    // h = [1, 0]; u_o = [0.5, 0] (positive), u_n = [0, 1] (noise); η = 1.
    // s_o = 0.5, σ(0.5) = 0.6224593 → g_o = 1 − 0.6224593 = 0.3775407
    //   inputGradient = g_o u_o = [0.1887703, 0];  u_o ← u_o + g_o h = [0.8775407, 0]
    // s_n = 0, σ(0) = 0.5 → g_n = 0 − 0.5 = −0.5
    //   inputGradient += g_n u_n → [0.1887703, −0.5];  u_n ← u_n + g_n h = [−0.5, 1]
    var output: [Float] = [0.5, 0, 0, 1]
    let input: [Float] = [1, 0]
    let targets = [0, 1]
    var gradient: [Float] = [9, 9]
    output.withUnsafeMutableBufferPointer { out in
        gradient.withUnsafeMutableBufferPointer { grad in
            negativeSamplingStep(input: input, targets: targets, targetCount: 2, outputVectors: out.baseAddress!,
                                 dimension: 2, learningRate: 1, sigmoid: fineSigmoid, inputGradient: grad.baseAddress!)
        }
    }
    #expect(abs(gradient[0] - 0.1887703) < 1e-5 && abs(gradient[1] + 0.5) < 1e-5)
    #expect(abs(output[0] - 0.8775407) < 1e-5 && output[1] == 0)
    #expect(abs(output[2] + 0.5) < 1e-5 && output[3] == 1)
}

@Test func negativeSamplingGradientsMatchFiniteDifferences() {
    // inputGradient = −η ∂L/∂h and Δu_t = −η ∂L/∂u_t (from the values before the step).
    var random = TrainingRandom(seed: 11)
    let D = 6, eta: Float = 1e-2
    let h = (0..<D).map { _ in random.nextUniform() - 0.5 }
    let rows = (0..<3).map { _ in (0..<D).map { _ in random.nextUniform() - 0.5 } }
    var output = rows.flatMap { $0 }
    var gradient = [Float](repeating: 0, count: D)
    output.withUnsafeMutableBufferPointer { out in
        gradient.withUnsafeMutableBufferPointer { grad in
            negativeSamplingStep(input: h, targets: [0, 1, 2], targetCount: 3, outputVectors: out.baseAddress!,
                                 dimension: D, learningRate: eta, sigmoid: fineSigmoid, inputGradient: grad.baseAddress!)
        }
    }
    func loss(_ h: [Float], _ rows: [[Float]]) -> Double {
        negativeSamplingLoss(input: h, positive: rows[0], negatives: Array(rows[1...]))
    }
    let step: Float = 1e-3
    for index in 0..<D {
        var plus = h, minus = h
        plus[index] += step; minus[index] -= step
        let numeric = (loss(plus, rows) - loss(minus, rows)) / Double(2 * step)
        #expect(abs(Double(gradient[index]) / Double(-eta) - numeric) < 2e-3, "∂L/∂h[\(index)]")
    }
    for target in 0..<3 {
        for index in 0..<D {
            var plus = rows, minus = rows
            plus[target][index] += step; minus[target][index] -= step
            let numeric = (loss(h, plus) - loss(h, minus)) / Double(2 * step)
            let moved = Double(output[target * D + index] - rows[target][index]) / Double(-eta)
            #expect(abs(moved - numeric) < 2e-3, "∂L/∂u_\(target)[\(index)]")
        }
    }
}

/// CKernels' te_sgns_step (every path the CPU can run) against the Swift reference, at widths
/// around the vector sizes, with a skipped target (−1) and a repeated one (5 twice: the second
/// use sees the first update).
@Test(arguments: [1, 7, 8, 16, 100, 131])
func negativeSamplingKernelMatchesReference(dimension: Int) {
    var random = TrainingRandom(seed: UInt64(dimension))
    let rows = 8
    let h = (0..<dimension).map { _ in random.nextUniform() - 0.5 }
    let start = (0..<(rows * dimension)).map { _ in random.nextUniform() - 0.5 }
    let targets = [3, 5, -1, 0, 5, 7]
    let table = SigmoidTable()
    func run(_ step: (UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> Void) -> (rows: [Float], gradient: [Float]) {
        var output = start, gradient = [Float](repeating: 9, count: dimension)
        output.withUnsafeMutableBufferPointer { out in
            gradient.withUnsafeMutableBufferPointer { grad in step(out.baseAddress!, grad.baseAddress!) }
        }
        return (output, gradient)
    }
    let reference = run { out, grad in
        negativeSamplingStepReference(input: h, targets: targets, targetCount: targets.count, outputVectors: out,
                                      dimension: dimension, learningRate: 0.05, sigmoid: table, inputGradient: grad)
    }
    for path in KernelPath.available {
        te_force_path(path)
        let fast = run { out, grad in
            negativeSamplingStep(input: h, targets: targets, targetCount: targets.count, outputVectors: out,
                                 dimension: dimension, learningRate: 0.05, sigmoid: table, inputGradient: grad)
        }
        te_force_path(nil)
        #expect(maxScaledError(fast.rows, reference.rows) < 1e-5, "rows, D = \(dimension), path \(path)")
        #expect(maxScaledError(fast.gradient, reference.gradient) < 1e-5, "gradient, D = \(dimension), path \(path)")
        #expect(fast.rows != start)
    }
}

@Test(arguments: [1, 7, 8, 16, 100, 131])
func vectorKernelsAgreeWithReferences(count: Int) {
    var random = TrainingRandom(seed: UInt64(count))
    let x = (0..<count).map { _ in random.nextUniform() - 0.5 }
    let y = (0..<count).map { _ in random.nextUniform() - 0.5 }
    #expect(abs(dot(x, y, count) - dotReference(x, y, count)) < 1e-5)
    #expect(abs(dotCKernels(x, y, count) - dotReference(x, y, count)) < 1e-5)
    var fast = y, slow = y
    fast.withUnsafeMutableBufferPointer { axpy(0.25, x, $0.baseAddress!, count) }
    slow.withUnsafeMutableBufferPointer { axpyReference(0.25, x, $0.baseAddress!, count) }
    #expect(fast == slow)
}

@Test func sigmoidTableIsCloseToExact() {
    let table = SigmoidTable()
    for x in stride(from: Float(-7), through: 7, by: 0.37) {
        #expect(abs(table(x) - SigmoidTable.exact(x)) < 0.004)
    }
    #expect(table(100) == 1 && table(-100) == 0)
}

private func smallConfig(_ architecture: Word2VecArchitecture) -> Word2VecConfig {
    var config = architecture == .cbow ? Word2VecConfig.cbow : Word2VecConfig.skipGram
    config.dimension = 12
    config.window = 3
    config.epochs = 4
    config.minCount = 1
    config.sample = 0
    config.learningRate = 0.05
    config.threads = 1
    return config
}

@Test func oneThreadIsDeterministic() throws {
    let corpus = try TextCorpus(contentsOf: URL(fileURLWithPath: temporaryFile(twoTopicCorpus(lines: 200))))
    let first = try Word2Vec.train(corpus: corpus, config: smallConfig(.skipGram))
    let second = try Word2Vec.train(corpus: corpus, config: smallConfig(.skipGram))
    #expect(first.inputVectors == second.inputVectors)
    #expect(first.outputVectors == second.outputVectors)
    var other = smallConfig(.skipGram)
    other.seed = 2
    #expect(try Word2Vec.train(corpus: corpus, config: other).inputVectors != first.inputVectors)
}

@Test(arguments: [Word2VecArchitecture.skipGram, .cbow])
func word2vecLearnsTwoTopics(architecture: Word2VecArchitecture) throws {
    let corpus = try TextCorpus(contentsOf: URL(fileURLWithPath: temporaryFile(twoTopicCorpus(lines: 600))))
    var config = smallConfig(architecture)
    config.threads = 2   // Hogwild: not reproducible bit for bit, but the structure must be learned
    let model = try Word2Vec.train(corpus: corpus, config: config)
    let vectors = model.keyedVectors
    #expect(vectors.count == 16)
    let animals: Set = ["cat", "dog", "horse", "cow", "sheep", "goat", "mouse", "lion"]
    for word in ["cat", "cow", "two", "seven"] {
        let nearest = try vectors.mostSimilar(to: word, topN: 3).map { $0.word }
        for neighbour in nearest {
            #expect(animals.contains(neighbour) == animals.contains(word), "\(architecture): \(word) → \(nearest)")
        }
    }
    let report = try #require(model.lastReport)
    #expect(report.tokens == 6000 * 4)
}

@Test func invalidConfigurationsAreRejected() throws {
    var config = Word2VecConfig.skipGram
    config.dimension = 0
    #expect(throws: WordVectorsError.self) { try config.validate() }
    config = .cbow
    config.minLearningRate = 1
    #expect(throws: WordVectorsError.self) { try config.validate() }
}

@Test func replayingCachedSentencesEqualsReReadingTheFile() throws {
    let corpus = try TextCorpus(contentsOf: URL(fileURLWithPath: temporaryFile(twoTopicCorpus(lines: 120))))
    var cached = smallConfig(.cbow)
    cached.epochs = 3
    var streamed = cached
    streamed.corpusCacheBytes = 0
    var tiny = cached
    tiny.corpusCacheBytes = 64   // abandoned after the first sentences: falls back to streaming
    let reference = try Word2Vec.train(corpus: corpus, config: streamed).inputVectors
    #expect(try Word2Vec.train(corpus: corpus, config: cached).inputVectors == reference)
    #expect(try Word2Vec.train(corpus: corpus, config: tiny).inputVectors == reference)
}

// MARK: - Draws made one centre ahead

/// word2vec.c's loop written out plainly (window, then each pair's noise words, each step right
/// after its draws), with the same random stream and the same step as SentenceTrainer.
private func plainSentence(
    _ sentence: [Int32], config: Word2VecConfig, tables: SentenceTrainer.Tables,
    input: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>, learningRate: Float
) {
    var random = TrainingRandom(runSeed: config.seed, thread: 0)
    let D = config.dimension
    let kept = sentence.map(Int.init).filter { random.next32() <= tables.keepThresholds[$0] }
    guard kept.count >= 2 else { return }
    var targets = [Int](repeating: 0, count: config.negative + 1)
    var gradient = [Float](repeating: 0, count: D)
    var hidden = [Float](repeating: 0, count: D)
    func draw(_ positive: Int) {
        targets[0] = positive
        for index in 1...config.negative {
            let noise = tables.noiseWord(random.next())
            targets[index] = noise == positive ? -1 : noise
        }
    }
    for center in kept.indices {
        let shrink = random.next(below: config.window)
        let window = max(0, center - config.window + shrink)..<min(kept.count, center + config.window + 1 - shrink)
        let context = window.filter { $0 != center }
        if config.architecture == .skipGram {
            for position in context {
                draw(kept[center])
                let row = input + kept[position] * D
                negativeSamplingStep(input: row, targets: targets, targetCount: targets.count, outputVectors: output,
                                     dimension: D, learningRate: learningRate, sigmoid: tables.sigmoid,
                                     inputGradient: &gradient)
                for i in 0..<D { row[i] += gradient[i] }
            }
        } else {
            for i in 0..<D { hidden[i] = 0 }
            for position in context { for i in 0..<D { hidden[i] += input[kept[position] * D + i] } }
            for i in 0..<D { hidden[i] *= 1 / Float(context.count) }
            draw(kept[center])
            negativeSamplingStep(input: hidden, targets: targets, targetCount: targets.count, outputVectors: output,
                                 dimension: D, learningRate: learningRate, sigmoid: tables.sigmoid,
                                 inputGradient: &gradient)
            for position in context { for i in 0..<D { input[kept[position] * D + i] += gradient[i] } }
        }
    }
}

@Test(arguments: [Word2VecArchitecture.skipGram, .cbow])
func drawingOneCentreAheadKeepsWord2vecOrder(architecture: Word2VecArchitecture) {
    var config = smallConfig(architecture)
    config.negative = 4
    config.window = 4
    let vocabulary = 37, D = config.dimension
    let noise = AliasSampler(counts: (0..<vocabulary).map { 100 - 2 * $0 }, power: 0.75)
    let keep = (0..<vocabulary).map { UInt32.max - UInt32($0) * 60_000_000 }   // some words dropped
    var generator = SeededGenerator(seed: 3)
    let start = (0..<(2 * vocabulary * D)).map { _ in Float.random(in: -0.5...0.5, using: &generator) }
    let sentence = (0..<60).map { _ in Int32.random(in: 0..<Int32(vocabulary), using: &generator) }
    keep.withUnsafeBufferPointer { keepPointer in
    noise.keep.withUnsafeBufferPointer { noiseKeep in
    noise.alias.withUnsafeBufferPointer { noiseAlias in
        let tables = SentenceTrainer.Tables(
            keepThresholds: keepPointer.baseAddress!, noiseKeep: noiseKeep.baseAddress!,
            noiseAlias: noiseAlias.baseAddress!, vocabularySize: vocabulary, sigmoid: SigmoidTable())
        var pipelined = start, plain = start
        pipelined.withUnsafeMutableBufferPointer { matrices in
            var trainer = SentenceTrainer(config: config, tables: tables, input: matrices.baseAddress!,
                                          output: matrices.baseAddress! + vocabulary * D, seed: config.seed, thread: 0)
            sentence.withUnsafeBufferPointer { trainer.train(sentence: $0, learningRate: 0.05) }
            trainer.deallocate()
        }
        plain.withUnsafeMutableBufferPointer { matrices in
            plainSentence(sentence, config: config, tables: tables, input: matrices.baseAddress!,
                          output: matrices.baseAddress! + vocabulary * D, learningRate: 0.05)
        }
        #expect(zip(pipelined, start).filter { $0 != $1 }.count > 100)   // the sentence trained
        // Bit for bit: the same draws, steps and order.
        #expect(zip(pipelined, plain).filter { $0 != $1 }.count == 0)
    }}}
}
