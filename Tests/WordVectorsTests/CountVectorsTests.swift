// Tests of the count-based baseline: the Jacobi eigen-solver and the randomised SVD on matrices with
// known spectra, PPMI by hand, and the full pipeline separating a corpus with obvious structure.

import Foundation
import Testing
import TestSupport
import TensorCore
@testable import WordVectors

@Test func jacobiEigenvaluesOfAKnownMatrix() {
    // [[2,1,0],[1,2,0],[0,0,5]]: eigenvalues 5, 3, 1; the eigenvector of 3 is (1,1,0)/√2.
    let (values, vectors) = symmetricEigen([2, 1, 0, 1, 2, 0, 0, 0, 5], size: 3)
    #expect(abs(values[0] - 5) < 1e-12 && abs(values[1] - 3) < 1e-12 && abs(values[2] - 1) < 1e-12)
    #expect(abs(abs(vectors[0 * 3 + 1]) - 1 / 2.0.squareRoot()) < 1e-12)
    #expect(abs(vectors[0 * 3 + 1] - vectors[1 * 3 + 1]) < 1e-12)
}

@Test func randomizedSVDFindsTheTopSingularValues() {
    // A 40×40 diagonal matrix: singular values are the diagonal, left vectors the unit vectors.
    let diagonal: [Float] = (0..<40).map { $0 < 4 ? [10, 7, 5, 3][$0] : 0.5 / Float($0) }
    let matrix = SparseMatrix(rows: 40, columns: 40, rowStarts: Array(0...40), columnIndices: (0..<40).map { Int32($0) }, values: diagonal)
    let svd = randomizedSVD(matrix, transposed: matrix.transposed(), rank: 3, oversampling: 5, powerIterations: 3)
    #expect(svd.rank == 3)
    for (found, expected) in zip(svd.singularValues, [10.0, 7, 5]) { #expect(abs(found - expected) < 1e-4) }
    for column in 0..<3 { #expect(abs(abs(svd.left[column * 3 + column]) - 1) < 1e-3) }
}

@Test func sparseProductsAgreeWithDense() {
    // M = [[1, 0, 2], [0, 3, 0]]; X = [[1, 2], [3, 4], [5, 6]] → M X = [[11, 14], [9, 12]].
    let matrix = SparseMatrix(rows: 2, columns: 3, rowStarts: [0, 2, 3], columnIndices: [0, 2, 1], values: [1, 2, 3])
    #expect(matrix.multiply([1, 2, 3, 4, 5, 6], k: 2) == [11, 14, 9, 12])
    // Mᵀ [[1], [1]] = [1, 3, 2].
    #expect(matrix.transposed().multiply([1, 1], k: 1) == [1, 3, 2])
}

@Test func ppmiByHand() throws {
    // "a b" with window 1: X[a][b] = X[b][a] = 1, N = 2, P(a,b) = 1/2, P(a) = 1/2,
    // P_α(b) = 1^α / (1^α + 1^α) = 1/2 → PMI = log((1/2) / (1/2 · 1/2)) = log 2.
    let corpus = try TextCorpus(contentsOf: URL(fileURLWithPath: temporaryFile("a b\n")))
    let vocabulary = try Vocabulary.count(corpus, minCount: 1)
    var config = GloVeConfig()
    config.window = 1
    let runs = try GloVe.countCooccurrences(corpus: corpus, vocabulary: vocabulary, config: config, progress: nil) { _ in 1 }
    let matrix = try CountVectors.ppmiMatrix(runs: runs, size: 2, smoothing: 0.75)
    #expect(matrix.nonZeroCount == 2)
    #expect(matrix.values.allSatisfy { abs($0 - Float(log(2.0))) < 1e-6 })
}

@Test func countVectorsSeparateTwoTopics() throws {
    var config = CountVectorsConfig()
    config.dimension = 4
    config.window = 3
    config.minCount = 1
    let result = try CountVectors.train(corpus: TextCorpus(contentsOf: URL(fileURLWithPath: temporaryFile(twoTopicCorpus(lines: 300)))), config: config)
    let vectors = result.keyedVectors
    #expect(vectors.count == 16 && vectors.dimension == 4)
    let numbers: Set = ["one", "two", "three", "four", "five", "six", "seven", "eight"]
    let nearest = try vectors.mostSimilar(to: "five", topN: 3).map { $0.word }
    #expect(Set(nearest).isSubset(of: numbers), "\(nearest)")
}
