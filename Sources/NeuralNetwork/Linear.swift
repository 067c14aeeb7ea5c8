// Linear layer: y = x·Wᵀ + b with W stored [out, in] as in PyTorch, so HF checkpoints load by
// renaming alone. Initialised as BERT does: W ~ N(0, σ²) truncated at ±2σ (σ = 0.02), b = 0.
// Not handled: other initialisations (Kaiming/Xavier) — set `weight.value` directly if needed.

import Autograd
import TensorCore

/// y = x·Wᵀ + b.
public final class Linear: Layer {
    public let weight: Parameter   // [out, in]
    public let bias: Parameter?    // [out]
    public var inFeatures: Int { weight.shape[1] }
    public var outFeatures: Int { weight.shape[0] }

    /// - Parameters:
    ///   - inFeatures, outFeatures: the map is ℝ^in → ℝ^out.
    ///   - bias: whether to add a bias.
    ///   - standardDeviation: σ of the truncated-normal weight initialisation.
    ///   - generator: where the initial weights come from.
    public init(inFeatures: Int, outFeatures: Int, bias: Bool = true, standardDeviation: Float = 0.02,
                generator: inout SeededGenerator) {
        weight = Parameter(generator.truncatedNormal(shape: [outFeatures, inFeatures], standardDeviation: standardDeviation))
        self.bias = bias ? Parameter(Tensor(zeros: [outFeatures]), decays: false) : nil
    }

    public var localParameters: [(name: String, parameter: Parameter)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    public var summary: String { "Linear(\(inFeatures) → \(outFeatures)\(bias == nil ? ", no bias" : ""))" }

    /// x: [..., in] → [..., out].
    /// At inference (no tape, nothing tracked, no leaf bound by hand) the weight is used packed,
    /// with the same result.
    public func callAsFunction(_ x: Variable, context: ForwardContext) -> Variable {
        if context.tape == nil, !x.isTracked, !context.isBound(weight), !(bias.map(context.isBound) ?? false) {
            return Variable(constant: LinearOp.forward(x.value, packedWeight: weight.packedTransposed(), bias: bias?.value))
        }
        return linear(x, weight: context.variable(for: weight), bias: bias.map { context.variable(for: $0) })
    }
}
