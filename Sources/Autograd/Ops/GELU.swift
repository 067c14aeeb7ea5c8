// GELU, the Gaussian error linear unit (Hendrycks & Gimpel, 2016), in both forms that
// checkpoints use: exact  y = x·Φ(x) = ½x(1 + erf(x/√2))   (BERT's "gelu", PyTorch's default)
//               tanh   y = ½x(1 + tanh(√(2/π)(x + 0.044715x³)))   (GPT-2's "gelu_new").
// Backward: exact dy/dx = Φ(x) + x·φ(x);  tanh form: ½(1 + t) + ½x(1 − t²)·√(2/π)(1 + 3·0.044715x²).
// The vector loops are CKernels' te_vgelu_*; geluReference below is the scalar definition.
// Not handled: the sigmoid approximation x·σ(1.702x).

import CKernels
import Foundation
import TensorCore

/// Which GELU formula to use.
public enum GELUApproximation: String, Codable, Sendable {
    /// x·Φ(x) with the exact erf.
    case none
    /// The tanh approximation.
    case tanh
}

/// GELU forward and backward.
public enum GELUOp: Sendable {
    /// The backward needs the input x (Φ and φ are recomputed from it).
    public struct Cache: Sendable {
        public let input: Tensor
        public let approximation: GELUApproximation
    }

    public static func forward(_ x: Tensor, approximation: GELUApproximation) -> (output: Tensor, cache: Cache) {
        var output = Tensor(uninitializedShape: x.shape)
        let total = x.count
        x.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                let source = input.baseAddress!, target = out.baseAddress!
                parallelFor(total, minimumChunk: 1 << 14) { _, range in
                    let start = range.lowerBound
                    switch approximation {
                    case .none: te_vgelu_erf(source + start, target + start, range.count)
                    case .tanh: te_vgelu_tanh(source + start, target + start, range.count)
                    }
                }
            }
        }
        return (output, Cache(input: x, approximation: approximation))
    }

    /// Forward was y = x·Φ(x) (or its tanh form); so dx = dy · dy/dx, evaluated at the cached x.
    public static func backward(_ dOut: Tensor, _ cache: Cache) -> Tensor {
        var dX = Tensor(uninitializedShape: cache.input.shape)
        let total = dX.count
        withPointers(reading: cache.input, dOut, writing: &dX) { read, target in
            let (x, g) = (read[0], read[1])
            parallelFor(total, minimumChunk: 1 << 14) { _, range in
                let start = range.lowerBound
                switch cache.approximation {
                case .none: te_vgelu_erf_backward(x + start, g + start, target + start, range.count, 0)
                case .tanh: te_vgelu_tanh_backward(x + start, g + start, target + start, range.count, 0)
                }
            }
        }
        return dX
    }

    /// The scalar definition, in Double, for tests: the value and its derivative at x.
    public static func reference(_ x: Double, approximation: GELUApproximation) -> (value: Double, derivative: Double) {
        switch approximation {
        case .none:
            let cdf = 0.5 * (1 + erf(x / 2.0.squareRoot()))
            let pdf = exp(-0.5 * x * x) / (2 * Double.pi).squareRoot()
            return (x * cdf, cdf + x * pdf)
        case .tanh:
            let c = (2 / Double.pi).squareRoot()
            let t = Foundation.tanh(c * (x + 0.044715 * x * x * x))
            let du = c * (1 + 3 * 0.044715 * x * x)
            return (0.5 * x * (1 + t), 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * du)
        }
    }
}

/// y = GELU(x), elementwise.
public func gelu(_ x: Variable, approximation: GELUApproximation = .none) -> Variable {
    let (output, cache) = GELUOp.forward(x.value, approximation: approximation)
    return Tape.record(.gelu, output: output, inputs: [x]) { dOut in
        [GELUOp.backward(dOut, cache)]
    }
}
