// Hyperbolic tangent: y = tanh(x). Backward: dx = dy·(1 − y²), from d tanh/dx = 1 − tanh².
// Not handled: nothing beyond the elementwise function.

import CKernels
import TensorCore

/// tanh forward and backward.
public enum TanhOp: Sendable {
    /// The derivative is written in terms of the output, so the backward keeps y.
    public struct Cache: Sendable {
        public let output: Tensor
    }

    public static func forward(_ x: Tensor) -> (output: Tensor, cache: Cache) {
        var output = Tensor(uninitializedShape: x.shape)
        x.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                te_vtanh(input.baseAddress!, out.baseAddress!, x.count)
            }
        }
        return (output, Cache(output: output))
    }

    /// Forward was y = tanh(x); so dx = dy · (1 − y²).
    public static func backward(_ dOut: Tensor, _ cache: Cache) -> Tensor {
        var dX = dOut
        dX.withUnsafeMutableBufferPointer { dx in
            cache.output.withUnsafeBufferPointer { y in
                for index in dx.indices { dx[index] *= 1 - y[index] * y[index] }
            }
        }
        return dX
    }
}

/// y = tanh(x), elementwise.
public func tanh(_ x: Variable) -> Variable {
    let (output, cache) = TanhOp.forward(x.value)
    return Tape.record(.tanh, output: output, inputs: [x]) { dOut in
        [TanhOp.backward(dOut, cache)]
    }
}
