// The first 10 optimiser steps of a tiny BERT masked-LM against PyTorch (HF BertForMaskedLM,
// float64) from Scripts/make_pretraining_fixtures.py: same initial weights, same masked batches
// (2 micro-batches per step, padded), clipping at 1.0, AdamW with no decay on biases and
// LayerNorm, HF's linear schedule with 3 warm-up steps. Our losses must match to ≤ 1e-4.
import Encoder
import Foundation
import NeuralNetwork
import Pretraining
import TensorCore
import TestSupport
import Testing

@Suite struct TorchTrainingParityTests {
    @Test func firstTenLossesMatchPyTorch() throws {
        let folder = fixtureURL("Pretraining/first-10-steps")
        let config = try EncoderConfig.load(from: folder.appendingPathComponent("config.json"))
        #expect(config == tinyTestConfig())
        let golden = try Safetensors.read(folder.appendingPathComponent("golden.safetensors"))
        let model = MaskedLanguageModel(config: config, seed: 123)
        try ModelWeights.load(into: model.encoder, from: golden, source: "golden.safetensors")
        try ModelWeights.load(into: model.head, prefix: "head", from: golden, source: "golden.safetensors")

        // HF's rule: no decay where the name has "bias" or "LayerNorm.weight"; our Parameter.decays agrees.
        for entry in model.parameters() {
            let name = CheckpointNames.huggingFaceName(for: entry.name)
            #expect(entry.parameter.decays == !(name.contains("bias") || name.contains("LayerNorm.weight")), "\(name)")
        }

        var configuration = PretrainingConfiguration()
        configuration.steps = Int(golden.metadata["steps"] ?? "") ?? 0
        configuration.peakLearningRate = Float(golden.metadata["peak_lr"] ?? "") ?? 0
        configuration.warmupSteps = Int(golden.metadata["warmup"] ?? "") ?? 0
        configuration.maxGradientNorm = Float(golden.metadata["clip"] ?? "")
        configuration.optimizer.weightDecay = Float(golden.metadata["weight_decay"] ?? "") ?? 0
        configuration.accumulationSteps = Int(golden.metadata["accumulation"] ?? "") ?? 0
        configuration.batchSize = 4
        #expect(configuration.steps == 10 && configuration.accumulationSteps == 2)

        // The trainer needs a corpus and a masker to exist; the steps below get the fixture's batches.
        let placeholder = PretrainingCorpus(train: PackedSequences(Array(repeating: [2, 5, 3], count: 4)), evaluation: PackedSequences(),
                                            lineCount: 4, heldOutLineCount: 0, byteCount: 0)
        let special = SpecialTokenIDs(classification: 2, separator: 3, mask: 4, padding: 0, others: [1])
        let masker = DynamicMasker(configuration: configuration.masking, special: special, vocabularySize: 128,
                                   wordStarts: Array(repeating: true, count: 128))
        let trainer = try PretrainingTrainer(model: model, corpus: placeholder, masker: masker, configuration: configuration)

        let ids = golden.tensors["batch.ids"]!, labels = golden.tensors["batch.labels"]!, lengths = golden.tensors["batch.lengths"]!
        let (steps, micro, batch, length) = (ids.shape[0], ids.shape[1], ids.shape[2], ids.shape[3])
        var losses: [Float] = [], norms: [Float] = [], rates: [Float] = []
        for step in 0..<steps {
            let batches = (0..<micro).map { k in
                let rows = (0..<batch).map { b in (0..<Int(lengths[step, k, b])).map { Int(ids[step, k, b, $0]) } }
                let input = EncoderInput(sequences: rows, padId: 0)
                var positions: [Int] = [], targets: [Int] = []
                for b in 0..<batch {
                    for t in 0..<length where labels[step, k, b, t] >= 0 {
                        positions.append(b * input.length + t)
                        targets.append(Int(labels[step, k, b, t]))
                    }
                }
                return MaskedBatch(input: input, maskedPositions: positions, targets: targets)
            }
            let report = try trainer.step(with: batches)
            losses.append(report.loss)
            norms.append(report.gradientNorm)
            rates.append(report.learningRate)
        }
        let torchLosses = golden.tensors["loss"]!.scalars
        for (index, (ours, theirs)) in zip(losses, torchLosses).enumerated() {
            #expect(abs(ours - theirs) <= 1e-4, "step \(index + 1): loss \(ours) vs PyTorch \(theirs)")
        }
        #expect(maxRelativeError(norms, golden.tensors["grad_norm"]!.scalars).error <= 1e-4, "grad norms \(norms)")
        #expect(maxRelativeError(rates, golden.tensors["lr"]!.scalars, floor: 1e-6).error <= 1e-6, "rates \(rates)")
        #expect(torchLosses.last! < torchLosses.first! - 0.1)  // the steps do move the loss
    }
}
