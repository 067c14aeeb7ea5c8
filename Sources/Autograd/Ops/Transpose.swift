// Transpose of two axes: out[…, j, …, i, …] = x[…, i, …, j, …] (a copy into row-major order).
// Backward is the same transpose applied to the gradient (a swap is its own inverse).
// Not handled: general permutations of more than two axes (compose swaps).

import TensorCore

/// Swapping two axes of a tensor.
public enum TransposeOp: Sendable {
    /// x with axes `first` and `second` exchanged, copied into contiguous order.
    public static func forward(_ x: Tensor, _ first: Int, _ second: Int) -> Tensor {
        checkShape(first >= 0 && second >= 0 && first < x.rank && second < x.rank, "transpose",
                   "axes \(first), \(second) do not exist in \(x.shape)")
        if first == second { return x }
        var outputShape = x.shape
        outputShape.swapAt(first, second)
        // Input strides, then the output walks its own index and reads the swapped position.
        var inputStrides = [Int](repeating: 1, count: x.rank)
        for axis in stride(from: x.rank - 2, through: 0, by: -1) { inputStrides[axis] = inputStrides[axis + 1] * x.shape[axis + 1] }
        var readStrides = inputStrides
        readStrides.swapAt(first, second)
        var output = Tensor(uninitializedShape: outputShape)
        let rank = x.rank
        let innerExtent = outputShape[rank - 1], innerStride = readStrides[rank - 1]
        let outerCount = x.count / max(innerExtent, 1)
        x.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                let input = source.baseAddress!, out = target.baseAddress!
                parallelFor(outerCount, minimumChunk: 256) { _, range in
                    for outer in range {
                        // Decompose the outer index over axes 0..<rank-1 of the output.
                        var remainder = outer, offset = 0
                        for axis in stride(from: rank - 2, through: 0, by: -1) {
                            offset += (remainder % outputShape[axis]) * readStrides[axis]
                            remainder /= outputShape[axis]
                        }
                        let line = out + outer * innerExtent
                        for inner in 0..<innerExtent { line[inner] = input[offset + inner * innerStride] }
                    }
                }
            }
        }
        return output
    }
}

/// x with axes `first` and `second` swapped.
public func transpose(_ x: Variable, _ first: Int, _ second: Int) -> Variable {
    let output = TransposeOp.forward(x.value, first, second)
    return Tape.record(.transpose, output: output, inputs: [x]) { dOut in
        [TransposeOp.forward(dOut, first, second)]
    }
}
