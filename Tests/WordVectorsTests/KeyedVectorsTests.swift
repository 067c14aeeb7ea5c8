// Tests of KeyedVectors: evaluation, nearest neighbours and analogies reproduce gensim's numbers on
// the same vectors (golden-eval.json), the rank correlation by hand, and sentence vectors.

import Foundation
import Testing
import TestSupport
import TensorCore
@testable import WordVectors

private func evalVectors() throws -> KeyedVectors {
    try VectorFile.read(URL(fileURLWithPath: fixturePath("eval-vectors.bin")))
}

@Test func wordPairEvaluationMatchesGensim() throws {
    let golden = try #require(try fixtureJSON("golden-eval.json") as? [String: Any])
    let expected = try #require(golden["word_pairs"] as? [String: Double])
    let result = try evalVectors().evaluateWordPairs(URL(fileURLWithPath: fixturePath("wordsim353.tsv")))
    #expect(abs(result.spearman - expected["spearman"]!) < 1e-6)
    #expect(abs(result.pearson - expected["pearson"]!) < 1e-5)
    #expect(abs(result.unknownPercent - expected["oov_percent"]!) < 1e-9)
}

@Test(arguments: [300_000, 1000])
func analogyEvaluationMatchesGensim(restrict: Int) throws {
    let golden = try #require(try fixtureJSON("golden-eval.json") as? [String: Any])
    let expected = try #require(golden["analogies_\(restrict)"] as? [String: Any])
    let result = try evalVectors().evaluateAnalogies(URL(fileURLWithPath: fixturePath("questions-words.txt")), restrictVocabulary: restrict)
    #expect(abs(result.accuracy - (expected["accuracy"] as! Double)) < 1e-12)
    let sections = expected["sections"] as! [[String: Any]]   // gensim appends "Total accuracy"
    #expect(result.sections.count == sections.count - 1)
    for (ours, theirs) in zip(result.sections, sections) {
        #expect(ours.name == theirs["name"] as? String)
        #expect(ours.correct == theirs["correct"] as? Int, "\(ours.name)")
        #expect(ours.incorrect == theirs["incorrect"] as? Int, "\(ours.name)")
    }
}

@Test func nearestNeighboursAndAnalogiesMatchGensim() throws {
    let golden = try #require(try fixtureJSON("golden-eval.json") as? [String: Any])
    let vectors = try evalVectors()
    for (word, list) in golden["most_similar"] as! [String: [[Any]]] {
        let ours = try vectors.mostSimilar(to: word, topN: 5)
        #expect(ours.map { $0.word } == list.map { $0[0] as! String })
        for (mine, theirs) in zip(ours, list) { #expect(abs(Double(mine.similarity) - (theirs[1] as! Double)) < 1e-5) }
    }
    let add = golden["analogy_add"] as! [[Any]]
    let ours = try vectors.analogy(a: "man", b: "king", c: "woman", method: .add, topN: 3)
    #expect(ours.map { $0.word } == add.map { $0[0] as! String })
    for (mine, theirs) in zip(ours, add) { #expect(abs(Double(mine.score) - (theirs[1] as! Double)) < 1e-5) }
    let mul = golden["analogy_mul"] as! [[Any]]
    let oursMul = try vectors.analogy(a: "man", b: "king", c: "woman", method: .multiply, topN: 3)
    #expect(oursMul.map { $0.word } == mul.map { $0[0] as! String })
    for (mine, theirs) in zip(oursMul, mul) { #expect(abs(Double(mine.score) - (theirs[1] as! Double)) < 1e-4) }
    #expect(throws: WordVectorsError.unknownWord("qwertyuiop")) { _ = try vectors.vector(for: "qwertyuiop") }
}

@Test func spearmanByHandWithTies() {
    // x = [1, 2, 2, 3] → ranks [1, 2.5, 2.5, 4]; y = [10, 30, 20, 40] → ranks [1, 3, 2, 4].
    // Pearson of ranks: means 2.5 and 2.5; deviations x: [−1.5, 0, 0, 1.5], y: [−1.5, 0.5, −0.5, 1.5]
    // Σxy = 2.25 + 0 + 0 + 2.25 = 4.5; Σx² = 4.5; Σy² = 5 → ρ = 4.5 / √(4.5·5) = 0.9486833.
    #expect(averageRanks([1, 2, 2, 3]) == [1, 2.5, 2.5, 4])
    #expect(abs(spearmanCorrelation([1, 2, 2, 3], [10, 30, 20, 40]) - 0.9486833) < 1e-6)
    #expect(spearmanCorrelation([1, 1, 1], [1, 2, 3]).isNaN)
}

@Test func sentenceVectorsMeanAndSIF() throws {
    // a = [1, 0] (count 1), b = [0, 1] (count 3); total 4, so p(a) = 0.25, p(b) = 0.75.
    let vectors = KeyedVectors(words: ["a", "b"], vectors: Tensor(shape: [2, 2], scalars: [1, 0, 0, 1]), counts: [1, 3])
    // Mean of "A b, unknown": ([1,0] + [0,1]) / 2.
    #expect(try vectors.sentenceVector(for: "A b, unknown") == [0.5, 0.5])
    // SIF with a = 0.25: weights 0.25/(0.25+0.25) = 0.5 and 0.25/(0.25+0.75) = 0.25 → [0.5, 0.25]/0.75.
    let sif = try #require(try vectors.sentenceVector(for: "a b", weighting: .sif(a: 0.25)))
    #expect(abs(sif[0] - 2.0 / 3) < 1e-6 && abs(sif[1] - 1.0 / 3) < 1e-6)
    #expect(try vectors.sentenceVector(for: "nothing known") == nil)
    let noCounts = KeyedVectors(words: ["a"], vectors: Tensor(shape: [1, 2], scalars: [1, 0]))
    #expect(throws: WordVectorsError.self) { _ = try noCounts.sentenceVector(for: "a", weighting: .sif(a: 1e-3)) }
}

@Test func commonComponentRemoval() {
    // All vectors share the direction [1, 0] strongly: after removal their first coordinate is 0.
    let cleaned = removingCommonComponent([[3, 0.1], [4, -0.1], [5, 0.2]])
    for vector in cleaned { #expect(abs(vector[0]) < 0.05) }
}
