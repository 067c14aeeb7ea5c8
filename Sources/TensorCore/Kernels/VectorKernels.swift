// Elementwise math on tensors: exp, tanh, erf and GELU (exact erf form and tanh form) with the
// derivatives the autodiff needs. Each fast function runs CKernels' vector code (AVX2+FMA, NEON
// or portable), split over threads in contiguous chunks, and is "equivalent to" the plain-Swift
// `…Reference` beside it, which evaluates the textbook formula in Double (Hendrycks & Gimpel 2016
// for GELU). Tests check the two agree on dense grids. Not handled: in-place variants, Float16.

import CKernels
import Foundation

/// Elements per thread below which an elementwise kernel runs on the calling thread.
let vectorKernelMinimumChunk = 1 << 15

/// Runs `kernel(x, y, n)` over contiguous chunks of `input` into a new tensor of the same shape.
/// Every element is computed by one call, so the result does not depend on the thread count.
func mapWithKernel(_ input: Tensor, _ kernel: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void) -> Tensor {
    var output = Tensor(uninitializedShape: input.shape)
    guard input.count > 0 else { return output }
    input.withUnsafeBufferPointer { source in
        output.withUnsafeMutableBufferPointer { target in
            let x = source.baseAddress!, y = target.baseAddress!
            parallelFor(input.count, minimumChunk: vectorKernelMinimumChunk) { _, range in
                kernel(x + range.lowerBound, y + range.lowerBound, range.count)
            }
        }
    }
    return output
}

/// Applies a scalar Double formula to every element (the references' one loop).
func mapReference(_ input: Tensor, _ formula: (Double) -> Double) -> Tensor {
    Tensor(shape: input.shape, scalars: input.scalars.map { Float(formula(Double($0))) })
}

// MARK: - exp, tanh, erf

/// eˣ for every element. Equivalent to `exponentialReference` within 2e-7 relative error for
/// x in [-87, 88]; gives 0 below -104 and +∞ above 88.72, as `expf` does.
///
/// Shapes: any; the result has the input's shape.
/// - Complexity: O(n), about 0.5 ns per element on one AVX2 core.
/// - Reference: Cody & Waite range reduction, a fitted degree-6 polynomial (CKernels).
///
/// ```swift
/// let e = exponential(Tensor(shape: [2], scalars: [0, 1]))   // [1, 2.7182817]
/// ```
public func exponential(_ x: Tensor) -> Tensor {
    mapWithKernel(x) { te_vexp($0, $1, $2) }
}

/// eˣ by Foundation's `exp` in Double, rounded to Float.
public func exponentialReference(_ x: Tensor) -> Tensor {
    mapReference(x) { Foundation.exp($0) }
}

/// tanh x for every element. Equivalent to `hyperbolicTangentReference` within 2e-7 relative.
///
/// tanh x = x + x³P(x²) for |x| < 0.625, else sign(x)(1 − 2 / (e^{2|x|} + 1)).
/// - Complexity: O(n).
///
/// ```swift
/// let t = hyperbolicTangent(Tensor(shape: [1], scalars: [0.5]))   // [0.46211717]
/// ```
public func hyperbolicTangent(_ x: Tensor) -> Tensor {
    mapWithKernel(x) { te_vtanh($0, $1, $2) }
}

/// tanh x by Foundation's `tanh` in Double, rounded to Float.
public func hyperbolicTangentReference(_ x: Tensor) -> Tensor {
    mapReference(x) { Foundation.tanh($0) }
}

/// dx = dy ⊙ (1 − y²), the tanh backward from its output y = tanh x.
/// Equivalent to `hyperbolicTangentBackwardReference`. Shapes: dOut and output equal.
public func hyperbolicTangentBackward(_ dOut: Tensor, output: Tensor) -> Tensor {
    zipWithKernel(output, dOut, "hyperbolicTangentBackward") { te_vtanh_backward($0, $1, $2, $3, 0) }
}

/// dy (1 − y²) in Double.
public func hyperbolicTangentBackwardReference(_ dOut: Tensor, output: Tensor) -> Tensor {
    zipReference(output, dOut) { y, dy in dy * (1 - y * y) }
}

/// erf x for every element. Equivalent to `errorFunctionReference` within 1e-7 absolute error.
///
/// erf x = x(2/√π + x²P(x²)) for |x| < 1, else sign(x)(1 − e^{−x²} Q(1 / (1 + |x|/2))).
/// - Complexity: O(n).
/// - Reference: polynomials fitted by Scripts/fit-vmath-polynomials.py.
///
/// ```swift
/// let e = errorFunction(Tensor(shape: [1], scalars: [1]))   // [0.8427008]
/// ```
public func errorFunction(_ x: Tensor) -> Tensor {
    mapWithKernel(x) { te_verf($0, $1, $2) }
}

/// erf x by Foundation's `erf` in Double, rounded to Float.
public func errorFunctionReference(_ x: Tensor) -> Tensor {
    mapReference(x) { Foundation.erf($0) }
}

// MARK: - GELU

/// GELU(x) = x·Φ(x) = ½x(1 + erf(x/√2)) (exact form), or with `tanhApproximation`
/// ½x(1 + tanh(√(2/π)(x + 0.044715x³))). Equivalent to `geluReference` within 3e-7 of
/// max(|GELU(x)|, 1).
///
/// Shapes: any; the result has the input's shape.
/// - Parameters:
///   - x: the pre-activation.
///   - tanhApproximation: use the tanh form (GPT-2's "gelu_new") instead of the exact erf form
///     (BERT's "gelu", PyTorch's default).
/// - Complexity: O(n); about 1.4 ns per element (exact) on one AVX2 core.
/// - Reference: Hendrycks & Gimpel, "Gaussian Error Linear Units", 2016.
///
/// ```swift
/// let y = gelu(Tensor(shape: [3], scalars: [-1, 0, 1]))   // [-0.15865526, 0, 0.8413447]
/// ```
public func gelu(_ x: Tensor, tanhApproximation: Bool = false) -> Tensor {
    mapWithKernel(x) { tanhApproximation ? te_vgelu_tanh($0, $1, $2) : te_vgelu_erf($0, $1, $2) }
}

/// GELU by the textbook formulas in Double: ½x(1 + erf(x/√2)) or ½x(1 + tanh(√(2/π)(x + 0.044715x³))).
public func geluReference(_ x: Tensor, tanhApproximation: Bool = false) -> Tensor {
    mapReference(x) { v in
        if tanhApproximation {
            return 0.5 * v * (1 + Foundation.tanh((2 / Double.pi).squareRoot() * (v + 0.044715 * v * v * v)))
        }
        return 0.5 * v * (1 + Foundation.erf(v / 2.0.squareRoot()))
    }
}

/// The GELU backward: dx = dy ⊙ GELU′(x), from the forward's input x.
/// Exact form: GELU′(x) = Φ(x) + x·φ(x), φ(x) = e^{−x²/2}/√(2π); tanh form:
/// ½(1 + t) + ½x(1 − t²)·√(2/π)(1 + 3·0.044715x²), t = tanh(√(2/π)(x + 0.044715x³)).
/// Equivalent to `geluBackwardReference` within 3e-7 of max(|dx|, 1).
///
/// Shapes: dOut and input equal; the result has that shape.
/// - Complexity: O(n).
public func geluBackward(_ dOut: Tensor, input: Tensor, tanhApproximation: Bool = false) -> Tensor {
    zipWithKernel(input, dOut, "geluBackward") { x, dy, dx, n in
        tanhApproximation ? te_vgelu_tanh_backward(x, dy, dx, n, 0) : te_vgelu_erf_backward(x, dy, dx, n, 0)
    }
}

/// dy · GELU′(x) by the formulas in Double.
public func geluBackwardReference(_ dOut: Tensor, input: Tensor, tanhApproximation: Bool = false) -> Tensor {
    zipReference(input, dOut) { x, dy in
        if tanhApproximation {
            let c = (2 / Double.pi).squareRoot()
            let t = Foundation.tanh(c * (x + 0.044715 * x * x * x))
            return dy * (0.5 * (1 + t) + 0.5 * x * (1 - t * t) * c * (1 + 3 * 0.044715 * x * x))
        }
        let cdf = 0.5 * (1 + Foundation.erf(x / 2.0.squareRoot()))
        let pdf = Foundation.exp(-0.5 * x * x) / (2 * Double.pi).squareRoot()
        return dy * (cdf + x * pdf)
    }
}

// MARK: - Two-input helpers

/// Runs `kernel(a, b, out, n)` over contiguous chunks of two same-shaped tensors.
func zipWithKernel(
    _ first: Tensor, _ second: Tensor, _ name: String,
    _ kernel: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void
) -> Tensor {
    precondition(first.shape == second.shape, "\(name): shapes differ: \(first.shape) and \(second.shape)")
    var output = Tensor(uninitializedShape: first.shape)
    guard first.count > 0 else { return output }
    first.withUnsafeBufferPointer { a in
        second.withUnsafeBufferPointer { b in
            output.withUnsafeMutableBufferPointer { target in
                let x = a.baseAddress!, y = b.baseAddress!, z = target.baseAddress!
                parallelFor(first.count, minimumChunk: vectorKernelMinimumChunk) { _, range in
                    let start = range.lowerBound
                    kernel(x + start, y + start, z + start, range.count)
                }
            }
        }
    }
    return output
}

/// Applies a Double formula to matching elements of two same-shaped tensors.
func zipReference(_ first: Tensor, _ second: Tensor, _ formula: (Double, Double) -> Double) -> Tensor {
    precondition(first.shape == second.shape, "shapes differ: \(first.shape) and \(second.shape)")
    let values = zip(first.scalars, second.scalars).map { Float(formula(Double($0), Double($1))) }
    return Tensor(shape: first.shape, scalars: values)
}
