// GEMM: the fast path (CKernels, threaded) agrees with the Swift triple loop at edge sizes and
// all four transpose combinations, with alpha/beta; plus one product worked by hand.
import CKernels
import Testing
import TensorCore
import TestSupport

@Suite struct GemmTests {
    /// [[1, 2], [3, 4]] · [[5, 6], [7, 8]] = [[1·5+2·7, 1·6+2·8], [3·5+4·7, 3·6+4·8]] = [[19, 22], [43, 50]].
    @Test func handWorkedProduct() {
        let a = Tensor(shape: [2, 2], scalars: [1, 2, 3, 4])
        let b = Tensor(shape: [2, 2], scalars: [5, 6, 7, 8])
        #expect(matmul(a, b).scalars == [19, 22, 43, 50])
        // Aᵀ·B = [[1·5+3·7, 1·6+3·8], [2·5+4·7, 2·6+4·8]] = [[26, 30], [38, 44]]
        #expect(matmul(a, b, transposeA: true).scalars == [26, 30, 38, 44])
        // A·Bᵀ = [[1·5+2·6, 1·7+2·8], [3·5+4·6, 3·7+4·8]] = [[17, 23], [39, 53]]
        #expect(matmul(a, b, transposeB: true).scalars == [17, 23, 39, 53])
    }

    static let sizes = [1, 7, 17, 65]

    @Test(arguments: [(false, false), (false, true), (true, false), (true, true)])
    func fastMatchesReference(transposeA: Bool, transposeB: Bool) {
        var rng = SeededGenerator(seed: 7)
        for m in Self.sizes {
            for n in Self.sizes {
                for k in Self.sizes {
                    let a = rng.uniform(shape: transposeA ? [k, m] : [m, k], low: -1, high: 1)
                    let b = rng.uniform(shape: transposeB ? [n, k] : [k, n], low: -1, high: 1)
                    let fast = matmul(a, b, transposeA: transposeA, transposeB: transposeB)
                    let reference = matmulReference(a, b, transposeA: transposeA, transposeB: transposeB)
                    let error = maxScaledError(fast.scalars, reference.scalars)
                    #expect(error < 1e-5, "m=\(m) n=\(n) k=\(k) tA=\(transposeA) tB=\(transposeB): error \(error)")
                }
            }
        }
    }

    @Test func alphaBetaAndLeadingDimensions() {
        var rng = SeededGenerator(seed: 3)
        let (m, n, k, lda, ldb, ldc) = (13, 21, 9, 11, 25, 30)
        let a = rng.uniform(shape: [m * lda], low: -1, high: 1).scalars
        let b = rng.uniform(shape: [k * ldb], low: -1, high: 1).scalars
        let c0 = rng.uniform(shape: [m * ldc], low: -1, high: 1).scalars
        var fast = c0, reference = c0
        gemm(transposeA: false, transposeB: false, m: m, n: n, k: k, alpha: 0.5, a: a, lda: lda,
             b: b, ldb: ldb, beta: -2, c: &fast, ldc: ldc)
        gemmReference(transposeA: false, transposeB: false, m: m, n: n, k: k, alpha: 0.5, a: a, lda: lda,
                      b: b, ldb: ldb, beta: -2, c: &reference, ldc: ldc)
        #expect(maxScaledError(fast, reference) < 1e-5)
        // Columns past n in each row of C are untouched.
        for row in 0..<m {
            for column in n..<ldc { #expect(fast[row * ldc + column] == c0[row * ldc + column]) }
        }
    }

    @Test func betaZeroIgnoresNaNInC() {
        let a: [Float] = [1, 2], b: [Float] = [3, 4]
        var c: [Float] = [.nan]
        gemm(transposeA: false, transposeB: false, m: 1, n: 1, k: 2, a: a, lda: 2, b: b, ldb: 1, beta: 0, c: &c, ldc: 1)
        #expect(c == [11])
    }

    @Test func portableAndDetectedPathsAgree() {
        var rng = SeededGenerator(seed: 11)
        let a = rng.uniform(shape: [67, 130], low: -1, high: 1)
        let b = rng.uniform(shape: [130, 45], low: -1, high: 1)
        let detected = matmul(a, b)
        te_force_portable(1)
        let portable = matmul(a, b)
        te_force_portable(0)
        #expect(maxScaledError(detected.scalars, portable.scalars) < 1e-5)
    }

    @Test func batchedMatchesPerBatch() {
        var rng = SeededGenerator(seed: 5)
        let a = rng.uniform(shape: [3, 5, 4], low: -1, high: 1)
        let b = rng.uniform(shape: [3, 6, 4], low: -1, high: 1)
        let batched = batchedMatmul(a, b, transposeB: true)
        for index in 0..<3 {
            let ai = Tensor(shape: [5, 4], scalars: Array(a.scalars[(index * 20)..<(index * 20 + 20)]))
            let bi = Tensor(shape: [6, 4], scalars: Array(b.scalars[(index * 24)..<(index * 24 + 24)]))
            let expected = matmulReference(ai, bi, transposeB: true).scalars
            #expect(maxScaledError(Array(batched.scalars[(index * 30)..<(index * 30 + 30)]), expected) < 1e-5)
        }
    }
}
