// Linear layer: y = x·Wᵀ + b with W stored [out, in] as in PyTorch, so HF checkpoints load by
// renaming alone. Initialised as BERT does: W ~ N(0, σ²) truncated at ±2σ (σ = 0.02), b = 0.
// Inference may run in bfloat16 (`Layer.setInferencePrecision`); training always runs float32.
// Not handled: other initialisations (Kaiming/Xavier) — set `weight.value` directly if needed.

import Autograd
import TensorCore
import TextInput

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

    /// The kernel path of this layer's bfloat16 products at inference, or nil for float32. Set
    /// through `setInferencePrecision` on the model.
    public var bfloat16KernelPath: String? { bfloat16Setting.withLock { $0 } }
    fileprivate let bfloat16Setting = Locked<String?>(nil)

    public var summary: String { "Linear(\(inFeatures) → \(outFeatures)\(bias == nil ? ", no bias" : ""))" }

    /// x: [..., in] → [..., out].
    /// At inference (no tape, nothing tracked, no leaf bound by hand) the weight is used packed,
    /// with the same result; under bfloat16 (`setInferencePrecision`), packed in bfloat16.
    /// Training never uses bfloat16.
    public func callAsFunction(_ x: Variable, context: ForwardContext) -> Variable {
        if context.tape == nil, !x.isTracked, !context.isBound(weight), !(bias.map(context.isBound) ?? false) {
            if let path = bfloat16KernelPath {
                return Variable(constant: LinearOp.forward(x.value, packedBFloat16: weight.packedTransposedBFloat16(kernelPath: path),
                                                           bias: bias?.value))
            }
            return Variable(constant: LinearOp.forward(x.value, packedWeight: weight.packedTransposed(), bias: bias?.value))
        }
        return linear(x, weight: context.variable(for: weight), bias: bias.map { context.variable(for: $0) })
    }
}

extension Layer {
    /// Makes every Linear layer in this tree run its inference products in `precision`
    /// (float32: the default, exact; bfloat16: `gemmBFloat16` on the kernel path
    /// `BFloat16Support.kernelPath()` names). Call it when the model is loaded. Training passes (with a tape) stay float32 either way.
    /// - Throws: `PrecisionError` when bfloat16 cannot run here (it names the missing CPU features).
    public func setInferencePrecision(_ precision: Precision) throws {
        let path = precision == .bfloat16 ? try BFloat16Support.kernelPath() : nil
        func visit(_ layer: any Layer) {
            if let linear = layer as? Linear { linear.bfloat16Setting.withLock { $0 = path } }
            for (_, child) in layer.children { visit(child) }
        }
        visit(self)
    }
}
