// GEMM: the fast path (CKernels, threaded) agrees with the Swift triple loop at edge sizes, at
// sizes that cross the cache blocks (MC = 144 rows, KC = 256 deep, NC = 3072 wide), for all four
// transpose combinations, with alpha/beta and leading dimensions, on every kernel path the CPU can
// run; and splitting C (threads, small-product path) never changes a bit on any path.
// Not handled: timing (see Scripts/bench-gemm.sh).
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
    static let transposePairs = [(false, false), (false, true), (true, false), (true, true)]

    @Test(arguments: KernelPath.available, Self.transposePairs)
    func fastMatchesReference(path: String, transposes: (Bool, Bool)) {
        let (transposeA, transposeB) = transposes
        let ran: Void? = KernelPath.run(path) {
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
        #expect(ran != nil)
    }

    /// Sizes chosen to cross each cache block once: m = 300 > MC, k = 300 > KC (two K blocks),
    /// n = 3100 > NC; the other sizes stay small so the Swift triple loop stays quick in debug.
    static let blockCrossingShapes = [(300, 17, 5), (7, 17, 300), (7, 3100, 3), (67, 130, 300)]

    @Test(arguments: KernelPath.available, Self.transposePairs)
    func blockCrossingSizesMatchReference(path: String, transposes: (Bool, Bool)) {
        let (transposeA, transposeB) = transposes
        let ran: Void? = KernelPath.run(path) {
            var rng = SeededGenerator(seed: 13)
            for (m, n, k) in Self.blockCrossingShapes {
                let a = rng.uniform(shape: transposeA ? [k, m] : [m, k], low: -1, high: 1)
                let b = rng.uniform(shape: transposeB ? [n, k] : [k, n], low: -1, high: 1)
                let fast = matmul(a, b, transposeA: transposeA, transposeB: transposeB)
                let reference = matmulReference(a, b, transposeA: transposeA, transposeB: transposeB)
                let error = maxScaledError(fast.scalars, reference.scalars)
                #expect(error < 1e-5, "m=\(m) n=\(n) k=\(k) tA=\(transposeA) tB=\(transposeB): error \(error)")
            }
        }
        #expect(ran != nil)
    }

    /// C = α·op(A)·op(B) + β·C with padded leading dimensions, for every transpose pair and a
    /// few (α, β); the padding columns of C are never touched.
    @Test(arguments: KernelPath.available, Self.transposePairs)
    func alphaBetaAndLeadingDimensions(path: String, transposes: (Bool, Bool)) {
        let (transposeA, transposeB) = transposes
        let ran: Void? = KernelPath.run(path) {
            var rng = SeededGenerator(seed: 3)
            for (m, n, k) in [(13, 21, 9), (150, 40, 270)] {
                let lda = (transposeA ? m : k) + 3, ldb = (transposeB ? k : n) + 5, ldc = n + 4
                let a = rng.uniform(shape: [(transposeA ? k : m) * lda], low: -1, high: 1).scalars
                let b = rng.uniform(shape: [(transposeB ? n : k) * ldb], low: -1, high: 1).scalars
                let c0 = rng.uniform(shape: [m * ldc], low: -1, high: 1).scalars
                for (alpha, beta) in [(Float(0.5), Float(-2)), (1, 1), (-1.5, 0)] {
                    var fast = c0, reference = c0
                    gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                         a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: &fast, ldc: ldc)
                    gemmReference(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
                                  a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: &reference, ldc: ldc)
                    #expect(maxScaledError(fast, reference) < 1e-5, "m=\(m) n=\(n) k=\(k) α=\(alpha) β=\(beta)")
                    for row in 0..<m {
                        for column in n..<ldc { #expect(fast[row * ldc + column] == c0[row * ldc + column]) }
                    }
                }
            }
        }
        #expect(ran != nil)
    }

    /// k = 0 or α = 0 leaves C = β·C: [2, −4]·3 = [6, −12], and β = 0 writes zeros.
    @Test func emptyProductScalesC() {
        let a: [Float] = [1], b: [Float] = [1]
        var c: [Float] = [2, -4]
        gemm(transposeA: false, transposeB: false, m: 1, n: 2, k: 0, a: a, lda: 1, b: b, ldb: 2, beta: 3, c: &c, ldc: 2)
        #expect(c == [6, -12])
        gemm(transposeA: false, transposeB: false, m: 1, n: 2, k: 1, alpha: 0, a: a, lda: 1, b: [1, 1], ldb: 2, beta: 0, c: &c, ldc: 2)
        #expect(c == [0, 0])
    }

    @Test func betaZeroIgnoresNaNInC() {
        let a: [Float] = [1, 2], b: [Float] = [3, 4]
        var c: [Float] = [.nan]
        gemm(transposeA: false, transposeB: false, m: 1, n: 1, k: 2, a: a, lda: 2, b: b, ldb: 1, beta: 0, c: &c, ldc: 1)
        #expect(c == [11])
        // The packed path too: 1·3 + 2·4 = 11 in every element of a 20 x 20 block.
        let ones = [Float](repeating: 1, count: 20 * 300)
        var big = [Float](repeating: .nan, count: 400)
        gemm(transposeA: false, transposeB: false, m: 20, n: 20, k: 300, a: ones, lda: 300, b: ones, ldb: 20,
             beta: 0, c: &big, ldc: 20)
        #expect(big.allSatisfy { $0 == 300 })
    }

    /// Every element of C is one FMA chain over p in fixed K blocks, whoever computes it: the
    /// threaded split, one te_sgemm call, and each row alone (the small-product path) agree
    /// bit for bit.
    @Test(arguments: KernelPath.available.filter { $0 != "portable" })  // portable te_sgemm: plain loops
    func splittingCNeverChangesABit(path: String) {
        let ran: Void? = KernelPath.run(path) {
            var rng = SeededGenerator(seed: 17)
            let (m, n, k) = (200, 72, 300)
            let a = rng.uniform(shape: [m, k], low: -1, high: 1)
            let b = rng.uniform(shape: [n, k], low: -1, high: 1)
            let threaded = matmul(a, b, transposeB: true).scalars
            var single = [Float](repeating: 0, count: m * n)
            te_sgemm(0, 1, m, n, k, 1, a.scalars, k, b.scalars, k, 0, &single, n)
            #expect(threaded == single)
            // Few rows (30 < 4·6·threads): C is split by 16-column blocks instead.
            let thin = rng.uniform(shape: [30, k], low: -1, high: 1)
            var thinSingle = [Float](repeating: 0, count: 30 * n)
            te_sgemm(0, 1, 30, n, k, 1, thin.scalars, k, b.scalars, k, 0, &thinSingle, n)
            #expect(matmul(thin, b, transposeB: true).scalars == thinSingle)
            let aValues = a.scalars, bValues = b.scalars
            for row in [0, 1, 77, 199] {
                var line = [Float](repeating: 0, count: n)
                aValues.withUnsafeBufferPointer { rows in
                    te_sgemm(0, 1, 1, n, k, 1, rows.baseAddress! + row * k, k, bValues, k, 0, &line, n)
                }
                #expect(line == Array(single[(row * n)..<((row + 1) * n)]), "row \(row)")
            }
        }
        #expect(ran != nil)
    }

    /// op(B) packed once in two column ranges (as two threads would), then rows multiplied in two
    /// uneven groups: bit-identical to one te_sgemm call, for all four transpose pairs and β ≠ 0,
    /// on every vector path (the portable te_sgemm is plain loops, not the packed arithmetic).
    @Test(arguments: KernelPath.available.filter { $0 != "portable" }, [(Int32(0), Int32(0)), (0, 1), (1, 0), (1, 1)])
    func sharedPackedBMatchesSgemm(path: String, transposes: (Int32, Int32)) {
        let (transposeA, transposeB) = transposes
        let ran: Void? = KernelPath.run(path) {
            var rng = SeededGenerator(seed: 23)
            let (m, n, k) = (37, 45, 300)
            let (lda, ldb) = (transposeA == 1 ? m : k, transposeB == 1 ? k : n)
            let a = rng.uniform(shape: [m * k], low: -1, high: 1).scalars
            let b = rng.uniform(shape: [k * n], low: -1, high: 1).scalars
            let c0 = rng.uniform(shape: [m * n], low: -1, high: 1).scalars
            var expected = c0, shared = c0
            te_sgemm(transposeA, transposeB, m, n, k, 0.5, a, lda, b, ldb, 2, &expected, n)
            let count = te_sgemm_packed_b_count(n, k)
            let packed = UnsafeMutableRawPointer.allocate(byteCount: count * 4, alignment: 64).bindMemory(to: Float.self, capacity: count)
            defer { packed.deallocate() }
            te_sgemm_pack_b(transposeB, n, k, b, ldb, 0, 32, packed)
            te_sgemm_pack_b(transposeB, n, k, b, ldb, 32, n, packed)
            a.withUnsafeBufferPointer { values in
                let base = values.baseAddress!
                te_sgemm_prepacked(transposeA, 10, n, k, 0.5, base, lda, packed, 2, &shared, n)
                let rest = transposeA == 1 ? base + 10 : base + 10 * lda
                shared.withUnsafeMutableBufferPointer { c in
                    te_sgemm_prepacked(transposeA, m - 10, n, k, 0.5, rest, lda, packed, 2, c.baseAddress! + 10 * n, n)
                }
            }
            #expect(shared == expected)
        }
        #expect(ran != nil)
    }

    /// The doc-comment example of `gemm`: y = x·wᵀ with x = [[1, 2, 3, 4], [5, 6, 7, 8]] and
    /// w = rows e₁, e₂, (1, 1, 1, 1): y = [[1, 2, 10], [5, 6, 26]].
    @Test func documentedExample() {
        let x: [Float] = [1, 2, 3, 4, 5, 6, 7, 8]
        let w: [Float] = [1, 0, 0, 0, 0, 1, 0, 0, 1, 1, 1, 1]
        var y = [Float](repeating: .nan, count: 6)
        gemm(transposeA: false, transposeB: true, m: 2, n: 3, k: 4, a: x, lda: 4, b: w, ldb: 4, c: &y, ldc: 3)
        #expect(y == [1, 2, 10, 5, 6, 26])
    }

    /// The snippet of Docs/Tensors-and-GEMM.md §1: after x[0, 0] = 10, y keeps its 1, and
    /// x·yᵀ = [[10·1 + 2·2 + 3·3, 10·4 + 2·5 + 3·6], [4·1 + 5·2 + 6·3, 4·4 + 5·5 + 6·6]] = [[23, 68], [32, 77]].
    @Test func documentationSnippet() {
        var x = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        let y = x
        x[0, 0] = 10
        #expect(y[0, 0] == 1)
        let w = matmul(x, y, transposeB: true)
        #expect(w.shape == [2, 2] && w.scalars == [23, 68, 32, 77])
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
        // One batch (fewer batches than threads): the product itself is threaded.
        let single = rng.uniform(shape: [1, 130, 70], low: -1, high: 1)
        let weights = rng.uniform(shape: [1, 90, 70], low: -1, high: 1)
        let expected = matmulReference(single.reshaped([130, 70]), weights.reshaped([90, 70]), transposeB: true)
        #expect(maxScaledError(batchedMatmul(single, weights, transposeB: true).scalars, expected.scalars) < 1e-5)
    }

    /// The FMA-ceiling loop: 12 chains a = 0.9999·a + 10⁻⁵ from a = 0.001·i, n rounds, so
    /// 12 · lanes · 2 FLOPs per round (AVX-512: 16 lanes, AVX2: 8, NEON: 4, portable: 1). The
    /// vector paths return lane 0 of the chains' sum, which the same recurrence in Swift (fused,
    /// like the hardware FMA) reproduces exactly.
    @Test(arguments: KernelPath.available) func fmaPeakLoopCountsAndComputes(path: String) {
        let rounds = 1000
        var value: Float = 0
        let lanes: Double = switch path {
        case "avx512", "avx512-bf16", "amx": 16
        case "avx2-fma": 8
        case "neon": 4
        default: 1
        }
        let flops = KernelPath.run(path) { te_fma_peak_run(rounds, &value) }
        #expect(flops == Double(rounds) * 12 * lanes * 2)
        if lanes > 1 {
            var sum: Float = 0
            for chain in 0..<12 {
                var a = 0.001 * Float(chain)
                for _ in 0..<rounds { a = Float(1e-5).addingProduct(0.9999, a) }   // one rounding, as an FMA
                sum = chain == 0 ? a : sum + a
            }
            #expect(value == sum)
        }
    }

    /// The tile geometry the Swift side reads follows the path: MR × NR and MC a multiple of MR.
    @Test(arguments: KernelPath.available) func geometryFollowsThePath(path: String) {
        let (rows, columns, block) = KernelPath.run(path) { (te_gemm_micro_rows(), te_gemm_micro_cols(), te_gemm_block_rows()) }!
        let expected: (Int, Int) = switch path {
        case "avx512", "avx512-bf16", "amx": (12, 32)
        default: (6, 16)
        }
        #expect(rows == expected.0 && columns == expected.1)
        #expect(block % rows == 0)
    }

    /// Only the paths this CPU can run are offered, the default first; an unknown name is refused
    /// and changes nothing.
    @Test func pathsOnOffer() {
        let available = KernelPath.available
        #expect(available.last == "portable")
        #expect(available.first == KernelPath.current)
        #expect(KernelPath.run("no-such-path") { 1 } == nil)
        #expect(KernelPath.current == available.first)
    }
}
