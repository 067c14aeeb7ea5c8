// Elementwise arithmetic on tensors of the same shape, the explicit broadcasts the encoder needs
// (a bias over the last axis), in-place accumulation for gradients, and axis reductions.
// Large tensors are split over threads by contiguous chunks; each element is written by one thread.
// Not handled: implicit broadcasting (shapes must match exactly), integer tensors.

import CKernels

/// Elements per chunk below which a loop runs on one thread.
let elementwiseMinimumChunk = 1 << 15

extension Tensor {
    // MARK: - Binary, same shape

    /// `self + other`, elementwise. Shapes must be equal. (The vector kernel `te_add`: the
    /// residual connections add whole activations, and a closure per element was 3% of a forward.)
    public func adding(_ other: Tensor) -> Tensor {
        binary(other, "adding") { a, b, output, count in te_add(count, a, b, output) }
    }

    /// `self − other`, elementwise. Shapes must be equal.
    public func subtracting(_ other: Tensor) -> Tensor {
        binary(other, "subtracting") { $0 - $1 }
    }

    /// `self ⊙ other` (Hadamard product). Shapes must be equal.
    public func multiplying(_ other: Tensor) -> Tensor {
        binary(other, "multiplying") { $0 * $1 }
    }

    /// `factor · self`.
    public func scaled(by factor: Float) -> Tensor {
        map { $0 * factor }
    }

    /// The transpose of a matrix: [rows, columns] → [columns, rows], result[j, i] = self[i, j].
    public func transposed() -> Tensor {
        precondition(rank == 2, "transposed: expected a matrix, got \(shape)")
        let (rows, columns) = (shape[0], shape[1])
        let values = scalars
        var result = [Float](repeating: 0, count: values.count)
        for row in 0..<rows { for column in 0..<columns { result[column * rows + row] = values[row * columns + column] } }
        return Tensor(shape: [columns, rows], scalars: result)
    }

    /// A new tensor with `transform` applied to every element (parallel over chunks).
    public func map(_ transform: (Float) -> Float) -> Tensor {
        var result = Tensor(uninitializedShape: shape)
        let total = count
        withUnsafeBufferPointer { source in
            result.withUnsafeMutableBufferPointer { target in
                let input = source.baseAddress!, output = target.baseAddress!
                parallelFor(total, minimumChunk: elementwiseMinimumChunk) { _, range in
                    for index in range { output[index] = transform(input[index]) }
                }
            }
        }
        return result
    }

    private func binary(_ other: Tensor, _ name: String, _ combine: (Float, Float) -> Float) -> Tensor {
        binary(other, name) { a, b, output, count in
            for index in 0..<count { output[index] = combine(a[index], b[index]) }
        }
    }

    /// The shared shape check, result and threading of the binary ops: `chunk` combines `count`
    /// elements of both operands into the result, one contiguous chunk per call.
    private func binary(
        _ other: Tensor, _ name: String,
        chunk: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void
    ) -> Tensor {
        precondition(shape == other.shape, "\(name): shapes differ: \(shape) and \(other.shape)")
        var result = Tensor(uninitializedShape: shape)
        let total = count
        withUnsafeBufferPointer { left in
            other.withUnsafeBufferPointer { right in
                result.withUnsafeMutableBufferPointer { target in
                    let a = left.baseAddress!, b = right.baseAddress!, output = target.baseAddress!
                    parallelFor(total, minimumChunk: elementwiseMinimumChunk) { _, range in
                        chunk(a + range.lowerBound, b + range.lowerBound, output + range.lowerBound, range.count)
                    }
                }
            }
        }
        return result
    }

    // MARK: - In place

    /// `self += other`, elementwise, copying shared storage first. Shapes must be equal.
    public mutating func add(_ other: Tensor) {
        add(other, scaledBy: 1)
    }

    /// `self += factor · other`, elementwise.
    public mutating func add(_ other: Tensor, scaledBy factor: Float) {
        precondition(shape == other.shape, "add: shapes differ: \(shape) and \(other.shape)")
        let total = count
        other.withUnsafeBufferPointer { source in
            withUnsafeMutableBufferPointer { target in
                let input = source.baseAddress!, output = target.baseAddress!
                parallelFor(total, minimumChunk: elementwiseMinimumChunk) { _, range in
                    if factor == 1 {   // the vector kernel; one rounded add per element, as the loop
                        te_add(range.count, output + range.lowerBound, input + range.lowerBound, output + range.lowerBound)
                    } else {
                        for index in range { output[index] += factor * input[index] }
                    }
                }
            }
        }
    }

    /// `self *= factor`, elementwise.
    public mutating func scale(by factor: Float) {
        let total = count
        withUnsafeMutableBufferPointer { target in
            let output = target.baseAddress!
            parallelFor(total, minimumChunk: elementwiseMinimumChunk) { _, range in
                for index in range { output[index] *= factor }
            }
        }
    }

    // MARK: - Broadcast over the last axis

    /// `self + bias` with `bias` [C] added to every row of `self` [..., C].
    public func addingBias(_ bias: Tensor) -> Tensor {
        var result = self
        result.addBias(bias)
        return result
    }

    /// `self += bias` over the last axis, in place.
    public mutating func addBias(_ bias: Tensor) {
        let columns = shape.last ?? 1
        precondition(bias.shape == [columns], "addBias: bias \(bias.shape) does not fit the last axis of \(shape)")
        let rows = count / max(columns, 1)
        bias.withUnsafeBufferPointer { biasValues in
            withUnsafeMutableBufferPointer { target in
                let b = biasValues.baseAddress!, output = target.baseAddress!
                parallelFor(rows, minimumChunk: max(1, elementwiseMinimumChunk / max(columns, 1))) { _, range in
                    for row in range {
                        let line = output + row * columns
                        for column in 0..<columns { line[column] += b[column] }
                    }
                }
            }
        }
    }

    // MARK: - Reductions

    /// The sum of all elements, accumulated in Double.
    public func sum() -> Float {
        withUnsafeBufferPointer { values in
            var total: Double = 0
            for value in values { total += Double(value) }
            return Float(total)
        }
    }

    /// Σ over one axis, which disappears from the shape: [a, n, b] summed over axis 1 → [a, b].
    public func sum(alongAxis axis: Int) -> Tensor {
        precondition(axis >= 0 && axis < rank, "sum(alongAxis: \(axis)): no such axis in \(shape)")
        let outer = shape[..<axis].reduce(1, *)
        let extent = shape[axis]
        let inner = shape[(axis + 1)...].reduce(1, *)
        var resultShape = shape
        resultShape.remove(at: axis)
        var result = Tensor(zeros: resultShape)
        withUnsafeBufferPointer { source in
            result.withUnsafeMutableBufferPointer { target in
                let input = source.baseAddress!, output = target.baseAddress!
                for o in 0..<outer {
                    let out = output + o * inner
                    for e in 0..<extent {
                        // out += line, vectorised: each column still sums its rows in order.
                        te_add(inner, out, input + (o * extent + e) * inner, out)
                    }
                }
            }
        }
        return result
    }

    /// The largest |element|, or 0 for an empty tensor.
    public func maxAbsolute() -> Float {
        withUnsafeBufferPointer { values in values.reduce(0) { max($0, abs($1)) } }
    }

    /// Whether every element is finite (no NaN, no ±∞).
    public var isFinite: Bool {
        withUnsafeBufferPointer { values in values.allSatisfy { $0.isFinite } }
    }
}
