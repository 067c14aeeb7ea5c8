// LayerNorm layer: γ ⊙ (x − μ)/√(σ² + ε) + β over the last axis, γ = 1 and β = 0 at start.
// The op and its backward are in Sources/Autograd/Ops/LayerNorm.swift.
// Not handled: elementwise_affine = false (γ and β always exist, as in BERT).

import Autograd
import TensorCore

/// Layer normalisation over the last axis with learned scale γ and shift β.
public final class LayerNorm: Layer {
    public let gamma: Parameter  // [C], HF: "weight"
    public let beta: Parameter   // [C], HF: "bias"
    public let epsilon: Float

    public init(dimension: Int, epsilon: Float) {
        gamma = Parameter(Tensor(shape: [dimension], repeating: 1), decays: false)
        beta = Parameter(Tensor(zeros: [dimension]), decays: false)
        self.epsilon = epsilon
    }

    public var localParameters: [(name: String, parameter: Parameter)] { [("weight", gamma), ("bias", beta)] }
    public var summary: String { "LayerNorm(\(gamma.shape[0]), ε = \(epsilon))" }

    public func callAsFunction(_ x: Variable, context: ForwardContext) -> Variable {
        layerNorm(x, gamma: context.variable(for: gamma), beta: context.variable(for: beta), epsilon: epsilon)
    }
}
