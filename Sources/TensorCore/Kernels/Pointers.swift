// Call-site helpers for code that works on raw pointers: `withPointers` binds several tensors'
// storage for one body (instead of one `withUnsafe…Pointer` closure per tensor, nested), and
// `gemm(_:times:into:…)` is the GEMM call with labelled operands, each a `Rows` view (a pointer
// and the distance between its rows, which is how one head's columns of [B, T, C] are read in
// place). Both only rearrange the call: the same kernels run, on the same pointers.
// Not handled: buffers other than Tensor and [Float] ([Int32] tables, raw storage); those keep
// their own closures.

import CKernels

// MARK: - Binding several tensors at once

/// Read pointers to `inputs`, valid only inside `body` (the tensors are kept alive until it returns).
///
/// ```swift
/// withPointers(reading: x, gamma) { read in
///     let (x, gamma) = (read[0], read[1])
///     ...
/// }
/// ```
@inlinable
public func withPointers<R>(reading inputs: Tensor..., do body: ([UnsafePointer<Float>]) throws -> R) rethrows -> R {
    try withExtendedLifetime(inputs) { try body(inputs.map { UnsafePointer($0.storage.pointer) }) }
}

/// Read pointers to `inputs` and a write pointer to `a` (made unique first, as
/// `withUnsafeMutableBufferPointer` does), valid only inside `body`.
@inlinable
public func withPointers<R>(
    reading inputs: Tensor..., writing a: inout Tensor,
    _ body: ([UnsafePointer<Float>], UnsafeMutablePointer<Float>) throws -> R
) rethrows -> R {
    a.makeUnique()
    let pa = a.storage.pointer
    return try withExtendedLifetime(inputs) { try body(inputs.map { UnsafePointer($0.storage.pointer) }, pa) }
}

/// As above, writing two tensors.
@inlinable
public func withPointers<R>(
    reading inputs: Tensor..., writing a: inout Tensor, _ b: inout Tensor,
    _ body: ([UnsafePointer<Float>], UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) throws -> R
) rethrows -> R {
    a.makeUnique(); b.makeUnique()
    let (pa, pb) = (a.storage.pointer, b.storage.pointer)
    return try withExtendedLifetime(inputs) { try body(inputs.map { UnsafePointer($0.storage.pointer) }, pa, pb) }
}

/// As above, writing three tensors.
@inlinable
public func withPointers<R>(
    reading inputs: Tensor..., writing a: inout Tensor, _ b: inout Tensor, _ c: inout Tensor,
    _ body: ([UnsafePointer<Float>], UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>,
             UnsafeMutablePointer<Float>) throws -> R
) rethrows -> R {
    a.makeUnique(); b.makeUnique(); c.makeUnique()
    let (pa, pb, pc) = (a.storage.pointer, b.storage.pointer, c.storage.pointer)
    return try withExtendedLifetime(inputs) { try body(inputs.map { UnsafePointer($0.storage.pointer) }, pa, pb, pc) }
}

/// Read pointers to the `[Float]` arrays `inputs` and a write pointer to `a`, valid only inside
/// `body` (for the plain arrays of the word-vector code; every array must be non-empty).
@inlinable
public func withPointers<R>(
    reading inputs: [Float]..., writing a: inout [Float],
    _ body: ([UnsafePointer<Float>], UnsafeMutablePointer<Float>) throws -> R
) rethrows -> R {
    try a.withUnsafeMutableBufferPointer { written in
        try bindArrays(inputs[...], []) { try body($0, written.baseAddress!) }
    }
}

/// Binds the first array, then the rest inside it: the nesting lives here, once.
@usableFromInline
func bindArrays<R>(_ arrays: ArraySlice<[Float]>, _ bound: [UnsafePointer<Float>],
                   _ body: ([UnsafePointer<Float>]) throws -> R) rethrows -> R {
    guard let first = arrays.first else { return try body(bound) }
    return try first.withUnsafeBufferPointer { try bindArrays(arrays.dropFirst(), bound + [$0.baseAddress!], body) }
}

// MARK: - GEMM with labelled operands

/// A row-major matrix inside a buffer: its first element and how many floats apart its rows
/// start (GEMM's leading dimension). Head h of Q [B, T, C] in sequence b is
/// `Rows(q + b·T·C + h·D, stride: C)`: T rows of D floats, C apart.
public struct Rows {
    public let start: UnsafePointer<Float>
    public let stride: Int
    @inlinable public init(_ start: UnsafePointer<Float>, stride: Int) { (self.start, self.stride) = (start, stride) }
    @inlinable public init(_ start: UnsafeMutablePointer<Float>, stride: Int) { self.init(UnsafePointer(start), stride: stride) }
}

/// A row-major matrix to write into (see `Rows`).
public struct MutableRows {
    public let start: UnsafeMutablePointer<Float>
    public let stride: Int
    @inlinable public init(_ start: UnsafeMutablePointer<Float>, stride: Int) { (self.start, self.stride) = (start, stride) }
}

/// C = α·op(A)·op(B), or C += α·op(A)·op(B) when `accumulate`; op(A): [m, k], op(B): [k, n],
/// C: [m, n], op = transpose where asked. Equivalent to `gemm(transposeA:transposeB:m:n:k:…)`
/// (and to `gemmReference` up to rounding).
///
/// - Parameters:
///   - a, b: the operands as stored: A is [m, k], or [k, m] with `transposeA`; B is [k, n], or
///     [n, k] with `transposeB`.
///   - parallel: false on a thread that is already one of `parallelFor`'s (attention runs one
///     (b, h) pair per call): the kernel then runs on the calling thread alone.
/// - Complexity: 2·m·n·k floating-point operations.
///
/// ```swift
/// // S = Q_h K_hᵀ / √D                                    [T, D]·[D, T] → [T, T]
/// gemm(Rows(q + base, stride: c), times: Rows(k + base, stride: c), transposeB: true,
///      into: MutableRows(scores, stride: t), m: t, n: t, k: d, scale: 1 / Float(d).squareRoot())
/// ```
@inlinable
public func gemm(
    _ a: Rows, transposeA: Bool = false, times b: Rows, transposeB: Bool = false,
    into c: MutableRows, m: Int, n: Int, k: Int, scale alpha: Float = 1, accumulate: Bool = false, parallel: Bool = true
) {
    let beta: Float = accumulate ? 1 : 0
    if parallel {
        gemm(transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha, a: a.start, lda: a.stride,
             b: b.start, ldb: b.stride, beta: beta, c: c.start, ldc: c.stride)
    } else {
        te_sgemm(transposeA ? 1 : 0, transposeB ? 1 : 0, m, n, k, alpha, a.start, a.stride, b.start, b.stride, beta,
                 c.start, c.stride)
    }
}

extension Tensor {
    /// A tensor with no elements: stands in for an absent optional operand in `withPointers`
    /// (the caller checks the optional, never reads this pointer).
    public static var absent: Tensor { Tensor(zeros: [0]) }
}
