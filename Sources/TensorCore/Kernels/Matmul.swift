// Matrix multiplication: C = α·op(A)·op(B) + β·C on row-major Float32, with op = identity or
// transpose for each operand (Linear keeps PyTorch's [out, in] weights, so x·Wᵀ is a transposed-B
// GEMM, not a copy). The fast path is CKernels' packed micro-kernel, split over threads by blocks
// of C; `matmulReference` is the triple loop it must agree with.
// Not handled: strided batches other than contiguous [batch, rows, cols], integer types.

import CKernels

/// Pointer-level SGEMM, split over `Threads.count` threads by disjoint blocks of C (every element
/// of C is produced by one thread, in one fixed order, so results do not depend on timing).
///
/// C = α·op(A)·op(B) + β·C, op(A): [m, k], op(B): [k, n], C: [m, n], all row-major with leading
/// dimensions `lda`, `ldb`, `ldc`. Equivalent to `matmulReference` up to rounding.
///
/// - Complexity: 2·m·n·k floating-point operations.
public func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
) {
    guard m > 0, n > 0 else { return }
    let flops = 2 * m * n * max(k, 1)
    // Below ~1 MFLOP a thread hand-off costs more than it saves.
    let threads = flops < 1 << 20 ? 1 : chunkCount(for: max(m, n))
    let ta: Int32 = transposeA ? 1 : 0
    let tb: Int32 = transposeB ? 1 : 0
    if threads == 1 {
        te_sgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
        return
    }
    let splitRows = m >= n || m >= 64 * threads
    if splitRows {
        // Row blocks of C take the matching rows of op(A); blocks are multiples of 6 rows
        // (the AVX2 micro-kernel's height) so that no thread gets a ragged edge it need not have.
        let blocks = (m + 5) / 6
        parallelFor(blocks) { _, range in
            let rowStart = range.lowerBound * 6
            let rowEnd = min(m, range.upperBound * 6)
            let aStart = transposeA ? a + rowStart : a + rowStart * lda
            te_sgemm(ta, tb, rowEnd - rowStart, n, k, alpha, aStart, lda, b, ldb, beta,
                     c + rowStart * ldc, ldc)
        }
    } else {
        // Column blocks of C take the matching columns of op(B), in multiples of 16.
        let blocks = (n + 15) / 16
        parallelFor(blocks) { _, range in
            let columnStart = range.lowerBound * 16
            let columnEnd = min(n, range.upperBound * 16)
            let bStart = transposeB ? b + columnStart * ldb : b + columnStart
            te_sgemm(ta, tb, m, columnEnd - columnStart, k, alpha, a, lda, bStart, ldb, beta,
                     c + columnStart, ldc)
        }
    }
}

/// The triple loop that defines `gemm`: C[i][j] = α Σ_p op(A)[i][p]·op(B)[p][j] + β C[i][j].
/// Slow and obviously right; tests compare the fast path with it.
public func gemmReference(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
) {
    for i in 0..<m {
        for j in 0..<n {
            var sum: Float = 0
            for p in 0..<k {
                let aValue = transposeA ? a[p * lda + i] : a[i * lda + p]
                let bValue = transposeB ? b[j * ldb + p] : b[p * ldb + j]
                sum += aValue * bValue
            }
            let old = beta == 0 ? 0 : beta * c[i * ldc + j]
            c[i * ldc + j] = alpha * sum + old
        }
    }
}

// MARK: - Tensor-level matmul

/// The 2-D product op(A)·op(B).
///
/// Shapes: A is [m, k] (or [k, m] when `transposeA`), B is [k, n] (or [n, k] when `transposeB`);
/// the result is [m, n].
///
/// ```swift
/// let y = matmul(x, weight, transposeB: true)   // x: [N, in], weight: [out, in] → [N, out]
/// ```
public func matmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
    matmulImplementation(a, b, transposeA: transposeA, transposeB: transposeB, fast: true)
}

/// `matmul` computed by `gemmReference`.
public func matmulReference(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
    matmulImplementation(a, b, transposeA: transposeA, transposeB: transposeB, fast: false)
}

private func matmulImplementation(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool, fast: Bool) -> Tensor {
    precondition(a.rank == 2 && b.rank == 2, "matmul: expected two matrices, got \(a.shape) and \(b.shape)")
    let m = transposeA ? a.shape[1] : a.shape[0]
    let k = transposeA ? a.shape[0] : a.shape[1]
    let kB = transposeB ? b.shape[1] : b.shape[0]
    let n = transposeB ? b.shape[0] : b.shape[1]
    precondition(
        k == kB,
        "matmul: inner sizes differ: op(A) is [\(m), \(k)] (A \(a.shape)\(transposeA ? "ᵀ" : "")), "
            + "op(B) is [\(kB), \(n)] (B \(b.shape)\(transposeB ? "ᵀ" : ""))")
    var result = Tensor(uninitializedShape: [m, n])  // beta = 0: C is written, never read
    a.withUnsafeBufferPointer { aValues in
        b.withUnsafeBufferPointer { bValues in
            result.withUnsafeMutableBufferPointer { cValues in
                let run = fast ? gemm : gemmReference
                run(transposeA, transposeB, m, n, k, 1, aValues.baseAddress!, a.shape[1],
                    bValues.baseAddress!, b.shape[1], 0, cValues.baseAddress!, n)
            }
        }
    }
    return result
}

/// Batched product over a leading batch axis: A [batch, m, k] (or [batch, k, m]) times
/// B [batch, k, n] (or [batch, n, k]) gives [batch, m, n]. Batches run in parallel.
public func batchedMatmul(_ a: Tensor, _ b: Tensor, transposeA: Bool = false, transposeB: Bool = false) -> Tensor {
    precondition(a.rank == 3 && b.rank == 3 && a.shape[0] == b.shape[0],
                 "batchedMatmul: expected [batch, ·, ·] operands with one batch size, got \(a.shape) and \(b.shape)")
    let batch = a.shape[0]
    let m = transposeA ? a.shape[2] : a.shape[1]
    let k = transposeA ? a.shape[1] : a.shape[2]
    let n = transposeB ? b.shape[1] : b.shape[2]
    precondition(k == (transposeB ? b.shape[2] : b.shape[1]),
                 "batchedMatmul: inner sizes differ for \(a.shape) and \(b.shape)")
    var result = Tensor(uninitializedShape: [batch, m, n])  // beta = 0: written, never read
    let aStride = a.shape[1] * a.shape[2], bStride = b.shape[1] * b.shape[2], cStride = m * n
    let ta: Int32 = transposeA ? 1 : 0, tb: Int32 = transposeB ? 1 : 0
    a.withUnsafeBufferPointer { aValues in
        b.withUnsafeBufferPointer { bValues in
            result.withUnsafeMutableBufferPointer { cValues in
                let aBase = aValues.baseAddress!, bBase = bValues.baseAddress!, cBase = cValues.baseAddress!
                parallelFor(batch) { _, range in
                    for index in range {
                        te_sgemm(ta, tb, m, n, k, 1, aBase + index * aStride, a.shape[2],
                                 bBase + index * bStride, b.shape[2], 0, cBase + index * cStride, n)
                    }
                }
            }
        }
    }
    return result
}
