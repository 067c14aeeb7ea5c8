// Slicing a contiguous range along one axis: out = x[…, a..<b, …]. Backward puts the gradient
// back into a zero tensor of x's shape (positions that were not taken get zero).
// Not handled: steps other than 1, negative indices.

import TensorCore

/// x[…, range, …] along `axis`.
public func slice(_ x: Variable, axis: Int, range: Range<Int>) -> Variable {
    let inputShape = x.shape
    let output = ConcatOp.slice(x.value, axis: axis, range: range)
    return Tape.record(.slice, output: output, inputs: [x]) { dOut in
        // Forward copied block `range`; so dx is dOut in that block and 0 elsewhere.
        var before = inputShape, after = inputShape
        before[axis] = range.lowerBound
        after[axis] = inputShape[axis] - range.upperBound
        var blocks: [Tensor] = []
        if range.lowerBound > 0 { blocks.append(Tensor(zeros: before)) }
        blocks.append(dOut)
        if after[axis] > 0 { blocks.append(Tensor(zeros: after)) }
        return [blocks.count == 1 ? dOut : ConcatOp.forward(blocks, axis: axis)]
    }
}
