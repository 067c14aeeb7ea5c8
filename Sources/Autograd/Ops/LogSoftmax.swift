// Log-softmax over the last axis: yᵢ = xᵢ − log Σⱼ exp(xⱼ), computed as (xᵢ − m) − log Σⱼ exp(xⱼ − m).
// Backward: ∂yᵢ/∂xⱼ = δᵢⱼ − softmax(x)ⱼ, so dxⱼ = dyⱼ − softmax(x)ⱼ · Σᵢ dyᵢ, and
// softmax(x) = exp(y) is recovered from the cached output.
// Not handled: other axes.

import CKernels
import TensorCore

/// Log-softmax over the last axis.
public enum LogSoftmaxOp: Sendable {
    /// The backward needs softmax(x) = exp(y): the output is kept.
    public struct Cache: Sendable {
        public let output: Tensor
    }

    public static func forward(_ x: Tensor) -> (output: Tensor, cache: Cache) {
        let columns = x.shape.last ?? 1
        let rows = x.count / max(columns, 1)
        var output = Tensor(uninitializedShape: x.shape)
        x.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                let source = input.baseAddress!, target = out.baseAddress!
                parallelFor(rows, minimumChunk: 16) { _, range in
                    let offset = range.lowerBound * columns
                    te_log_softmax_rows(source + offset, target + offset, range.count, columns)
                }
            }
        }
        return (output, Cache(output: output))
    }

    /// Forward was y = x − logsumexp(x); so dx = dy − exp(y)·Σ dy, row by row.
    public static func backward(_ dOut: Tensor, _ cache: Cache) -> Tensor {
        let columns = cache.output.shape.last ?? 1
        let rows = cache.output.count / max(columns, 1)
        var dX = Tensor(uninitializedShape: dOut.shape)
        withPointers(reading: cache.output, dOut, writing: &dX) { read, dx in
            let (y, dy) = (read[0], read[1])
            parallelFor(rows, minimumChunk: 16) { _, range in
                let offset = range.lowerBound * columns
                te_log_softmax_rows_backward(y + offset, dy + offset, dx + offset, range.count, columns, 0)
            }
        }
        return dX
    }
}

/// y = log softmax(x) over the last axis.
public func logSoftmax(_ x: Variable) -> Variable {
    let (output, cache) = LogSoftmaxOp.forward(x.value)
    return Tape.record(.logSoftmax, output: output, inputs: [x]) { dOut in
        [LogSoftmaxOp.backward(dOut, cache)]
    }
}
