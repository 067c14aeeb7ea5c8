// Tier (c): forward values and gradients against PyTorch (float64 reference stored as float32),
// from Scripts/make_autograd_fixtures.py. "Relative" here is the largest error divided by the
// largest magnitude in the reference tensor (values cross zero, so per-element ratios mislead).
// Acceptance: forward ≤ 1e-5, gradients ≤ 1e-4.
import Autograd
import Foundation
import Testing
import TensorCore
import TestSupport

@Suite struct TorchFixtureTests {
    static let file = try! Safetensors.read(fixtureURL("Autograd/ops.safetensors"))

    func tensor(_ name: String) -> Tensor { Self.file.tensors[name]! }

    /// Runs `function` on the fixture's inputs with the fixture's upstream gradient and compares.
    func check(_ op: String, inputs: [String], _ function: ([Variable]) -> Variable) {
        let tape = Tape()
        let leaves = inputs.map { tape.variable(tensor("\(op).\($0)")) }
        let output = function(leaves)
        let forwardError = maxScaledError(output.value.scalars, tensor("\(op).out").scalars)
        #expect(forwardError <= 1e-5, "\(op) forward: \(forwardError)")
        tape.backward(from: output, seed: tensor("\(op).dout").reshaped(output.shape))
        for (name, leaf) in zip(inputs, leaves) {
            let gradient = tape.gradient(of: leaf)!
            let error = maxScaledError(gradient.scalars, tensor("\(op).grad.\(name)").scalars)
            #expect(error <= 1e-4, "\(op) gradient of \(name): \(error)")
        }
    }

    @Test func linearMatchesTorch() {
        check("linear", inputs: ["x", "weight", "bias"]) { linear($0[0], weight: $0[1], bias: $0[2]) }
    }

    @Test func layerNormMatchesTorch() {
        check("layernorm", inputs: ["x", "gamma", "beta"]) { layerNorm($0[0], gamma: $0[1], beta: $0[2], epsilon: 1e-12) }
    }

    @Test func softmaxMatchesTorch() {
        check("softmax", inputs: ["x"]) { softmax($0[0]) }
    }

    @Test func geluMatchesTorch() {
        check("gelu", inputs: ["x"]) { gelu($0[0]) }
        check("gelu_tanh", inputs: ["x"]) { gelu($0[0], approximation: .tanh) }
    }

    @Test func attentionWithPaddingMaskMatchesTorch() {
        let mask = tensor("attention.mask")
        check("attention", inputs: ["query", "key", "value"]) {
            scaledDotProductAttention(query: $0[0], key: $0[1], value: $0[2], heads: 4, keyMask: mask).output
        }
    }

    @Test func crossEntropyMatchesTorch() {
        let targets = tensor("cross_entropy.targets").scalars.map { Int($0) }
        check("cross_entropy", inputs: ["logits"]) { crossEntropy(logits: $0[0], targets: targets) }
    }
}
