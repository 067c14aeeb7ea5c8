// The encoder's contracts: padding never changes a real token's output; a saved folder loads to
// the same outputs; the masked-LM loss's gradient matches central differences for a sample of
// parameters; bad configs, checkpoints and inputs throw errors that name the field or tensor.
import Autograd
import Encoder
import Foundation
import NeuralNetwork
import Testing
import TensorCore
import TestSupport

@Suite struct EncoderTests {
    static func tinyConfig(preLayerNorm: Bool = false, positions: PositionEmbeddingType = .learned) -> EncoderConfig {
        EncoderConfig(vocabularySize: 40, width: 16, layerCount: 2, headCount: 4, intermediateSize: 24, maxPositions: 12,
                      hiddenDropout: 0, attentionDropout: 0, initializerRange: 0.2,
                      positionEmbeddingType: positions, preLayerNorm: preLayerNorm)
    }

    func hidden(_ encoder: TransformerEncoder, _ sequences: [[Int]]) -> Tensor {
        encoder(EncoderInput(sequences: sequences, padId: 0), context: .inference()).hidden.value
    }

    @Test(arguments: [false, true])
    func paddingDoesNotChangeRealTokens(preLayerNorm: Bool) {
        let encoder = TransformerEncoder(config: Self.tinyConfig(preLayerNorm: preLayerNorm, positions: preLayerNorm ? .sinusoidal : .learned), seed: 3)
        let text = [2, 17, 5, 9, 3]
        let alone = hidden(encoder, [text])                                // [1, 5, 16]
        let batched = hidden(encoder, [[2, 8, 8, 8, 8, 8, 8, 3], text, [2, 3]])  // [3, 8, 16]
        let row = Array(batched.scalars[(8 * 16)..<(8 * 16 + 5 * 16)])
        #expect(maxScaledError(row, alone.scalars) < 1e-6)
        // Pooled vectors agree too (mean over real tokens only).
        let pooledAlone = Pooling(.mean)(Variable(constant: alone), mask: Tensor(shape: [1, 5], repeating: 1)).value
        let mask = EncoderInput(sequences: [[2, 8, 8, 8, 8, 8, 8, 3], text, [2, 3]], padId: 0).mask
        let pooledBatch = Pooling(.mean)(Variable(constant: batched), mask: mask).value
        #expect(maxScaledError(Array(pooledBatch.scalars[16..<32]), pooledAlone.scalars) < 1e-6)
    }

    @Test func saveThenLoadGivesTheSameOutputs() throws {
        let model = MaskedLanguageModel(config: Self.tinyConfig(preLayerNorm: true, positions: .sinusoidal), seed: 5)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("te-model-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: folder) }
        try ModelFolder.save(model, pooling: Pooling(.max, normalize: true), tokenizerJSON: nil, to: folder)
        let loaded = try ModelFolder.load(folder)
        #expect(loaded.config == model.encoder.config)
        #expect(loaded.hasTrainedHead)
        #expect(loaded.pooling == Pooling(.max, normalize: true))
        let sequences = [[2, 7, 9, 3], [2, 3]]
        #expect(hidden(loaded.model.encoder, sequences) == hidden(model.encoder, sequences))
        // Saving again over the same folder replaces it atomically and leaves no temporary folders.
        try ModelFolder.save(loaded.model, pooling: Pooling(.mean), tokenizerJSON: Data("{}".utf8), to: folder)
        #expect(try ModelFolder.load(folder).pooling == Pooling(.mean))
        let siblings = try FileManager.default.contentsOfDirectory(atPath: folder.deletingLastPathComponent().path)
        #expect(!siblings.contains { $0.hasPrefix(".\(folder.lastPathComponent).") })
        // F16 storage loads within F16 rounding (11 significant bits).
        try ModelFolder.save(model, pooling: Pooling(.mean), tokenizerJSON: nil, to: folder, dtype: .float16)
        let half = try ModelFolder.load(folder)
        #expect(maxScaledError(hidden(half.model.encoder, sequences).scalars, hidden(model.encoder, sequences).scalars) < 5e-3)
    }

    /// ∂L/∂θ for a sample of parameters (one per kind) against central differences on the full
    /// masked-LM loss, including the tied token embedding (input table and decoder at once).
    @Test func maskedLMLossGradientMatchesFiniteDifferences() {
        let model = MaskedLanguageModel(config: Self.tinyConfig(), seed: 7)
        let input = EncoderInput(sequences: [[2, 11, 4, 20, 3], [2, 4, 3]], padId: 0)
        let positions = [2, 6], targets = [13, 29]
        let sample = model.parameters().filter {
            ["encoder.embeddings.token.weight", "encoder.layers.0.attention.query.weight", "encoder.layers.1.feedForward.output.bias",
             "encoder.layers.1.outputNorm.weight", "head.transform.weight", "head.bias"].contains($0.name)
        }
        #expect(sample.count == 6)
        let results = gradCheck(sample.map { $0.parameter.value }, epsilon: 1e-2, tolerance: 2e-3, floor: 1e-2) { inputs in
            let context = ForwardContext(tape: inputs[0].tape, isTraining: false, generator: SeededGenerator(seed: 0))
            for (entry, variable) in zip(sample, inputs) { context.bind(entry.parameter, to: variable) }
            return model.loss(input, maskedPositions: positions, targets: targets, context: context).loss
        }
        for (entry, result) in zip(sample, results) { #expect(result.passed, "\(entry.name): \(result)") }
    }

    @Test func headsMustDivideTheWidth() {
        let json: [String: Any] = ["vocab_size": 10, "hidden_size": 10, "num_hidden_layers": 1, "num_attention_heads": 3, "intermediate_size": 8]
        #expect(throws: FileError.self) { try EncoderConfig.fromJSON(json, file: "config.json") }
        do { _ = try EncoderConfig.fromJSON(json, file: "config.json") } catch let error as FileError {
            #expect(error.field == "num_attention_heads")
        } catch { Issue.record("\(error)") }
        var relative = json
        relative["num_attention_heads"] = 2
        relative["position_embedding_type"] = "relative_key"
        do { _ = try EncoderConfig.fromJSON(relative, file: "config.json") } catch let error as FileError {
            #expect(error.field == "position_embedding_type" && error.kind == .unsupported)
        } catch { Issue.record("\(error)") }
        relative["position_embedding_type"] = "absolute"
        relative["hidden_act"] = "swish"
        do { _ = try EncoderConfig.fromJSON(relative, file: "config.json") } catch let error as FileError {
            #expect(error.field == "hidden_act")
        } catch { Issue.record("\(error)") }
    }

    @Test func missingOrMisShapedTensorIsNamed() throws {
        let model = MaskedLanguageModel(config: Self.tinyConfig(), seed: 1)
        var tensors = ModelWeights.tensors(of: model)
        let file = try Safetensors.parse(Safetensors.serialize(tensors.filter { !$0.name.contains("layer.1.output.dense.weight") }), file: "m.safetensors")
        do {
            try ModelWeights.load(into: model.encoder, from: file, source: "m.safetensors")
            Issue.record("expected a missing-tensor error")
        } catch let error as FileError {
            #expect(error.field == "encoder.layer.1.output.dense.weight" && error.kind == .mismatch)
        }
        let index = tensors.firstIndex { $0.name == "bert.encoder.layer.0.attention.self.key.weight" }!
        tensors[index].tensor = Tensor(zeros: [16, 8])
        let misShaped = try Safetensors.parse(Safetensors.serialize(tensors), file: "m.safetensors")
        do {
            try ModelWeights.load(into: model.encoder, from: misShaped, source: "m.safetensors")
            Issue.record("expected a shape error")
        } catch let error as FileError {
            #expect(error.field == "bert.encoder.layer.0.attention.self.key.weight")
            #expect(error.problem.contains("[16, 8]"))
        }
    }

    @Test func inputsAreValidated() {
        let config = Self.tinyConfig()
        #expect(throws: EncoderInputError.sequenceTooLong(sequence: 1, length: 13, maximum: 12)) {
            try EncoderInput(sequences: [[2, 3], Array(repeating: 5, count: 13)], padId: 0).validate(for: config)
        }
        #expect(throws: EncoderInputError.tokenOutOfRange(sequence: 0, position: 1, id: 40, vocabularySize: 40)) {
            try EncoderInput(sequences: [[2, 40]], padId: 0).validate(for: config)
        }
        #expect(throws: EncoderInputError.emptyBatch) { try EncoderInput(sequences: [], padId: 0).validate(for: config) }
    }

    @Test func summaryNamesLayersAndCounts() {
        let encoder = TransformerEncoder(config: Self.tinyConfig(), seed: 0)
        let summary = encoder.parameterSummary()
        #expect(summary.hasPrefix("TransformerEncoder(2 layers × 16 wide, 4 heads, post-LN, learned positions)"))
        // token 40·16 + positions 12·16 + types 2·16 + LN 32 = 896; per block 4·272 + (16·24+24 + 24·16+16) + 64 = 1960
        #expect(encoder.parameterCount == 896 + 2 * 1960)
    }
}
