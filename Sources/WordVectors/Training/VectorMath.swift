// VectorMath: the two level-1 operations every trainer's inner loop is made of, on raw pointers:
// dot(x, y) and y += a·x, for the short rows (D ≈ 100) of word vectors. They are written with
// Swift SIMD8 lanes (two SSE registers each on x86-64 without compiler flags) and two independent
// accumulators, which is what lets the adds overlap. The negative-sampling step itself, where the
// time goes, is CKernels' te_sgns_step (AVX2+FMA); these serve the remaining per-row updates.
// A plain loop beside each is the reference the tests compare them with.
// Reference: BLAS sdot / saxpy (gensim calls them through scipy; word2vec.c writes the loops).
// Not handled: strides other than 1.

import CKernels

@inline(__always)
private func load8(_ pointer: UnsafePointer<Float>) -> SIMD8<Float> {
    UnsafeRawPointer(pointer).loadUnaligned(as: SIMD8<Float>.self)
}

@inline(__always)
private func store8(_ value: SIMD8<Float>, _ pointer: UnsafeMutablePointer<Float>) {
    UnsafeMutableRawPointer(pointer).storeBytes(of: value, as: SIMD8<Float>.self)
}

/// Σ x[i]·y[i] over `count` elements. Equivalent to `dotReference` up to rounding (the sum is
/// taken in a fixed order: 16 lanes, then the tail).
@inline(__always)
public func dot(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ count: Int) -> Float {
    var first = SIMD8<Float>(), second = SIMD8<Float>()
    var index = 0
    while index + 16 <= count {
        first += load8(x + index) * load8(y + index)
        second += load8(x + index + 8) * load8(y + index + 8)
        index += 16
    }
    if index + 8 <= count {
        first += load8(x + index) * load8(y + index)
        index += 8
    }
    let lanes = first + second
    var sum = (lanes.lowHalf + lanes.highHalf).sum()
    while index < count {
        sum += x[index] * y[index]
        index += 1
    }
    return sum
}

/// y[i] += a·x[i] over `count` elements. Equivalent to `axpyReference` (bit-identical: each
/// element is one multiply and one add).
@inline(__always)
public func axpy(_ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int) {
    let scale = SIMD8<Float>(repeating: a)
    var index = 0
    while index + 8 <= count {
        store8(load8(y + index) + scale * load8(x + index), y + index)
        index += 8
    }
    while index < count {
        y[index] += a * x[index]
        index += 1
    }
}

/// The readable definition of `dot`.
public func dotReference(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ count: Int) -> Float {
    var sum: Float = 0
    for index in 0..<count { sum += x[index] * y[index] }
    return sum
}

/// The readable definition of `axpy`.
public func axpyReference(_ a: Float, _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int) {
    for index in 0..<count { y[index] += a * x[index] }
}

/// CKernels' dot (AVX2+FMA on the detected path), for comparison in tests and benchmarks.
public func dotCKernels(_ x: UnsafePointer<Float>, _ y: UnsafePointer<Float>, _ count: Int) -> Float {
    te_dot(x, y, count)
}
