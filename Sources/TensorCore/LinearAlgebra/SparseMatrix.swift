// SparseMatrix: compressed sparse rows (CSR) of Float, with the two products the randomised SVD
// needs — M·X and Mᵀ·X for a dense X of a few hundred columns — split over threads by rows
// (Mᵀ·X uses the transpose, built once, so both products write disjoint rows: no locks).
// Reference: the CSR layout of every sparse library (scipy.sparse.csr_matrix).
// Not handled: in-place edits, other index types.

/// A rows × columns sparse matrix in CSR form.
public struct SparseMatrix: Sendable {
    public let rows: Int
    public let columns: Int
    /// Row r's entries are `columnIndices[rowStarts[r]..<rowStarts[r + 1]]`.
    public let rowStarts: [Int]
    public let columnIndices: [Int32]
    public let values: [Float]

    public init(rows: Int, columns: Int, rowStarts: [Int], columnIndices: [Int32], values: [Float]) {
        precondition(rowStarts.count == rows + 1 && columnIndices.count == values.count && rowStarts.last == values.count,
                     "SparseMatrix: inconsistent CSR arrays")
        self.rows = rows
        self.columns = columns
        self.rowStarts = rowStarts
        self.columnIndices = columnIndices
        self.values = values
    }

    /// The number of stored entries.
    public var nonZeroCount: Int { values.count }

    /// Mᵀ in CSR form (a counting sort of the entries by column).
    public func transposed() -> SparseMatrix {
        var starts = [Int](repeating: 0, count: columns + 1)
        for column in columnIndices { starts[Int(column) + 1] += 1 }
        for column in 0..<columns { starts[column + 1] += starts[column] }
        var next = starts
        var indices = [Int32](repeating: 0, count: values.count)
        var transposedValues = [Float](repeating: 0, count: values.count)
        for row in 0..<rows {
            for entry in rowStarts[row]..<rowStarts[row + 1] {
                let column = Int(columnIndices[entry])
                indices[next[column]] = Int32(row)
                transposedValues[next[column]] = values[entry]
                next[column] += 1
            }
        }
        return SparseMatrix(rows: columns, columns: rows, rowStarts: starts, columnIndices: indices, values: transposedValues)
    }

    /// Y = M·X for a dense X [columns, k] (row-major); Y is [rows, k].
    public func multiply(_ x: [Float], k: Int) -> [Float] {
        precondition(x.count == columns * k, "SparseMatrix.multiply: X has \(x.count) values, expected \(columns)×\(k)")
        var y = [Float](repeating: 0, count: rows * k)
        let (rowStarts, columnIndices) = (self.rowStarts, self.columnIndices)
        withPointers(reading: values, x, writing: &y) { read, yBase in
            let (entries, xBase) = (read[0], read[1])
            parallelFor(rows, minimumChunk: 256) { _, range in
                for row in range {
                    let target = yBase + row * k
                    for entry in rowStarts[row]..<rowStarts[row + 1] {
                        // y_row += a·x_column (one multiply and one add per element, as WordVectors' axpy)
                        let (a, source) = (entries[entry], xBase + Int(columnIndices[entry]) * k)
                        for i in 0..<k { target[i] += a * source[i] }
                    }
                }
            }
        }
        return y
    }
}
