// Position-wise feed-forward block (Vaswani et al., 2017, §3.3): Linear(C → F), an activation
// (GELU as in BERT, or ReLU as in the original Transformer), Linear(F → C), applied to every
// token independently. Dropout on the output is applied by the block around it.
// Not handled: gated variants (GEGLU, SwiGLU).

import Autograd
import TensorCore

/// The activation between the two projections.
public enum Activation: String, Codable, Sendable {
    /// x·Φ(x) with the exact erf (HF "gelu").
    case gelu
    /// The tanh approximation (HF "gelu_new" / "gelu_pytorch_tanh").
    case geluTanh
    case relu
}

/// Linear → activation → Linear.
public final class FeedForward: Layer {
    public let intermediate: Linear  // C → F
    public let output: Linear        // F → C
    public let activation: Activation

    public init(width: Int, hiddenWidth: Int, activation: Activation, standardDeviation: Float = 0.02,
                generator: inout SeededGenerator) {
        intermediate = Linear(inFeatures: width, outFeatures: hiddenWidth, standardDeviation: standardDeviation, generator: &generator)
        output = Linear(inFeatures: hiddenWidth, outFeatures: width, standardDeviation: standardDeviation, generator: &generator)
        self.activation = activation
    }

    public var children: [(name: String, layer: any Layer)] { [("intermediate", intermediate), ("output", output)] }
    public var summary: String { "FeedForward(\(intermediate.inFeatures) → \(intermediate.outFeatures) → \(output.outFeatures), \(activation.rawValue))" }

    /// x: [B, T, C] → [B, T, C].
    public func callAsFunction(_ x: Variable, context: ForwardContext, name: String = "feedForward") -> Variable {
        let preActivation = intermediate(x, context: context)  // [B, T, F]
        let hidden: Variable
        switch activation {
        case .gelu: hidden = gelu(preActivation)
        case .geluTanh: hidden = gelu(preActivation, approximation: .tanh)
        case .relu: hidden = relu(preActivation)
        }
        context.record("\(name).hidden", hidden)
        return output(hidden, context: context)                // [B, T, C]
    }
}
