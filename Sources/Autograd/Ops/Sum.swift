// Sum and mean, over one axis or over everything.
//   y = Σₖ x[…, k, …]:      dx[…, k, …] = dy[…]        (every term contributes with weight 1)
//   y = (1/n) Σₖ x[…, k, …]: dx[…, k, …] = dy[…] / n
// Backward therefore broadcasts dy back along the reduced axis.
// Not handled: keeping the reduced axis with extent 1 (reshape afterwards if wanted).

import TensorCore

/// Sum/mean reductions.
public enum SumOp: Sendable {
    /// dy broadcast back along `axis` of `inputShape`, times `factor`.
    public static func broadcast(_ dOut: Tensor, along axis: Int, of inputShape: [Int], factor: Float) -> Tensor {
        let outer = inputShape[..<axis].reduce(1, *)
        let extent = inputShape[axis]
        let inner = inputShape[(axis + 1)...].reduce(1, *)
        var dX = Tensor(uninitializedShape: inputShape)
        dOut.withUnsafeBufferPointer { source in
            dX.withUnsafeMutableBufferPointer { target in
                for o in 0..<outer {
                    for e in 0..<extent {
                        let line = target.baseAddress! + (o * extent + e) * inner
                        for i in 0..<inner { line[i] = factor * source[o * inner + i] }
                    }
                }
            }
        }
        return dX
    }
}

/// Σ over `axis` (the axis disappears), or over all elements to a scalar when `axis` is nil.
public func sum(_ x: Variable, axis: Int? = nil) -> Variable {
    reduce(x, axis: axis, mean: false)
}

/// The mean over `axis` (the axis disappears), or over all elements when `axis` is nil.
public func mean(_ x: Variable, axis: Int? = nil) -> Variable {
    reduce(x, axis: axis, mean: true)
}

private func reduce(_ x: Variable, axis: Int?, mean: Bool) -> Variable {
    let shape = x.shape
    if let axis {
        checkShape(axis >= 0 && axis < shape.count, mean ? "mean" : "sum", "axis \(axis) does not exist in \(shape)")
        let factor: Float = mean ? 1 / Float(max(shape[axis], 1)) : 1
        var output = x.value.sum(alongAxis: axis)
        if mean { output.scale(by: factor) }
        return Tape.record(mean ? .mean : .sum, output: output, inputs: [x]) { dOut in
            [SumOp.broadcast(dOut, along: axis, of: shape, factor: factor)]
        }
    }
    let factor: Float = mean ? 1 / Float(max(x.value.count, 1)) : 1
    let output = Tensor(scalar: x.value.sum() * factor)
    return Tape.record(mean ? .mean : .sum, output: output, inputs: [x]) { dOut in
        [Tensor(shape: shape, repeating: dOut.scalar * factor)]
    }
}

extension Variable {
    /// Σ of all elements, as a scalar variable.
    public func sum() -> Variable { Autograd.sum(self) }
}
