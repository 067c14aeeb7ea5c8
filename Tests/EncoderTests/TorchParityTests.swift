// Parity with PyTorch: Hugging Face BertForMaskedLM in three configurations (layers, heads,
// widths, GELU and ReLU) and a plain-PyTorch pre-LN / sinusoidal variant, each with random
// weights, a padded batch and masked-LM labels (Scripts/make_encoder_fixtures.py).
// Every recorded activation must match to ≤ 1e-5 and the loss and every parameter's and
// activation's gradient to ≤ 1e-4, relative to the largest value of each tensor.
import Autograd
import Encoder
import Foundation
import NeuralNetwork
import Testing
import TensorCore
import TestSupport

@Suite struct TorchParityTests {
    static let cases = ["bert-2x16-h2", "bert-1x24-h4", "bert-3x12-h3-relu", "preln-sinusoidal-2x16-h4"]

    @Test(arguments: cases)
    func activationsLossAndGradientsMatchPyTorch(_ name: String) throws {
        let folder = fixtureURL("Encoder/\(name)")
        let config = try EncoderConfig.load(from: folder.appendingPathComponent("config.json"))
        let golden = try Safetensors.read(folder.appendingPathComponent("golden.safetensors"))
        let model = MaskedLanguageModel(config: config, seed: 99)
        try ModelWeights.load(into: model.encoder, from: golden, source: name)
        try ModelWeights.load(into: model.head, prefix: "head", from: golden, source: name)

        // The padded batch: real lengths from the mask, labels ≠ −100 mark the masked positions.
        let ids = golden.tensors["input.ids"]!, mask = golden.tensors["input.mask"]!, labels = golden.tensors["input.labels"]!
        let (b, t) = (ids.shape[0], ids.shape[1])
        let sequences = (0..<b).map { row in
            (0..<t).filter { mask[row, $0] == 1 }.map { Int(ids[row, $0]) }
        }
        let input = EncoderInput(sequences: sequences, padId: 0)
        #expect(input.mask == mask)
        let flatLabels = labels.scalars.map { Int($0) }
        let positions = flatLabels.indices.filter { flatLabels[$0] != -100 }

        let context = ForwardContext(tape: Tape(), isTraining: false, generator: SeededGenerator(seed: 0))
        let recorder = ActivationRecorder()
        context.recorder = recorder
        let (loss, _, _) = model.loss(input, maskedPositions: positions, targets: positions.map { flatLabels[$0] }, context: context)
        context.tape!.backward(from: loss)
        context.accumulateGradients()

        let lossError = abs(loss.value.scalar - golden.tensors["loss"]!.scalar) / abs(golden.tensors["loss"]!.scalar)
        #expect(lossError <= 1e-4, "\(name) loss: ours \(loss.value.scalar), torch \(golden.tensors["loss"]!.scalar)")

        var compared = 0
        for (key, variable) in recorder.values {
            guard let reference = golden.tensors[key] else { continue }
            let error = maxScaledError(variable.value.scalars, reference.scalars)
            #expect(variable.value.shape == reference.shape, "\(name) \(key): shape \(variable.value.shape) vs \(reference.shape)")
            #expect(error <= 1e-5, "\(name) \(key): \(error)")
            compared += 1
            if let gradient = context.tape!.gradient(of: variable), let referenceGradient = golden.tensors["\(key).grad"] {
                let gradientError = maxScaledError(gradient.scalars, referenceGradient.scalars)
                #expect(gradientError <= 1e-4, "\(name) \(key).grad: \(gradientError)")
                compared += 1
            }
        }
        // embeddings, and per layer: query, key, value, probabilities, context, hidden, output (+ grads)
        #expect(compared >= 2 + config.layerCount * 10, "\(name): only \(compared) tensors compared")

        // The key biases' gradients are exactly 0 in exact arithmetic (adding b to every key adds
        // q·b to a whole row of scores, which softmax ignores): torch's float64 gives ~1e-17, our
        // float32 ~1e-9. Errors are therefore scaled by at least 1e-3 of the largest parameter
        // gradient, so that rounding noise on a zero gradient is measured against a real scale.
        let entries = model.encoder.parameters() + model.head.parameters(prefix: "head")
        let globalScale = entries.compactMap { $0.parameter.gradient?.maxAbsolute() }.max() ?? 1
        for entry in entries {
            let hfName = CheckpointNames.huggingFaceName(for: entry.name)
            let stored = CheckpointNames.isHeadName(hfName) ? hfName : "bert." + hfName
            let reference = try #require(golden.tensors["\(stored).grad"], "\(name): no reference gradient for \(stored)")
            let gradient = try #require(entry.parameter.gradient, "\(name): no gradient for \(entry.name)")
            let error = maxScaledError(gradient.scalars, reference.scalars, floor: 1e-3 * globalScale)
            #expect(error <= 1e-4, "\(name) \(stored).grad: \(error)")
        }
    }
}
