// PackedBFloat16Matrix: a weight rounded to bfloat16 once and laid out in K pairs for the bf16
// units (CKernels bgemm.c: 32-column panels, K padded to 32; the same layout for AMX and
// AVX512-BF16), and `gemmBFloat16`, the threaded product C = bf16(A)·B (+ bias) with float32
// accumulation that Linear layers run at inference under `Precision.bfloat16`. Beside it the
// readable reference, `gemmBFloat16Reference`: round both operands, then an ordinary float32 sum
// (every product of two bfloat16 values is exact in float32, so only the sum rounds).
// The units sum in another order (pairs; AMX in its own order), so they agree with the reference
// to float32 rounding of the sum, not bit for bit.
// Not handled: a transposed A; alpha/beta; updating a pack in place (make a new one).

import CKernels
import TextInput

/// op(B) (k × n) rounded to bfloat16 and packed for the bf16 units.
public final class PackedBFloat16Matrix: @unchecked Sendable {
    // @unchecked: `values` is written only in `init`, then only read; `pathName` is a static C string.
    /// op(B) is [k, n]: k = inner size, n = output columns.
    public let k: Int, n: Int
    /// The kernel path its products run on (a path with a bf16 unit: "amx" or "avx512-bf16").
    public let kernelPath: String
    let pathName: UnsafePointer<CChar>
    let values: UnsafeMutablePointer<UInt16>
    /// The packed values (te_bgemm_packed_b_count(n, k) of them), for calling CKernels directly.
    public var valuesPointer: UnsafePointer<UInt16> { UnsafePointer(values) }

    /// Packs a weight stored [n, k] (PyTorch's [out, in]) as op(B) = Bᵀ, for products on
    /// `kernelPath` (from `BFloat16Support.kernelPath()`).
    public convenience init(transposedWeight weight: Tensor, kernelPath: String) {
        precondition(weight.rank == 2, "PackedBFloat16Matrix: expected a matrix, got shape \(weight.shape)")
        self.init(b: weight, transposed: true, kernelPath: kernelPath)
    }

    /// Packs op(B) for B stored [k, n] (transposed: false) or [n, k] (transposed: true).
    public init(b: Tensor, transposed: Bool, kernelPath: String) {
        precondition(b.rank == 2, "PackedBFloat16Matrix: expected a matrix, got shape \(b.shape)")
        guard te_kernel_path_has_bf16(kernelPath) == 1, let name = KernelPath.run(kernelPath, { te_kernel_path_name()! }) else {
            preconditionFailure("PackedBFloat16Matrix: \(kernelPath) is not a bfloat16 path this CPU runs (ask BFloat16Support.kernelPath())")
        }
        (n, k) = transposed ? (b.shape[0], b.shape[1]) : (b.shape[1], b.shape[0])
        self.kernelPath = kernelPath
        pathName = name
        let count = te_bgemm_packed_b_count(n, k)
        values = UnsafeMutableRawPointer.allocate(byteCount: count * 2, alignment: TensorStorage.alignment)
            .bindMemory(to: UInt16.self, capacity: count)
        let (n, k, packed) = (n, k, values)
        let tb: Int32 = transposed ? 1 : 0
        b.withUnsafeBufferPointer { source in
            let base = source.baseAddress!, ldb = b.shape[1], nr = 32
            parallelFor((n + nr - 1) / nr, minimumChunk: max(1, (1 << 17) / max(nr * k, 1))) { _, range in
                te_bgemm_pack_b(tb, n, k, base, ldb, range.lowerBound * nr, min(n, range.upperBound * nr), packed)
            }
        }
    }

    deinit { values.deallocate() }
}

/// C = bf16(A)·B (+ rowBias in every row), float32 accumulation; A is [m, k] row-major (lda ≥ k),
/// C is [m, n] (written, not read). Row blocks go to whichever thread is free, each on the pack's
/// kernel path.
public func gemmBFloat16(
    m: Int, a: UnsafePointer<Float>, lda: Int, packedB: PackedBFloat16Matrix,
    rowBias: UnsafePointer<Float>? = nil, c: UnsafeMutablePointer<Float>, ldc: Int
) {
    guard m > 0, packedB.n > 0 else { return }
    let (n, k, path) = (packedB.n, packedB.k, packedB.pathName)
    func multiply(rowStart: Int, rows: Int) {
        let status = onKernelPath(path) {
            te_bgemm_prepacked(rows, n, k, a + rowStart * lda, lda, packedB.values, rowBias, c + rowStart * ldc, ldc)
        }
        precondition(status == 1, status == 0 ? "gemmBFloat16: \(packedB.kernelPath) has no bfloat16 product"
                                              : "gemmBFloat16: out of memory for \(min(rows, 96)) converted rows")
    }
    let threads = 2 * m * n * k < 1 << 20 ? 1 : chunkCount(for: (m + 47) / 48)
    if threads <= 1 {
        multiply(rowStart: 0, rows: m)
        return
    }
    // Blocks of 96 rows (the C side converts 96 at a time), or 48 when that leaves fewer than
    // three blocks per thread; whichever thread is free takes the next.
    let unit = te_bgemm_block_rows()
    let blockRows = m >= 3 * threads * unit ? unit : unit / 2
    let blocks = (m + blockRows - 1) / blockRows
    let next = Locked(0)  // the next block nobody has taken
    parallelFor(threads) { _, _ in
        while let block = next.withLock({ next -> Int? in
            guard next < blocks else { return nil }
            next += 1
            return next - 1
        }) {
            multiply(rowStart: block * blockRows, rows: min(blockRows, m - block * blockRows))
        }
    }
}

/// The definition of `gemmBFloat16`, slowly: C[i][j] = Σ_p bf16(A[i][p])·bf16(W[j][p]) (+ bias[j])
/// for a weight W stored [n, k], summed in float32 from p = 0 up. a: [m, k], weight: [n, k].
public func gemmBFloat16Reference(_ a: Tensor, transposedWeight weight: Tensor, bias: Tensor? = nil) -> Tensor {
    precondition(a.rank == 2 && weight.rank == 2 && a.shape[1] == weight.shape[1],
                 "gemmBFloat16Reference: a \(a.shape) does not fit weight \(weight.shape)")
    let (m, n, k) = (a.shape[0], weight.shape[0], a.shape[1])
    let x = a.scalars.map(BFloat16.rounded), w = weight.scalars.map(BFloat16.rounded)
    let b = bias?.scalars
    var c = [Float](repeating: 0, count: m * n)
    for i in 0..<m {
        for j in 0..<n {
            var sum: Float = 0
            for p in 0..<k { sum += x[i * k + p] * w[j * k + p] }  // the product is exact
            c[i * n + j] = b.map { sum + $0[j] } ?? sum
        }
    }
    return Tensor(shape: [m, n], scalars: c)
}
