// Matrix multiplication: C = α·op(A)·op(B) + β·C on row-major Float32, with op = identity or
// transpose for each operand (Linear keeps PyTorch's [out, in] weights, so x·Wᵀ is a transposed-B
// GEMM, not a copy). The fast path is CKernels' packed micro-kernel; across threads op(B) is
// packed once and shared, and row blocks of C are handed out to whichever thread is free
// (Goto & van de Geijn 2008; BLIS's threading of loop 3). `gemmReference` is the triple loop
// it must agree with. Not handled: strided batches other than contiguous [batch, rows, cols].

import CKernels
import Foundation

/// Pointer-level SGEMM on `Threads.count` threads. C = α·op(A)·op(B) + β·C, op(A): [m, k],
/// op(B): [k, n], C: [m, n], all row-major with leading dimensions `lda`, `ldb`, `ldc`.
/// Equivalent to `gemmReference` up to rounding.
///
/// Every element of C is one FMA chain over p in K blocks fixed by k, whichever thread, tile or
/// kernel computes it; so the result is bit-identical for every thread count and schedule.
///
/// - Parameters:
///   - transposeA: A is stored [k, m] (lda ≥ m) instead of [m, k] (lda ≥ k).
///   - transposeB: B is stored [n, k] (ldb ≥ k) instead of [k, n] (ldb ≥ n).
///   - beta: 0 means C is only written (NaN in C does not propagate).
/// - Complexity: 2·m·n·k floating-point operations.
/// - Reference: Goto & van de Geijn, "Anatomy of High-Performance Matrix Multiplication", 2008.
///
/// ```swift
/// gemm(transposeA: false, transposeB: true, m: 2, n: 3, k: 4, a: x, lda: 4, b: w, ldb: 4, c: &y, ldc: 3)
/// ```
public func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int,
    alpha: Float = 1, a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int,
    beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
) {
    guard m > 0, n > 0 else { return }
    let ta: Int32 = transposeA ? 1 : 0, tb: Int32 = transposeB ? 1 : 0
    // Below ~1 MFLOP a thread hand-off costs more than it saves.
    let flops = 2 * m * n * k
    let threads = flops < 1 << 20 || alpha == 0 ? 1 : chunkCount(for: max(m, n))
    if threads == 1 {
        te_sgemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc)
    } else if m >= 4 * gemmMicroRows * threads {
        gemmSharingPackedB(ta: ta, tb: tb, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, b: b, ldb: ldb,
                           beta: beta, c: c, ldc: ldc, threads: threads)
    } else {
        // Few rows: column blocks of C, each with the matching columns of op(B), in multiples of
        // the micro-kernel's width (NR), one block per thread.
        let nr = gemmMicroColumns, path = callersKernelPath()
        parallelFor((n + nr - 1) / nr) { _, range in
            let columnStart = range.lowerBound * nr, columnEnd = min(n, range.upperBound * nr)
            let bStart = transposeB ? b + columnStart * ldb : b + columnStart
            onKernelPath(path) {
                te_sgemm(ta, tb, m, columnEnd - columnStart, k, alpha, a, lda, bStart, ldb, beta, c + columnStart, ldc)
            }
        }
    }
}

/// op(B) packed once by all threads, then row blocks of C against it.
private func gemmSharingPackedB(
    ta: Int32, tb: Int32, m: Int, n: Int, k: Int, alpha: Float, a: UnsafePointer<Float>, lda: Int,
    b: UnsafePointer<Float>, ldb: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int, threads: Int
) {
    let count = te_sgemm_packed_b_count(n, k)
    let bytes = count * MemoryLayout<Float>.stride
    let packed = BufferPool.shared.allocate(bytes: bytes).bindMemory(to: Float.self, capacity: count)
    defer { BufferPool.shared.release(UnsafeMutableRawPointer(packed), bytes: bytes) }
    // Pass 1: pack op(B), by NR-column panels. Small B is packed faster than threads wake up.
    let nr = gemmMicroColumns, path = callersKernelPath()
    let panels = (n + nr - 1) / nr
    parallelFor(panels, minimumChunk: max(1, (1 << 18) / max(nr * k, 1))) { _, range in
        onKernelPath(path) {
            te_sgemm_pack_b(tb, n, k, b, ldb, range.lowerBound * nr, min(n, range.upperBound * nr), packed)
        }
    }
    // Pass 2: row blocks of C against the shared pack (PackedMatrix.swift).
    multiplyRowBlocks(ta: ta, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda, packed: packed, beta: beta,
                      c: c, ldc: ldc, threads: threads)
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
    withPointers(reading: a, b, writing: &result) { read, c in
        let run = fast ? gemm : gemmReference
        run(transposeA, transposeB, m, n, k, 1, read[0], a.shape[1], read[1], b.shape[1], 0, c, n)
    }
    return result
}

/// Batched product over a leading batch axis: A [batch, m, k] (or [batch, k, m]) times
/// B [batch, k, n] (or [batch, n, k]) gives [batch, m, n]. Batches run in parallel; with fewer
/// batches than threads, each batch's product is threaded instead.
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
    withPointers(reading: a, b, writing: &result) { read, cBase in
        let (aBase, bBase) = (read[0], read[1])
        /// C_i = op(A_i)·op(B_i)                                 [m, k]·[k, n] → [m, n]
        func product(_ index: Int, parallel: Bool) {
            gemm(Rows(aBase + index * aStride, stride: a.shape[2]), transposeA: transposeA,
                 times: Rows(bBase + index * bStride, stride: b.shape[2]), transposeB: transposeB,
                 into: MutableRows(cBase + index * cStride, stride: n), m: m, n: n, k: k, parallel: parallel)
        }
        if batch < chunkCount(for: Int.max) {
            for index in 0..<batch { product(index, parallel: true) }   // each product threaded
            return
        }
        let path = callersKernelPath()
        parallelFor(batch) { _, range in
            onKernelPath(path) {
                for index in range { product(index, parallel: false) }  // one product per thread
            }
        }
    }
    return result
}
