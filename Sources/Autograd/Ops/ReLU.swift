// ReLU: y = max(0, x). Backward: dx = dy where x > 0, else 0 (the subgradient at 0 is taken as 0,
// as PyTorch does).
// Not handled: leaky or parametric variants.

import TensorCore

/// ReLU forward and backward.
public enum ReLUOp: Sendable {
    /// The backward needs to know where x > 0; the output carries that (y > 0 ⇔ x > 0).
    public struct Cache: Sendable {
        public let output: Tensor
    }

    public static func forward(_ x: Tensor) -> (output: Tensor, cache: Cache) {
        let output = x.map { max($0, 0) }
        return (output, Cache(output: output))
    }

    /// Forward was y = max(0, x); so dx = dy · 1[y > 0].
    public static func backward(_ dOut: Tensor, _ cache: Cache) -> Tensor {
        var dX = dOut
        dX.withUnsafeMutableBufferPointer { dx in
            cache.output.withUnsafeBufferPointer { y in
                for index in dx.indices where !(y[index] > 0) { dx[index] = 0 }
            }
        }
        return dX
    }
}

/// y = max(0, x), elementwise.
public func relu(_ x: Variable) -> Variable {
    let (output, cache) = ReLUOp.forward(x.value)
    return Tape.record(.relu, output: output, inputs: [x]) { dOut in
        [ReLUOp.backward(dOut, cache)]
    }
}
