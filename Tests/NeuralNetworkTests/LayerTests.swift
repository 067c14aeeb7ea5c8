// Layers: dotted parameter names, counts, the printed tree; sinusoidal values by hand; and the
// finite-difference check of a whole encoder block (post-LN and pre-LN) for every parameter.
import Autograd
import Foundation
import NeuralNetwork
import Testing
import TensorCore

@Suite struct LayerTests {
    func block(preLayerNorm: Bool, activation: Activation = .gelu) -> EncoderBlock {
        var generator = SeededGenerator(seed: 1)
        return EncoderBlock(width: 8, headCount: 2, hiddenWidth: 12, activation: activation, layerNormEpsilon: 1e-5,
                            preLayerNorm: preLayerNorm, standardDeviation: 0.3, generator: &generator)
    }

    @Test func namesAndCounts() {
        let names = block(preLayerNorm: false).parameters(prefix: "layers.0").map(\.name)
        #expect(names.first == "layers.0.attention.query.weight")
        #expect(names.contains("layers.0.feedForward.intermediate.bias"))
        #expect(names.contains("layers.0.outputNorm.weight"))
        // 4 attention projections of 8·8 + 8, FFN 8·12 + 12 + 12·8 + 8, two LayerNorms of 2·8.
        #expect(block(preLayerNorm: false).parameterCount == 4 * 72 + 108 + 104 + 32)
        #expect(block(preLayerNorm: true).treeDescription().contains("attention: MultiHeadAttention(8 wide, 2 heads)  (288 parameters)"))
    }

    /// PE[p, 2i] = sin(p / 10000^(2i/C)), PE[p, 2i+1] = cos(…). With C = 4:
    /// p = 1: [sin 1, cos 1, sin 0.01, cos 0.01]; p = 0: [0, 1, 0, 1].
    @Test func sinusoidalByHand() {
        let table = SinusoidalPositions(maxPositions: 3, dimension: 4).table
        #expect(Array(table.scalars[0..<4]) == [0, 1, 0, 1])
        let row = Array(table.scalars[4..<8])
        let expected = [sin(1.0), cos(1.0), sin(0.01), cos(0.01)].map(Float.init)
        for (a, b) in zip(row, expected) { #expect(abs(a - b) < 1e-7) }
    }

    /// The whole block's backward against central differences, for its input and every parameter.
    @Test(arguments: [false, true])
    func blockGradientsMatchFiniteDifferences(preLayerNorm: Bool) {
        let layer = block(preLayerNorm: preLayerNorm)
        let named = layer.parameters()
        var generator = SeededGenerator(seed: 2)
        let x = generator.uniform(shape: [2, 3, 8], low: -1, high: 1)
        let mask = Tensor(shape: [2, 3], scalars: [1, 1, 1, 1, 1, 0])
        let originals = named.map { $0.parameter.value }
        // Every parameter is bound to the gradCheck leaf (or probed constant) holding its value.
        // The key bias's true gradient is exactly 0 (adding b to every key adds q·b to a whole
        // row of scores, which softmax ignores), so its numeric estimate is pure rounding noise
        // (~1e-5): errors are scaled by at least 0.05, the order of the other gradients.
        let results = gradCheck([x] + originals, tolerance: 1e-3, floor: 0.05) { inputs in
            let context = ForwardContext(tape: inputs[0].tape, isTraining: false, generator: SeededGenerator(seed: 0))
            // Bind each parameter to the gradCheck leaf that holds its value.
            return layer.forwardWithBoundParameters(inputs, named: named, mask: mask, context: context)
        }
        for result in results {
            let name = result.input == 0 ? "input" : named[result.input - 1].name
            #expect(result.passed, "\(preLayerNorm ? "pre" : "post")-LN \(name): \(result)")
        }
    }

    /// At inference a Linear layer multiplies by its packed weight: the same bits as the taped
    /// path, and a weight changed in place or reassigned is packed again, not served stale.
    @Test func inferenceLinearUsesAFreshPackOfTheWeight() {
        var generator = SeededGenerator(seed: 5)
        let layer = Linear(inFeatures: 40, outFeatures: 24, standardDeviation: 0.5, generator: &generator)
        layer.bias!.value = generator.uniform(shape: [24], low: -1, high: 1)
        let x = generator.uniform(shape: [3, 50, 40], low: -1, high: 1)
        func inference() -> [Float] { layer(Variable(constant: x), context: .inference()).value.scalars }
        func taped() -> [Float] { LinearOp.forward(x, weight: layer.weight.value, bias: layer.bias!.value).output.scalars }
        #expect(inference() == taped())
        layer.weight.value.withUnsafeMutableBufferPointer { values in
            for index in values.indices { values[index] *= 2 }
        }
        let doubled = inference()
        #expect(doubled == taped())
        layer.weight.value = Tensor(zeros: [24, 40])
        #expect(inference() == (0..<150).flatMap { _ in layer.bias!.value.scalars })
        #expect(doubled != inference())
    }
}

extension EncoderBlock {
    /// Runs the block with its parameters replaced by the given variables (gradCheck's leaves).
    func forwardWithBoundParameters(_ inputs: [Variable], named: [NamedParameter], mask: Tensor, context: ForwardContext) -> Variable {
        for (index, entry) in named.enumerated() { context.bind(entry.parameter, to: inputs[index + 1]) }
        return self(inputs[0], mask: mask, context: context, name: "block").output
    }
}
