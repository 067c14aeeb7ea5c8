// Training from static vectors: the initializer installs the bridge's table; a frozen embedding
// stays bit for bit and then takes Adam's first step (bias correction from its own first update,
// |Δ| = lr for every entry with a gradient); the static layer starts at the bridge's table, its
// gradients are the chain rule (dR = dE, dP = dEᵀ·S), S never moves, the table is folded after
// every step; and a run with both options resumes bit for bit.
import Autograd
import Encoder
import Foundation
import NeuralNetwork
import Pretraining
import StaticVectorInitialization
import TensorCore
import TestSupport
import Testing
import WordVectors

/// Static vectors (D = 8) for some of the toy tokenizer's whole-word pieces.
func toyStaticVectors() -> StaticVectors {
    let words = ["the", "cat", "dog", "a", "my", "red", "old"]
    var generator = SeededGenerator(seed: 21)
    return StaticVectors(KeyedVectors(words: words, vectors: generator.normal(shape: [words.count, 8])), source: "toy-vectors")
}

extension TinyRun {
    /// A model of the tiny config whose token table comes from `toyStaticVectors` (padded 8 → 32).
    func staticModel() throws -> (MaskedLanguageModel, StaticInitialization) {
        let initializer = StaticVectorInitializer(vectors: toyStaticVectors(), special: tokenizer.specialTokens.all, statistics: nil)
        let model = try makeMaskedLanguageModel(config: tinyTestConfig(), vocabulary: tokenizer.vocabulary,
                                                initialization: .embeddings(initializer, seed: 4))
        return (model, try #require(initializer.result))
    }

    func staticTrainer(freeze: Int?, staticLayer: Bool) throws -> PretrainingTrainer {
        var configuration = self.configuration
        configuration.freezeEmbeddingSteps = freeze
        configuration.staticLayer = staticLayer ? true : nil
        let (model, bridge) = try staticModel()
        return try PretrainingTrainer(model: model, corpus: corpus, masker: masker, configuration: configuration, state: nil,
                                      staticLayer: staticLayer ? StaticEmbeddingLayer(bridge) : nil)
    }
}

@Suite struct StaticInitializationTrainingTests {
    @Test func initializerInstallsTheBridgeTable() throws {
        let run = try TinyRun()
        let (model, bridge) = try run.staticModel()
        #expect(model.encoder.embeddings.token.weight.value == bridge.table)
        #expect(bridge.report.exact.tokens > 0)
        // The rows nothing covered keep the model's own random rows.
        let random = MaskedLanguageModel(config: tinyTestConfig(), seed: 4).encoder.embeddings.token.weight.value
        let C = 32
        for id in 0..<run.tokenizer.vocabularySize where bridge.sources[id].category == .random {
            #expect(Array(bridge.table.scalars[(id * C)..<((id + 1) * C)]) == Array(random.scalars[(id * C)..<((id + 1) * C)]))
        }
    }

    @Test func frozenEmbeddingThenAdamsFirstStep() throws {
        var run = try TinyRun(steps: 5)
        run.configuration.warmupSteps = 0
        let trainer = try run.staticTrainer(freeze: 2, staticLayer: false)
        let token = trainer.model.encoder.embeddings.token.weight
        let start = token.value, transform = trainer.model.head.transform.weight.value
        _ = try trainer.step()
        _ = try trainer.step()
        #expect(token.value == start, "the embedding moved while frozen")
        #expect(trainer.model.head.transform.weight.value != transform)
        #expect(trainer.embeddingOptimizer?.step == 0 && trainer.optimizer.step == 2 && !trainer.isEmbeddingFrozen)

        // Step 3 is the embedding's first: m = (1−β₁)g, v = (1−β₂)g², so with its own bias correction
        // Δ = −lr · m/(1−β₁) / (√(v/(1−β₂)) + ε) = −lr · g/(|g| + ε): lr for every entry with a gradient.
        // (Counting from the global step 3 instead would give 0.1/(1−0.9³) · √((1−0.999³)/0.001) ≈ 0.64 lr.)
        let learningRate = trainer.configuration.schedule.rate(at: 2)
        let decay = 1 - learningRate * trainer.configuration.optimizer.weightDecay
        _ = try trainer.step()
        let moves = zip(token.value.scalars, start.scalars).map { abs($0 - $1 * decay) }
        #expect(abs(moves.max()! - learningRate) < 1e-3 * learningRate, "largest move \(moves.max()!) for lr \(learningRate)")
        #expect(moves.allSatisfy { $0 <= learningRate * 1.001 })
        #expect(trainer.embeddingOptimizer?.step == 1 && trainer.optimizer.step == 3)
    }

    @Test func staticLayerGradientsAreTheChainRule() throws {
        let run = try TinyRun()
        let (model, bridge) = try run.staticModel()
        let layer = StaticEmbeddingLayer(bridge)
        #expect(maxScaledError(layer.foldedTable().scalars, bridge.table.scalars) < 1e-6)
        var generator = SeededGenerator(seed: 8)
        let batch = run.masker.batch((0..<4).map { run.corpus.train[$0] }, generator: &generator)
        let context = ForwardContext.training(generator: SeededGenerator(seed: 9))
        let table = layer.table(context: context)                                        // E, [V, C]
        context.tape!.retainGradient(of: table)
        context.bind(model.encoder.embeddings.token.weight, to: table)
        let (loss, _, _) = model.loss(batch.input, maskedPositions: batch.maskedPositions, targets: batch.targets, context: context)
        context.tape!.backward(from: loss)
        context.accumulateGradients()
        let dE = try #require(context.tape!.gradient(of: table))                        // from the lookup and the tied decoder
        #expect(layer.residual.gradient == dE)                                           // E = R + …: dR = dE
        let expected = matmulReference(dE, layer.staticRows, transposeA: true)          // dP = dEᵀ·S, [C, D]
        #expect(maxScaledError(try #require(layer.projection.gradient).scalars, expected.scalars) < 1e-5)
        #expect(expected.scalars.contains { $0 != 0 })
    }

    @Test func staticLayerTrainsFoldsAndKeepsTheVectorsFrozen() throws {
        let run = try TinyRun(steps: 3)
        let trainer = try run.staticTrainer(freeze: 1, staticLayer: true)
        let layer = try #require(trainer.staticLayer)
        let token = trainer.model.encoder.embeddings.token.weight
        let (staticRows, residual, projection) = (layer.staticRows, layer.residual.value, layer.projection.value)
        #expect(token.value == layer.foldedTable())
        _ = try trainer.step()                                               // frozen
        #expect(layer.residual.value == residual && layer.projection.value == projection && token.value == layer.foldedTable())
        _ = try trainer.step()
        #expect(layer.residual.value != residual && layer.projection.value != projection)
        #expect(layer.staticRows == staticRows)
        #expect(token.value == layer.foldedTable())
        #expect(trainer.embeddingOptimizer?.parameters.map(\.name) == ["staticLayer.residual", "staticLayer.projection"])
    }

    @Test func resumeWithFreezeAndStaticLayerIsBitIdentical() throws {
        let run = try TinyRun(lines: 120, steps: 5)
        let folder = temporaryFolder("static-resume")
        defer { try? FileManager.default.removeItem(at: folder) }
        let straight = try run.staticTrainer(freeze: 2, staticLayer: true)
        let straightRecorder = Recorder()
        try straight.run(observers: [straightRecorder])

        let first = try run.staticTrainer(freeze: 2, staticLayer: true)
        let target = CheckpointTarget(url: folder.appendingPathComponent("run"), tokenizerJSON: nil)
        let firstRecorder = Recorder()
        try first.run(checkpoint: target, observers: [firstRecorder], stopAfter: 3)
        let resumed = try PretrainingTrainer.resume(from: target.url, corpus: run.corpus, masker: run.masker)
        #expect(resumed.staticLayer != nil && resumed.embeddingOptimizer?.step == 1)
        let resumedRecorder = Recorder()
        try resumed.run(observers: [resumedRecorder])
        #expect((firstRecorder.steps + resumedRecorder.steps).map(\.loss) == straightRecorder.steps.map(\.loss))
        for (a, b) in zip(straight.model.parameters(), resumed.model.parameters()) {
            #expect(a.parameter.value == b.parameter.value, "\(a.name) differs")
        }
        #expect(straight.staticLayer?.projection.value == resumed.staticLayer?.projection.value)
        #expect(straight.embeddingOptimizer?.stateTensors().map(\.tensor) == resumed.embeddingOptimizer?.stateTensors().map(\.tensor))
        // The checkpoint's model folder holds the folded table: a plain model.
        let folderModel = try ModelFolder.load(target.url)
        #expect(folderModel.model.encoder.embeddings.token.weight.value == first.model.encoder.embeddings.token.weight.value)
    }

    @Test func staticLayerOptionWithoutALayerIsRefused() throws {
        var run = try TinyRun()
        run.configuration.staticLayer = true
        #expect(throws: PretrainingError.self) { try run.trainer() }
    }
}
