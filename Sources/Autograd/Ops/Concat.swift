// Concatenation along one axis: out = [x₁ | x₂ | …] where every other axis matches. Backward
// slices the gradient back into the pieces, each getting the block it contributed.
// Not handled: concatenating zero tensors.

import TensorCore

/// Joining and splitting blocks along an axis.
public enum ConcatOp: Sendable {
    /// The pieces joined along `axis`.
    public static func forward(_ pieces: [Tensor], axis: Int) -> Tensor {
        precondition(!pieces.isEmpty, "concat: nothing to concatenate")
        let rank = pieces[0].rank
        checkShape(axis >= 0 && axis < rank, "concat", "axis \(axis) does not exist in \(pieces[0].shape)")
        for piece in pieces {
            var a = piece.shape, b = pieces[0].shape
            checkShape(a.count == rank, "concat", "ranks differ: \(piece.shape) and \(pieces[0].shape)")
            a[axis] = 0; b[axis] = 0
            checkShape(a == b, "concat", "shapes \(piece.shape) and \(pieces[0].shape) differ off axis \(axis)")
        }
        var outputShape = pieces[0].shape
        outputShape[axis] = pieces.map { $0.shape[axis] }.reduce(0, +)
        let outer = outputShape[..<axis].reduce(1, *)
        let inner = outputShape[(axis + 1)...].reduce(1, *)
        let outputRow = outputShape[axis] * inner
        var output = Tensor(uninitializedShape: outputShape)
        output.withUnsafeMutableBufferPointer { target in
            var offset = 0
            for piece in pieces {
                let block = piece.shape[axis] * inner
                piece.withUnsafeBufferPointer { source in
                    for o in 0..<outer {
                        (target.baseAddress! + o * outputRow + offset).update(from: source.baseAddress! + o * block, count: block)
                    }
                }
                offset += block
            }
        }
        return output
    }

    /// The sub-block `range` of `x` along `axis`.
    public static func slice(_ x: Tensor, axis: Int, range: Range<Int>) -> Tensor {
        checkShape(axis >= 0 && axis < x.rank && range.lowerBound >= 0 && range.upperBound <= x.shape[axis],
                   "slice", "range \(range) on axis \(axis) is outside \(x.shape)")
        var outputShape = x.shape
        outputShape[axis] = range.count
        let outer = x.shape[..<axis].reduce(1, *)
        let inner = x.shape[(axis + 1)...].reduce(1, *)
        let inputRow = x.shape[axis] * inner, block = range.count * inner
        var output = Tensor(uninitializedShape: outputShape)
        x.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                for o in 0..<outer {
                    (target.baseAddress! + o * block).update(from: source.baseAddress! + o * inputRow + range.lowerBound * inner, count: block)
                }
            }
        }
        return output
    }
}

/// The pieces joined along `axis`.
public func concat(_ pieces: [Variable], axis: Int) -> Variable {
    let output = ConcatOp.forward(pieces.map(\.value), axis: axis)
    let extents = pieces.map { $0.shape[axis] }
    return Tape.record(.concat, output: output, inputs: pieces) { dOut in
        // Forward stacked the pieces in order along `axis`; each takes its block of dOut back.
        var start = 0
        return extents.map { extent in
            defer { start += extent }
            return ConcatOp.slice(dOut, axis: axis, range: start..<(start + extent))
        }
    }
}
