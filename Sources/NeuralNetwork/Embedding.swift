// Embedding table: row i is the vector of id i. Lookup is a row gather whose backward adds
// into the rows that were read. Initialised N(0, σ²) truncated at ±2σ (σ = 0.02), as BERT.
// Not handled: padding_idx gradient masking (HF zeroes the pad row only at initialisation,
// which `zeroRow` does; its gradient is not masked, as in HF BERT).

import Autograd
import TensorCore

/// A [count, dimension] table of learned vectors.
public final class Embedding: Layer {
    public let weight: Parameter  // [count, dimension]
    public var count: Int { weight.shape[0] }
    public var dimension: Int { weight.shape[1] }

    public init(count: Int, dimension: Int, standardDeviation: Float = 0.02, generator: inout SeededGenerator) {
        weight = Parameter(generator.truncatedNormal(shape: [count, dimension], standardDeviation: standardDeviation))
    }

    public var localParameters: [(name: String, parameter: Parameter)] { [("weight", weight)] }
    public var summary: String { "Embedding(\(count) × \(dimension))" }

    /// Sets row `index` to zeros (HF BERT's padding row at initialisation).
    public func zeroRow(_ index: Int) {
        precondition(index >= 0 && index < count, "zeroRow: \(index) outside 0..<\(count)")
        let width = dimension  // read before the mutable access below begins
        weight.updateValue { value in
            value.withUnsafeMutableBufferPointer { values in
                for column in 0..<width { values[index * width + column] = 0 }
            }
        }
    }

    /// ids: B·T indices (row-major [B, T]) → [B, T, dimension].
    public func callAsFunction(_ ids: [Int], batch: Int, length: Int, context: ForwardContext) -> Variable {
        precondition(ids.count == batch * length, "Embedding: \(ids.count) ids for a [\(batch), \(length)] batch")
        let rows = embedding(context.variable(for: weight), indices: ids)  // [B·T, C]
        return reshape(rows, [batch, length, dimension])                   // [B, T, C]
    }
}
