// PackedMatrix: the B operand of a GEMM laid out once in the micro-kernel's panel order, for a
// weight that many products reuse unchanged (every Linear layer at inference). `gemm` packs op(B)
// again on every call — 2–3% of an embedding run — and the packed copy makes that a one-off.
// The result is bit-identical to `gemm`'s (the same panels, the same FMA order). The panel order
// belongs to the kernel path that packed it (its NR-column panels), so a pack used on another
// path (`KernelPath.run`, `KernelPath.select`) reports `isCurrent == false` and must be made again.
// Not handled: packing A; updating a pack in place when the weight changes (make a new one).

import CKernels
import TextInput

/// op(B) (k × n) packed for the GEMM micro-kernel.
public final class PackedMatrix: Sendable {
    /// op(B) is [k, n]: k = inner size, n = output columns.
    public let k: Int, n: Int
    let storage: TensorStorage
    let kernelPath: Int32

    /// Packs a weight stored [n, k] (PyTorch's [out, in]) as op(B) = Bᵀ, ready for x·Wᵀ.
    public convenience init(transposedWeight weight: Tensor) {
        precondition(weight.rank == 2, "PackedMatrix: expected a matrix, got shape \(weight.shape)")
        self.init(b: weight, transposed: true)
    }

    /// Packs op(B) for B stored [k, n] (transposed: false) or [n, k] (transposed: true).
    public init(b: Tensor, transposed: Bool) {
        precondition(b.rank == 2, "PackedMatrix: expected a matrix, got shape \(b.shape)")
        (n, k) = transposed ? (b.shape[0], b.shape[1]) : (b.shape[1], b.shape[0])
        kernelPath = te_kernel_path()
        storage = TensorStorage(uninitializedCount: te_sgemm_packed_b_count(n, k))
        let (n, k, packed) = (n, k, storage.pointer)
        let tb: Int32 = transposed ? 1 : 0
        b.withUnsafeBufferPointer { values in
            let source = values.baseAddress!, ldb = b.shape[1]
            // By NR-column panels; small matrices are packed faster than threads wake up.
            let nr = gemmMicroColumns, path = callersKernelPath()
            parallelFor((n + nr - 1) / nr, minimumChunk: max(1, (1 << 18) / max(nr * k, 1))) { _, range in
                onKernelPath(path) {
                    te_sgemm_pack_b(tb, n, k, source, ldb, range.lowerBound * nr, min(n, range.upperBound * nr), packed)
                }
            }
        }
    }

    /// Whether the pack still matches the kernel path in use.
    public var isCurrent: Bool { kernelPath == te_kernel_path() }
}

/// C = α·op(A)·B + β·C with B packed beforehand; op(A) is [m, k], C is [m, n] (row-major). Rows
/// of C are shared out over the threads in blocks, as `gemm` does for large products. With a
/// `rowBias` (n values), C = α·op(A)·B + bias in every row (β is ignored, C is not read): the
/// kernel adds the bias to each MR × NR tile as it stores it.
public func gemm(
    transposeA: Bool, m: Int, alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
    packedB: PackedMatrix, beta: Float = 0, rowBias: UnsafePointer<Float>? = nil,
    c: UnsafeMutablePointer<Float>, ldc: Int
) {
    precondition(packedB.isCurrent, "gemm: the packed B was made for another kernel path; pack it again")
    guard m > 0, packedB.n > 0 else { return }
    let flops = 2 * m * packedB.n * packedB.k
    let threads = flops < 1 << 20 ? 1 : chunkCount(for: m / gemmMicroRows)
    multiplyRowBlocks(ta: transposeA ? 1 : 0, m: m, n: packedB.n, k: packedB.k, alpha: alpha, a: a, lda: lda,
                      packed: packedB.storage.pointer, beta: beta, rowBias: rowBias, c: c, ldc: ldc, threads: threads)
}

/// The calling thread's GEMM geometry (CKernels' table): the micro-kernel's rows (MR) and columns
/// (NR), and the tallest row block handed to a thread (MC).
var gemmMicroRows: Int { te_gemm_micro_rows() }
var gemmMicroColumns: Int { te_gemm_micro_cols() }
var gemmLargestRowBlock: Int { te_gemm_block_rows() }

/// Rows of C in blocks (multiples of MR rows, the same number per thread, at least three, at most
/// MC rows each), each
/// taken by whichever thread is free, all multiplying by one packed op(B) (with `rowBias`, onto
/// the bias).
func multiplyRowBlocks(
    ta: Int32, m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
    packed: UnsafePointer<Float>, beta: Float, rowBias: UnsafePointer<Float>? = nil,
    c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int
) {
    func multiply(rowStart: Int, rows: Int) {
        let aStart = ta == 1 ? a + rowStart : a + rowStart * lda
        te_sgemm_prepacked_bias(ta, rows, n, k, alpha, aStart, lda, packed, beta, rowBias, c + rowStart * ldc, ldc)
    }
    if threads <= 1 {
        multiply(rowStart: 0, rows: m)
        return
    }
    // An equal number of blocks per thread (at least three), each at most MC rows: with 9 blocks
    // for 2 threads one thread had a whole block more to do while the other waited.
    let (mr, mc) = (gemmMicroRows, gemmLargestRowBlock)
    let rounds = max(3, (m + threads * mc - 1) / (threads * mc))
    let target = (m + rounds * threads - 1) / (rounds * threads)
    let blockRows = min(mc, (target + mr - 1) / mr * mr)
    let blocks = (m + blockRows - 1) / blockRows
    let next = Locked(0)  // the next block nobody has taken
    let path = callersKernelPath()
    parallelFor(threads) { _, _ in
        onKernelPath(path) {
            while let block = next.withLock({ next -> Int? in
                guard next < blocks else { return nil }
                next += 1
                return next - 1
            }) {
                multiply(rowStart: block * blockRows, rows: min(blockRows, m - block * blockRows))
            }
        }
    }
}
