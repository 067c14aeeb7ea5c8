// A Linear layer under `setInferencePrecision(.bfloat16)`: inference matches the bfloat16
// reference (W and x rounded, float32 sums, plus the bias), a training pass (with a tape) stays
// float32, setting float32 again restores the exact float32 result, and the precision reaches
// every Linear layer of a tree. On a CPU without a bf16 unit, asking for it throws.
// Not handled: the kernels' own accuracy (TensorCoreTests/BFloat16Tests.swift).
import Autograd
import CKernels
import Testing
import TensorCore
import NeuralNetwork

private let hasBFloat16 = KernelPath.available.contains { te_kernel_path_has_bf16($0) == 1 }

@Suite struct LinearBFloat16Tests {
    @Test(.enabled(if: hasBFloat16)) func inferenceRunsTheBFloat16Product() throws {
        var generator = SeededGenerator(seed: 3)
        let layer = Linear(inFeatures: 37, outFeatures: 45, generator: &generator)
        layer.bias!.value = generator.uniform(shape: [45], low: -1, high: 1)
        let x = generator.uniform(shape: [2, 3, 37], low: -3, high: 3)
        let single = layer(Variable(constant: x), context: .inference()).value
        try layer.setInferencePrecision(.bfloat16)
        let half = layer(Variable(constant: x), context: .inference()).value
        #expect(half.shape == [2, 3, 45])
        let reference = gemmBFloat16Reference(x.reshaped([6, 37]), transposedWeight: layer.weight.value, bias: layer.bias!.value)
        #expect(zip(half.scalars, reference.scalars).allSatisfy { abs($0 - $1) <= 1e-5 * max(1, abs($1)) })
        #expect(half.scalars != single.scalars)  // rounding shows
        // A training pass never runs bfloat16.
        let tape = ForwardContext.training(generator: SeededGenerator(seed: 0))
        #expect(layer(Variable(constant: x), context: tape).value.scalars == single.scalars)
        try layer.setInferencePrecision(.float32)
        #expect(layer(Variable(constant: x), context: .inference()).value.scalars == single.scalars)
    }

    /// The setting walks the whole tree: both Linear layers of a feed-forward block.
    @Test(.enabled(if: hasBFloat16)) func precisionReachesEveryLinearLayer() throws {
        var generator = SeededGenerator(seed: 4)
        let block = FeedForward(width: 8, hiddenWidth: 16, activation: .gelu, generator: &generator)
        try block.setInferencePrecision(.bfloat16)
        let linears = [block.intermediate, block.output]
        #expect(linears.allSatisfy { $0.bfloat16KernelPath != nil })
        try block.setInferencePrecision(.float32)
        #expect(linears.allSatisfy { $0.bfloat16KernelPath == nil })
    }

    @Test(.enabled(if: !hasBFloat16)) func withoutAUnitBFloat16Throws() {
        var generator = SeededGenerator(seed: 5)
        let layer = Linear(inFeatures: 4, outFeatures: 4, generator: &generator)
        #expect(throws: PrecisionError.self) { try layer.setInferencePrecision(.bfloat16) }
    }
}
