// PackedMatrix and BufferPool: a product with op(B) packed once is bit-identical to `gemm`
// (every transpose of A, α and β, row counts that do and do not split over threads), a row bias
// gives C = A·Bᵀ + b (by hand, and bit for bit against "copy the bias, then β = 1"), a pack made
// on another kernel path says so; the pool's size classes by hand, and a freed block is reused.
// Not handled: timing (see `tinyencoder bench embed`).
import CKernels
import Testing
import TensorCore
import TestSupport

@Suite struct PackedMatrixTests {
    /// A = [[1, 2]], W = [[1, 0], [0, 1], [1, 1]] (stored [out, in]), b = [10, 20, 30]:
    /// A·Wᵀ = [1, 2, 3], plus b = [11, 22, 33].
    @Test func rowBiasByHand() {
        let packed = PackedMatrix(transposedWeight: Tensor(shape: [3, 2], scalars: [1, 0, 0, 1, 1, 1]))
        #expect(packed.n == 3 && packed.k == 2)
        let a: [Float] = [1, 2], bias: [Float] = [10, 20, 30]
        var c = [Float](repeating: .nan, count: 3)  // not read when there is a bias
        gemm(transposeA: false, m: 1, a: a, lda: 2, packedB: packed, rowBias: bias, c: &c, ldc: 3)
        #expect(c == [11, 22, 33])
        var plain = [Float](repeating: .nan, count: 3)
        gemm(transposeA: false, m: 1, a: a, lda: 2, packedB: packed, c: &plain, ldc: 3)
        #expect(plain == [1, 2, 3])
    }

    /// Shapes below and above the threading threshold and the cache blocks (MC 144, KC 256).
    static let shapes = [(1, 1, 1), (7, 17, 7), (65, 45, 300), (300, 100, 64), (200, 3100, 3)]

    @Test(arguments: [false, true])
    func packedProductMatchesGemmBitForBit(transposeA: Bool) {
        var rng = SeededGenerator(seed: 29)
        for (m, n, k) in Self.shapes {
            for transposeB in [false, true] {
                let a = rng.uniform(shape: transposeA ? [k, m] : [m, k], low: -1, high: 1)
                let b = rng.uniform(shape: transposeB ? [n, k] : [k, n], low: -1, high: 1)
                let c0 = rng.uniform(shape: [m, n], low: -1, high: 1).scalars
                var expected = c0, packedResult = c0
                gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: 0.5,
                     a: a.scalars, lda: a.shape[1], b: b.scalars, ldb: b.shape[1], beta: 2, c: &expected, ldc: n)
                let packed = PackedMatrix(b: b, transposed: transposeB)
                gemm(transposeA: transposeA, m: m, alpha: 0.5, a: a.scalars, lda: a.shape[1], packedB: packed,
                     beta: 2, c: &packedResult, ldc: n)
                #expect(packedResult == expected, "m=\(m) n=\(n) k=\(k) tA=\(transposeA) tB=\(transposeB)")
                let reference = matmulReference(a, b, transposeA: transposeA, transposeB: transposeB).scalars
                let fromReference = zip(reference, c0).map { 0.5 * $0 + 2 * $1 }
                #expect(maxScaledError(packedResult, fromReference) < 1e-5)
            }
        }
    }

    /// The bias written tile by tile equals the bias copied into C first and β = 1.
    @Test func rowBiasMatchesCopyThenAccumulate() {
        var rng = SeededGenerator(seed: 31)
        for (m, n, k) in [(5, 20, 9), (300, 70, 300)] {
            let x = rng.uniform(shape: [m, k], low: -1, high: 1)
            let w = rng.uniform(shape: [n, k], low: -1, high: 1)
            let bias = rng.uniform(shape: [n], low: -1, high: 1).scalars
            var expected = (0..<m).flatMap { _ in bias }
            gemm(transposeA: false, transposeB: true, m: m, n: n, k: k, a: x.scalars, lda: k, b: w.scalars, ldb: k,
                 beta: 1, c: &expected, ldc: n)
            var fused = [Float](repeating: .nan, count: m * n)
            gemm(transposeA: false, m: m, a: x.scalars, lda: k, packedB: PackedMatrix(transposedWeight: w),
                 rowBias: bias, c: &fused, ldc: n)
            #expect(fused == expected, "m=\(m) n=\(n) k=\(k)")
        }
    }

    /// The panel order belongs to the kernel path; switching it (per thread) makes the pack stale.
    @Test func packFromAnotherPathIsNotCurrent() {
        let packed = PackedMatrix(transposedWeight: Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]))
        #expect(packed.isCurrent)
        for path in KernelPath.available where path != KernelPath.current {
            #expect(KernelPath.run(path) { packed.isCurrent } == false, "\(path)")
        }
        #expect(packed.isCurrent)
    }

    /// Up to 64 KiB: the size asked. Above: rounded up to 5, 6, 7 or 8 quarters of 2^⌊log₂(size−1)⌋.
    /// 100,000 → 2^16 < 100,000 ≤ 2^17, quarter 16,384, ⌈100,000 / 16,384⌉ = 7 → 114,688.
    @Test func sizeClassesByHand() {
        #expect(BufferPool.classSize(forBytes: 1000) == 1000)
        #expect(BufferPool.classSize(forBytes: 65536) == 65536)
        #expect(BufferPool.classSize(forBytes: 100_000) == 114_688)
        #expect(BufferPool.classSize(forBytes: 131_072) == 131_072)
        #expect(BufferPool.classSize(forBytes: 131_073) == 163_840)  // 5 quarters of 2^17
    }

    /// 200,000 and 210,000 bytes share the class 7 · 32,768 = 229,376: the freed block comes back.
    /// A pool whose limit is below the class keeps nothing.
    @Test func freedBlockIsReusedWithinTheLimit() {
        let pool = BufferPool(byteLimit: 1 << 20)
        let first = pool.allocate(bytes: 200_000)
        pool.release(first, bytes: 200_000)
        #expect(pool.heldBytes == 229_376)
        let second = pool.allocate(bytes: 210_000)
        #expect(second == first)
        #expect(pool.heldBytes == 0)
        pool.release(second, bytes: 210_000)
        pool.drain()
        #expect(pool.heldBytes == 0)
        let small = BufferPool(byteLimit: 100_000)
        let block = small.allocate(bytes: 200_000)
        small.release(block, bytes: 200_000)
        #expect(small.heldBytes == 0)
    }

    /// Three blocks of class 229,376 live at once (a 64 KiB block is not counted): the peak is
    /// 688,128 bytes. A pool limited to 300,000 keeps only one of them when all three are freed;
    /// after `raiseLimitToPeakLive` it keeps all three, and the next round finds them there.
    @Test func limitRaisedToPeakLiveKeepsAWholeRound() {
        let pool = BufferPool(byteLimit: 300_000)
        func round() -> [UnsafeMutableRawPointer] {
            let blocks = (0..<3).map { _ in pool.allocate(bytes: 200_000) }
            let small = pool.allocate(bytes: 65_536)
            pool.release(small, bytes: 65_536)
            for block in blocks { pool.release(block, bytes: 200_000) }
            return blocks
        }
        _ = round()
        #expect(pool.peakLiveBytes == 688_128)
        #expect(pool.heldBytes == 229_376)
        pool.raiseLimitToPeakLive()
        #expect(pool.byteLimit == 688_128)
        _ = round()
        #expect(pool.heldBytes == 688_128)
        let reused = round()
        #expect(Set(reused).count == 3 && pool.heldBytes == 688_128 && pool.peakLiveBytes == 688_128)
        pool.byteLimit = 1_000_000
        pool.raiseLimitToPeakLive()   // never lowers the limit
        #expect(pool.byteLimit == 1_000_000)
        pool.drain()
    }
}
