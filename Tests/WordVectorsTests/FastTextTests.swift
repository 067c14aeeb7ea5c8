// Tests of the FastText trainer: the once-per-centre-word row update equals fastText's
// recompute-per-context update (a naive reference run on the same random stream), the model learns
// a corpus with obvious structure, and unknown words get vectors from their n-grams.

import Foundation
import Testing
import TestSupport
import TensorCore
@testable import WordVectors

@Test func incrementalHiddenUpdateEqualsFastTextsPerContextUpdate() throws {
    var config = FastTextConfig()
    config.dimension = 5
    config.window = 2
    config.negative = 2
    config.minn = 2
    config.maxn = 3
    config.bucket = 50
    config.minCount = 1
    // "abab" repeats the n-grams "ab" and "<ab"-free "ba"…; 50 buckets also make collisions likely.
    let vocabulary = Vocabulary(words: ["ab", "bc", "abab", "de"], counts: [4, 3, 2, 1])
    let model = try FastText(config: config, vocabulary: vocabulary)
    let W = vocabulary.count, D = config.dimension
    var input = model.inputMatrix.scalars
    var output = (0..<(W * D)).map { Float($0 % 7) * 0.05 - 0.1 }
    var referenceInput = input, referenceOutput = output
    let keep = [UInt32](repeating: .max, count: W)
    let noise = AliasSampler(counts: vocabulary.counts, power: 0.5)
    let sigmoid = SigmoidTable(size: 512, maxScore: 8)
    let sentence: [Int32] = [0, 1, 2, 3, 0, 2]
    let rate: Float = 0.1
    // Ours.
    keep.withUnsafeBufferPointer { k in noise.keep.withUnsafeBufferPointer { nk in noise.alias.withUnsafeBufferPointer { na in
        model.subwordRows.withUnsafeBufferPointer { rows in model.subwordStarts.withUnsafeBufferPointer { starts in model.subwordShift.withUnsafeBufferPointer { shift in
            let tables = SentenceTrainer.Tables(keepThresholds: k.baseAddress!, noiseKeep: nk.baseAddress!, noiseAlias: na.baseAddress!, vocabularySize: W, sigmoid: sigmoid)
            input.withUnsafeMutableBufferPointer { i in output.withUnsafeMutableBufferPointer { o in
                var trainer = FastTextSentenceTrainer(config: config, tables: tables, subwords: SubwordTables(rows: rows.baseAddress!, starts: starts.baseAddress!, shift: shift.baseAddress!),
                                                      input: i.baseAddress!, output: o.baseAddress!, thread: 0)
                sentence.withUnsafeBufferPointer { trainer.train(sentence: $0, learningRate: rate) }
                trainer.deallocate()
            } }
        } } }
    } } }
    // fastText's way, on the same random stream: recompute h and update every row per context.
    var random = TrainingRandom(runSeed: config.seed, thread: 0)
    for _ in sentence { _ = random.next32() }   // the subsampling draws (all kept)
    for center in 0..<sentence.count {
        let boundary = 1 + random.next(below: config.window)
        let word = Int(sentence[center])
        let rows = model.subwordRows[model.subwordStarts[word]..<model.subwordStarts[word + 1]].map { Int($0) }
        for position in max(0, center - boundary)..<min(sentence.count, center + boundary + 1) where position != center {
            var targets = [Int(sentence[position])]
            for _ in 0..<config.negative {
                var n = noise.sample(random.next())
                while n == targets[0] { n = noise.sample(random.next()) }
                targets.append(n)
            }
            var hidden = [Float](repeating: 0, count: D)
            for row in rows { for c in 0..<D { hidden[c] += referenceInput[row * D + c] } }
            hidden = hidden.map { $0 / Float(rows.count) }
            var gradient = [Float](repeating: 0, count: D)
            for (index, target) in targets.enumerated() {
                let label: Float = index == 0 ? 1 : 0
                var score: Float = 0
                for c in 0..<D { score += hidden[c] * referenceOutput[target * D + c] }
                let g = rate * (label - sigmoid(score))
                for c in 0..<D { gradient[c] += g * referenceOutput[target * D + c] }
                for c in 0..<D { referenceOutput[target * D + c] += g * hidden[c] }
            }
            for row in rows { for c in 0..<D { referenceInput[row * D + c] += gradient[c] } }
        }
    }
    #expect(model.subwordShift.contains { $0 > 1 })   // the case the shift exists for is covered
    #expect(maxScaledError(input, referenceInput) < 1e-5)
    #expect(maxScaledError(output, referenceOutput) < 1e-5)
    sigmoid.deallocate()
}

@Test(arguments: [Word2VecArchitecture.skipGram, .cbow])
func fastTextLearnsTwoTopicsAndBuildsUnknownWords(architecture: Word2VecArchitecture) throws {
    var config = FastTextConfig()
    config.architecture = architecture
    config.dimension = 12
    config.epochs = 6
    config.minCount = 1
    config.bucket = 2000
    config.sample = 1
    config.learningRate = 0.1
    let model = try FastText.train(corpus: TextCorpus(contentsOf: URL(fileURLWithPath: temporaryFile(twoTopicCorpus(lines: 600)))), config: config)
    let vectors = model.keyedVectors
    let animals: Set = ["cat", "dog", "horse", "cow", "sheep", "goat", "mouse", "lion"]
    for word in ["dog", "three"] {
        let nearest = try vectors.mostSimilar(to: word, topN: 2).map { $0.word }
        for neighbour in nearest { #expect(animals.contains(neighbour) == animals.contains(word), "\(word) → \(nearest)") }
    }
    // "sheeps" is unknown: its vector is the mean of its n-gram rows, and shares most with "sheep".
    let unknown = try vectors.vector(for: "sheeps")
    #expect(unknown.count == 12)
    #expect(cosine(unknown, try vectors.vector(for: "sheep")) > cosine(unknown, try vectors.vector(for: "four")))
}

@Test func fastTextInitializationFillsOneTenthPerThread() throws {
    var config = FastTextConfig()
    config.dimension = 7
    config.bucket = 93
    config.minCount = 1
    config.threads = 3
    let vocabulary = Vocabulary(words: ["ab", "bc", "abab", "de"], counts: [4, 3, 2, 1])
    // (4 + 93) × 7 = 679 values; ⌊679/10⌋ = 67 per thread, so 3 threads fill the first 201.
    let every = try FastText(config: config, vocabulary: vocabulary).inputMatrix.scalars
    #expect(every.count == 679)
    #expect(every.allSatisfy { $0 != 0 && abs($0) <= 1 / Float(7) })
    config.fastTextInitialization = true
    let partial = try FastText(config: config, vocabulary: vocabulary).inputMatrix.scalars
    #expect(Array(partial[..<201]) == Array(every[..<201]))
    #expect(partial[201...].allSatisfy { $0 == 0 })
    config.threads = 11   // 11 blocks of 67 reach past the end: everything is drawn
    let eleven = try FastText(config: config, vocabulary: vocabulary).inputMatrix.scalars
    #expect(eleven.allSatisfy { $0 != 0 })
}
