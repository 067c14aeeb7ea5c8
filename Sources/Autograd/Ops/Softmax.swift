// Softmax over the last axis: yᵢ = exp(xᵢ − m) / Σⱼ exp(xⱼ − m), m = maxⱼ xⱼ (subtracting the
// max changes nothing mathematically and keeps exp from overflowing).
// Backward: the Jacobian is ∂yᵢ/∂xⱼ = yᵢ(δᵢⱼ − yⱼ), so dxᵢ = Σⱼ dyⱼ yⱼ(δᵢⱼ − yᵢ)
//           = yᵢ(dyᵢ − Σⱼ dyⱼyⱼ): one dot product per row, never the T×T Jacobian.
// Not handled: other axes (transpose first), masking (see ScaledDotProductAttention).

import CKernels
import TensorCore

/// Softmax over the last axis.
public enum SoftmaxOp: Sendable {
    /// The backward is written in terms of the output y.
    public struct Cache: Sendable {
        public let output: Tensor
    }

    /// x: [..., C] → y: [..., C], each row summing to 1.
    public static func forward(_ x: Tensor) -> (output: Tensor, cache: Cache) {
        let columns = x.shape.last ?? 1
        var output = Tensor(uninitializedShape: x.shape)
        x.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                softmaxRows(input.baseAddress!, out.baseAddress!, rows: x.count / max(columns, 1), columns: columns)
            }
        }
        return (output, Cache(output: output))
    }

    /// Forward was y = softmax(x); so dx = y ⊙ (dy − ⟨dy, y⟩) row by row (CKernels'
    /// te_softmax_rows_backward, chunks of rows split over threads).
    public static func backward(_ dOut: Tensor, _ cache: Cache) -> Tensor {
        let columns = cache.output.shape.last ?? 1
        let rows = cache.output.count / max(columns, 1)
        var dX = Tensor(uninitializedShape: dOut.shape)
        withPointers(reading: cache.output, dOut, writing: &dX) { read, dx in
            let (y, dy) = (read[0], read[1])
            parallelFor(rows, minimumChunk: 64) { _, range in
                let offset = range.lowerBound * columns
                te_softmax_rows_backward(y + offset, dy + offset, dx + offset, range.count, columns, 0)
            }
        }
        return dX
    }
}

/// Numerically stable softmax of each row (CKernels' te_softmax_rows), rows split over threads.
func softmaxRows(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, rows: Int, columns: Int) {
    parallelFor(rows, minimumChunk: 64) { _, range in
        let offset = range.lowerBound * columns
        te_softmax_rows(x + offset, y + offset, range.count, columns)
    }
}

/// y = softmax(x) over the last axis.
public func softmax(_ x: Variable) -> Variable {
    let (output, cache) = SoftmaxOp.forward(x.value)
    return Tape.record(.softmax, output: output, inputs: [x]) { dOut in
        [SoftmaxOp.backward(dOut, cache)]
    }
}
