// Position information added to token embeddings, in the two forms the encoder offers:
//  - sinusoidal (Vaswani et al., 2017, §3.5): PE[p, 2i] = sin(p / 10000^(2i/C)),
//    PE[p, 2i+1] = cos(p / 10000^(2i/C)); fixed, no parameters, defined for any length;
//  - learned (BERT): a [maxPositions, C] table trained like any embedding.
// Both return [T, C] rows for positions 0..<T; the caller adds them to every sequence.
// Not handled: relative or rotary positions (a typed error when a checkpoint asks for them).

import Autograd
import Foundation
import TensorCore

/// The fixed sin/cos table.
public final class SinusoidalPositions: Layer {
    /// [maxPositions, C], computed once.
    public let table: Tensor

    public init(maxPositions: Int, dimension: Int) {
        var table = Tensor(zeros: [maxPositions, dimension])
        table.withUnsafeMutableBufferPointer { values in
            for position in 0..<maxPositions {
                for pair in 0..<((dimension + 1) / 2) {
                    // angle = p / 10000^(2i/C), computed in Double for accuracy at large p
                    let angle = Double(position) / pow(10000, Double(2 * pair) / Double(dimension))
                    values[position * dimension + 2 * pair] = Float(sin(angle))
                    if 2 * pair + 1 < dimension { values[position * dimension + 2 * pair + 1] = Float(cos(angle)) }
                }
            }
        }
        self.table = table
    }

    public var summary: String { "SinusoidalPositions(\(table.shape[0]) × \(table.shape[1]), fixed)" }

    /// Rows 0..<length of the table, [T, C], as a constant.
    public func callAsFunction(length: Int) -> Variable {
        Variable(constant: ConcatOp.slice(table, axis: 0, range: 0..<length))
    }
}

/// Learned absolute positions (BERT's position_embeddings).
public final class LearnedPositions: Layer {
    public let embedding: Embedding

    public init(maxPositions: Int, dimension: Int, standardDeviation: Float = 0.02, generator: inout SeededGenerator) {
        embedding = Embedding(count: maxPositions, dimension: dimension, standardDeviation: standardDeviation, generator: &generator)
    }

    public var localParameters: [(name: String, parameter: Parameter)] { [("weight", embedding.weight)] }
    public var summary: String { "LearnedPositions(\(embedding.count) × \(embedding.dimension))" }

    /// Rows 0..<length, [T, C].
    public func callAsFunction(length: Int, context: ForwardContext) -> Variable {
        Autograd.embedding(context.variable(for: embedding.weight), indices: Array(0..<length))
    }
}
