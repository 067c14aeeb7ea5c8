// Ethayarajh's measures by hand (tier a): self-similarity, intra-sentence similarity and anisotropy
// of vectors whose cosines are known, MEV of matrices whose singular values are known, the power
// iteration against the Jacobi reference, the contexts bookkeeping (first occurrence per sentence,
// punctuation left out), and the error for a sample with no word in K contexts.
import Evaluation
import Foundation
import TensorCore
import Testing
import TestSupport

@Suite struct ContextualityTests {
    func slices(_ rows: [[Float]]) -> [ArraySlice<Float>] { rows.map { $0[...] } }

    @Test func selfSimilarityByHand() {
        // Identical directions: every cosine 1. Orthogonal: every cosine 0.
        #expect(abs(Contextuality.selfSimilarity(slices([[1, 0], [2, 0], [0.5, 0]])) - 1) < 1e-12)
        #expect(abs(Contextuality.selfSimilarity(slices([[1, 0, 0], [0, 3, 0], [0, 0, 2]]))) < 1e-12)
        // (1,0), (0,1), (1,1): cosines 0, 1/√2, 1/√2 → mean over the 3 pairs = √2/3.
        #expect(abs(Contextuality.selfSimilarity(slices([[1, 0], [0, 1], [1, 1]])) - 2.0.squareRoot() / 3) < 1e-7)
    }

    @Test func intraSentenceSimilarityByHand() {
        // (1,0) and (0,1): the mean (½,½) is at 45° from both → cos = 1/√2.
        #expect(abs(Contextuality.intraSentenceSimilarity(slices([[1, 0], [0, 1]])) - 0.5.squareRoot()) < 1e-7)
        // The mean is not normalised first: (2,0) and (0,1) average to (1, ½);
        // cos((1,0), (1,½)) = 1/√1.25, cos((0,1), (1,½)) = ½/√1.25 → mean 0.75/√1.25.
        #expect(abs(Contextuality.intraSentenceSimilarity(slices([[2, 0], [0, 1]])) - 0.75 / 1.25.squareRoot()) < 1e-7)
    }

    @Test func anisotropyCountsOnlyPairsFromDifferentSentences() {
        // Sentence A: (1,0), (1,0); sentence B: (0,1). Cross pairs: 4 ordered pairs, all cos 0,
        // though A's own pair has cos 1.
        #expect(abs(Contextuality.anisotropy([slices([[1, 0], [1, 0]]), slices([[0, 1]])])) < 1e-12)
        // A: (1,0); B: (1,1); C: (0,1). Pairs (ordered, 6): cos 1/√2, 0, 1/√2 each twice → √2/3.
        #expect(abs(Contextuality.anisotropy([slices([[1, 0]]), slices([[1, 1]]), slices([[0, 1]])]) - 2.0.squareRoot() / 3) < 1e-7)
    }

    @Test func maximumExplainableVarianceByHand() {
        // Rank 1: one direction explains everything.
        #expect(abs(MaximumExplainableVariance.of(slices([[1, 2, 2], [2, 4, 4], [-1, -2, -2]])) - 1) < 1e-9)
        // Orthogonal rows of norms 3, 1, 1: σ² = 9, 1, 1 → 9/11.
        #expect(abs(MaximumExplainableVariance.of(slices([[3, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 1]])) - 9.0 / 11) < 1e-9)
        // Equal orthonormal rows: 1/n.
        #expect(abs(MaximumExplainableVariance.of(slices([[1, 0], [0, 1]])) - 0.5) < 1e-9)
        #expect(MaximumExplainableVariance.of(slices([[0, 0], [0, 0]])) == 0)
    }

    @Test(arguments: [(3, 8), (8, 3), (12, 12), (40, 16)])
    func powerIterationAgreesWithJacobi(rows: Int, width: Int) {
        var generator = SeededGenerator(seed: UInt64(rows * 100 + width))
        let matrix = (0..<rows).map { _ in (0..<width).map { column in generator.nextNormal() + (column % 3 == 0 ? 0.7 : 0) } }
        let fast = MaximumExplainableVariance.of(slices(matrix))
        let reference = MaximumExplainableVariance.reference(slices(matrix))
        #expect(abs(fast - reference) < 1e-9, "\(rows)×\(width): power \(fast), Jacobi \(reference)")
    }

    /// A sample whose words and vectors are given: layer 0 only, 2 wide.
    func sample(_ sentences: [[(String, [Float])]]) -> ContextualitySample {
        var sample = ContextualitySample(layers: [0], width: 2)
        for sentence in sentences { sample.appendSentence(sentence.map { ($0.0, [$0.1]) }) }
        return sample
    }

    @Test func aWordCountsOncePerSentenceAndPunctuationNotAtAll() throws {
        let sample = sample([
            [("bank", [1, 0]), ("bank", [0, 1]), (",", [5, 5])],   // the second "bank" is not a new context
            [("bank", [1, 0]), ("river", [1, 1])],
            [("bank", [1, 1])],
        ])
        #expect(sample.count == 5 && sample.words == ["bank", "bank", "bank", "river", "bank"])
        let report = try Contextuality.measure(sample, minimumContexts: 3)
        #expect(report.measuredWords.map(\.word) == ["bank"] && report.measuredWords[0].contexts == 3)
        // bank's contexts (1,0), (1,0), (1,1): cosines 1, 1/√2, 1/√2 → (1 + √2)/3.
        #expect(abs(report.layers[0].selfSimilarity - (1 + 2.0.squareRoot()) / 3) < 1e-7)
        #expect(report.intraSentenceCount == 2)
        // (1,0),(1,1) give MEV: σ² of [[1,0],[1,0],[1,1]]: XᵀX = [[3,1],[1,1]], λ = 2 ± √2, Σσ² = 4 → (2 + √2)/4.
        #expect(abs(report.layers[0].maximumExplainableVariance - (2 + 2.0.squareRoot()) / 4) < 1e-9)
    }

    @Test func noWordInEnoughContextsIsAClearError() throws {
        let sample = sample([[("bank", [1, 0])], [("bank", [0, 1]), ("river", [1, 1])]])
        #expect(throws: ContextualityError.noWordInEnoughContexts(minimum: 5, sentences: 2, mostContexts: 2)) {
            _ = try Contextuality.measure(sample, minimumContexts: 5)
        }
        let message = ContextualityError.noWordInEnoughContexts(minimum: 5, sentences: 2, mostContexts: 2).description
        #expect(message.contains("5 or more of the 2 sampled sentences") && message.contains("--min-contexts") && message.contains("--sample"))
    }
}
