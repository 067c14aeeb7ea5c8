// Shape-labelled matrices for AttentionInternals: `TokenVectors` (one row per token, e.g. a head's
// queries [T, D]) and `TokenPairMatrix` (query × key, e.g. scores or probabilities [T, T]), with
// row/column accessors that say which axis is which, so a teacher's code reads like the maths.
// Not handled: batches (one text at a time), arithmetic on them (convert to Tensor for that).

import Encoder
import TensorCore

// MARK: - Shape-labelled matrices

/// A [T, D] matrix with one row per token: queries, keys, values or a head's output.
public struct TokenVectors: Equatable, Sendable {
    /// T, the number of tokens.
    public let rows: Int
    /// D, the per-head width.
    public let columns: Int
    /// Row-major values, rows × columns.
    public let values: [Float]

    public init(rows: Int, columns: Int, values: [Float]) {
        precondition(values.count == rows * columns, "TokenVectors: \(values.count) values for [\(rows), \(columns)]")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// Feature `feature` of token `token`.
    public subscript(token token: Int, feature feature: Int) -> Float {
        precondition(token >= 0 && token < rows && feature >= 0 && feature < columns,
                     "TokenVectors[token: \(token), feature: \(feature)] is outside [\(rows), \(columns)]")
        return values[token * columns + feature]
    }

    /// The D features of one token.
    public func vector(token: Int) -> [Float] { Array(values[(token * columns)..<((token + 1) * columns)]) }

    /// The same values as a [T, D] tensor.
    public var tensor: Tensor { Tensor(shape: [rows, columns], scalars: values) }
}

/// A [T, T] matrix indexed by (query, key): scores, mask or probabilities of one head.
public struct TokenPairMatrix: Equatable, Sendable {
    /// T queries (the tokens that attend).
    public let rows: Int
    /// T keys (the tokens attended to).
    public let columns: Int
    /// Row-major values, rows × columns.
    public let values: [Float]

    public init(rows: Int, columns: Int, values: [Float]) {
        precondition(values.count == rows * columns, "TokenPairMatrix: \(values.count) values for [\(rows), \(columns)]")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// The entry for query token `query` and key token `key`.
    public subscript(query query: Int, key key: Int) -> Float {
        precondition(query >= 0 && query < rows && key >= 0 && key < columns,
                     "TokenPairMatrix[query: \(query), key: \(key)] is outside [\(rows), \(columns)]")
        return values[query * columns + key]
    }

    /// One query's row over all keys.
    public func row(query: Int) -> [Float] { Array(values[(query * columns)..<((query + 1) * columns)]) }

    /// The same values as a [T, T] tensor.
    public var tensor: Tensor { Tensor(shape: [rows, columns], scalars: values) }
}

