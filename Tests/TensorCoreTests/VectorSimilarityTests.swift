// Cosine similarity and its friends on [Float], with values worked out by hand:
// a = [3, 4], b = [4, 3]: a·b = 24, ‖a‖ = ‖b‖ = 5, cos = 24/25 = 0.96, ‖a − b‖ = √2, â = [0.6, 0.8].
import Testing
import TensorCore

@Suite struct VectorSimilarityTests {
    @Test func handValues() {
        let a: [Float] = [3, 4], b: [Float] = [4, 3]
        #expect(a.dot(b) == 24)
        #expect(a.norm == 5)
        #expect(a.normalized() == [0.6, 0.8])
        #expect(abs(a.cosineSimilarity(to: b) - 0.96) < 1e-7)
        #expect(cosine(a, b) == a.cosineSimilarity(to: b))
        #expect(abs(a.euclideanDistance(to: b) - Float(2).squareRoot()) < 1e-6)
        #expect(a.cosineSimilarity(to: [-3, -4]) == -1)
    }

    @Test func zeroVectors() {
        let zero: [Float] = [0, 0]
        #expect(zero.cosineSimilarity(to: [1, 2]) == 0)   // defined as 0, not NaN
        #expect(zero.normalized() == zero)
        #expect(zero.norm == 0)
    }

    /// cos([3,4],[4,3]) = 0.96, cos([3,4],[1,0]) = 3/5, cos([0,1],[4,3]) = 3/5, cos([0,1],[1,0]) = 0.
    @Test func cosineMatrix() {
        let matrix = [[Float(3), 4], [0, 1]].cosineSimilarities(to: [[4, 3], [1, 0]])
        let expected: [[Float]] = [[0.96, 0.6], [0.6, 0]]
        for (row, want) in zip(matrix, expected) {
            for (value, target) in zip(row, want) { #expect(abs(value - target) < 1e-6) }
        }
    }

    /// Query [1, 0]: cosines 0, 1/√2, 1, −1 → order 2, 1, 0, 3; equal scores keep the lower index first.
    @Test func nearestVectors() {
        let vectors: [[Float]] = [[0, 1], [1, 1], [2, 0], [-1, 0]]
        let best = vectors.mostSimilar(to: [1, 0], topN: 3)
        #expect(best.map(\.index) == [2, 1, 0])
        #expect(abs(best[1].similarity - Float(0.5).squareRoot()) < 1e-6)
        #expect([[Float(1), 0], [2, 0]].mostSimilar(to: [1, 0], topN: 2).map(\.index) == [0, 1])
        #expect(vectors.mostSimilar(to: [1, 0], topN: 0).isEmpty)
    }
}
