// Tests of GloVe: co-occurrence counts by hand (1/distance, symmetric, windows not crossing lines),
// spilling to disk gives the same counts as counting in memory, the radix sort, one AdaGrad step by
// hand, and training lowering the cost.

import Foundation
import Testing
import TestSupport
import TensorCore
@testable import WordVectors

private func counts(_ text: String, window: Int, budget: Int = 64 << 20, minCount: Int = 1) throws -> ([String], [String: Float], Int) {
    let corpus = try TextCorpus(contentsOf: URL(fileURLWithPath: temporaryFile(text)))
    let vocabulary = try Vocabulary.count(corpus, minCount: minCount, threads: 2)
    var config = GloVeConfig()
    config.threads = 2
    config.window = window
    config.memoryBudget = budget
    let runs = try GloVe.countCooccurrences(corpus: corpus, vocabulary: vocabulary, config: config, progress: nil)
    var result: [String: Float] = [:]
    try runs.merge { word, context, x in result[vocabulary.words[word] + " " + vocabulary.words[context]] = x }
    return (vocabulary.words, result, runs.files.count)
}

@Test func cooccurrenceCountsByHand() throws {
    // "a b c a" with window 2: (a,b) d=1, (b,c) d=1, (a,c) d=2, (c,a) d=1, (b,a) d=2.
    // X[a][b] = 1 + 1/2 (b–a at distance 2) = 1.5; X[a][c] = 1/2 + 1 = 1.5; X[b][c] = 1;
    // X[a][a]: the two a's are 3 apart > window → absent. The second line "c x" adds X[c][x] = 1
    // and never pairs with the first line.
    let (_, x, _) = try counts("a b c a\nc x\n", window: 2)
    #expect(x["a b"] == 1.5 && x["b a"] == 1.5)
    #expect(x["a c"] == 1.5 && x["c a"] == 1.5)
    #expect(x["b c"] == 1 && x["c b"] == 1)
    #expect(x["c x"] == 1 && x["x c"] == 1)
    #expect(x["a a"] == nil && x["a x"] == nil)
    #expect(x.count == 8)
}

@Test func spillingToDiskGivesTheSameCounts() throws {
    let text = twoTopicCorpus(lines: 300) + "alpha beta gamma delta epsilon zeta eta theta\n"
    let (_, inMemory, memoryRuns) = try counts(text, window: 4)
    // The smallest budget holds a 4096-slot table per thread: more pairs than that force spills.
    let (_, spilled, spilledRuns) = try counts(text, window: 4, budget: 1)
    #expect(memoryRuns <= 2)
    #expect(spilledRuns >= memoryRuns)
    #expect(inMemory.count == spilled.count)
    for (key, value) in inMemory { #expect(abs((spilled[key] ?? -1) - value) < 1e-3 * max(1, value), "\(key)") }
}

@Test func radixSortOrdersPairsStably() {
    var random = TrainingRandom(seed: 9)
    var keys = (0..<3000).map { _ in random.next() >> UInt64(random.next(below: 40)) }
    var values = keys.indices.map { Float($0) }
    let expected = keys.indices.sorted { keys[$0] != keys[$1] ? keys[$0] < keys[$1] : $0 < $1 }
    radixSort(keys: &keys, values: &values)
    #expect(values == expected.map { Float($0) })
}

@Test func adagradStepByHand() {
    // D = 1. Word row [v=1, b=0, G_v=1, G_b=1], context row [ṽ=2, b̃=0, G=1, 1]; X = e (log X = 1),
    // weight 1 (x_max small), η = 0.1.
    // diff = 1·2 + 0 + 0 − 1 = 1; s = η·f·diff = 0.1.
    // g_v = s·ṽ = 0.2 → v = 1 − 0.2/√1 = 0.8, G_v = 1 + 0.04 = 1.04
    // g_ṽ = s·v = 0.1 → ṽ = 2 − 0.1 = 1.9, G_ṽ = 1.01
    // biases: b = −0.1/√1 = −0.1 each, G_b = 1.01; cost = ½·1·1² = 0.5.
    var config = GloVeConfig()
    config.dimension = 1
    config.learningRate = 0.1
    let trainer = GloVeTrainer(vocabularySize: 1, config: config)
    let word = trainer.parameters, context = trainer.parameters + trainer.stride
    word[0] = 1; word[1] = 0; word[2] = 1; word[3] = 1
    context[0] = 2; context[1] = 0; context[2] = 1; context[3] = 1
    let cost = trainer.update(GloVeRecord(word: 0, context: 0, logCount: 1, weight: 1))
    #expect(abs(cost - 0.5) < 1e-6)
    #expect(abs(word[0] - 0.8) < 1e-6 && abs(word[2] - 1.04) < 1e-6)
    #expect(abs(context[0] - 1.9) < 1e-6 && abs(context[2] - 1.01) < 1e-6)
    #expect(abs(word[1] + 0.1) < 1e-6 && abs(context[1] + 0.1) < 1e-6 && abs(word[3] - 1.01) < 1e-6)
}

@Test func adagradSIMDPathMatchesScalarPath() {
    // D = 11 runs one SIMD8 block and three scalar lanes; compare with the formula lane by lane.
    let D = 11
    var word = (0..<(2 * D + 2)).map { Float($0 % 5) * 0.1 + 0.5 }
    var context = (0..<(2 * D + 2)).map { Float($0 % 3) * 0.2 + 0.7 }
    let originalWord = word, originalContext = context
    word.withUnsafeMutableBufferPointer { w in context.withUnsafeMutableBufferPointer { c in
        adagradPairUpdate(w.baseAddress!, c.baseAddress!, D, 0.3)
    } }
    for index in 0..<D {
        let gv = 0.3 * originalContext[index], gc = 0.3 * originalWord[index]
        #expect(abs(word[index] - (originalWord[index] - gv / originalWord[D + 1 + index].squareRoot())) < 1e-6)
        #expect(abs(context[D + 1 + index] - (originalContext[D + 1 + index] + gc * gc)) < 1e-6)
    }
}

@Test func trainingLowersTheCost() throws {
    var config = GloVeConfig()
    config.threads = 1
    config.dimension = 8
    config.window = 4
    config.minCount = 1
    config.epochs = 10
    config.xMax = 10
    let result = try GloVe.train(corpus: TextCorpus(contentsOf: URL(fileURLWithPath: temporaryFile(twoTopicCorpus(lines: 200)))), config: config)
    #expect(result.costs.count == 10)
    #expect(result.costs.last! < result.costs.first! * 0.5)
    #expect(result.keyedVectors.count == 16)
    let nearest = try result.keyedVectors.mostSimilar(to: "cat", topN: 3).map { $0.word }
    #expect(Set(nearest).isSubset(of: ["dog", "horse", "cow", "sheep", "goat", "mouse", "lion"]), "\(nearest)")
}
