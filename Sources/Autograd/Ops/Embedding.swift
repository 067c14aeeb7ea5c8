// Embedding lookup = gathering rows of a table: out[i] = table[ids[i]]. Backward scatters the
// rows back and adds: dTable[ids[i]] += dOut[i] (a token that appears twice gets both gradients).
// The same op selects the masked positions of a batch for the masked-LM head.
// Not handled: sparse gradients (dTable is dense [V, C]); max-norm renormalisation.

import TensorCore

/// Row gather with scatter-add backward.
public enum EmbeddingOp: Sendable {
    /// The backward needs which rows were read, and the table's shape.
    public struct Cache: Sendable {
        public let indices: [Int]
        public let tableShape: [Int]
    }

    /// table: [V, C], indices: N values in 0..<V → [N, C] (reshape afterwards for [B, T, C]).
    public static func forward(table: Tensor, indices: [Int]) -> (output: Tensor, cache: Cache) {
        checkShape(table.rank == 2, "embedding", "the table must be [rows, columns], got \(table.shape)")
        let (rows, columns) = (table.shape[0], table.shape[1])
        var output = Tensor(uninitializedShape: [indices.count, columns])
        table.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                for (position, index) in indices.enumerated() {
                    precondition(index >= 0 && index < rows, "embedding: index \(index) outside 0..<\(rows)")
                    (target.baseAddress! + position * columns).update(from: source.baseAddress! + index * columns, count: columns)
                }
            }
        }
        return (output, Cache(indices: indices, tableShape: table.shape))
    }

    /// Forward was out[i] = table[ids[i]]; so dTable[ids[i]] += dOut[i], every other row 0.
    public static func backward(_ dOut: Tensor, _ cache: Cache) -> Tensor {
        let columns = cache.tableShape[1]
        var dTable = Tensor(zeros: cache.tableShape)
        dOut.withUnsafeBufferPointer { source in
            dTable.withUnsafeMutableBufferPointer { target in
                for (position, index) in cache.indices.enumerated() {
                    let from = source.baseAddress! + position * columns, to = target.baseAddress! + index * columns
                    for column in 0..<columns { to[column] += from[column] }
                }
            }
        }
        return dTable
    }
}

/// Rows `indices` of `table` [V, C], as [indices.count, C].
public func embedding(_ table: Variable, indices: [Int]) -> Variable {
    let (output, cache) = EmbeddingOp.forward(table: table.value, indices: indices)
    return Tape.record(.embedding, output: output, inputs: [table]) { dOut in
        [EmbeddingOp.backward(dOut, cache)]
    }
}

/// Rows `indices` of x [N, C] (the same gather, named for selecting positions of a batch; the
/// tape records it as `gatherRows`).
public func gatherRows(_ x: Variable, indices: [Int]) -> Variable {
    let (output, cache) = EmbeddingOp.forward(table: x.value, indices: indices)
    return Tape.record(.gatherRows, output: output, inputs: [x]) { dOut in
        [EmbeddingOp.backward(dOut, cache)]
    }
}
