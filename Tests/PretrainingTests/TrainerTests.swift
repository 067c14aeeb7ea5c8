// The trainer end to end on a tiny model and a synthetic corpus: the loss falls; a run cut at a
// checkpoint and resumed is bit-identical to an uninterrupted one (losses and final weights);
// NaN/Inf stops the run naming the step and the tensor; an interrupted checkpoint swap is
// repaired; a resume with other options or another corpus is refused; the log is rewound.
import Encoder
import Foundation
import NeuralNetwork
import Pretraining
import TensorCore
import Testing

/// A tiny run: the synthetic corpus, the toy tokenizer, the tiny config.
struct TinyRun {
    let tokenizer: ToyTokenizer
    let corpus: PretrainingCorpus
    let masker: DynamicMasker
    var configuration = PretrainingConfiguration()

    init(lines: Int = 400, steps: Int = 12) throws {
        let texts = syntheticCorpus(lines: lines)
        tokenizer = ToyTokenizer(texts: texts)
        configuration.corpus = CorpusOptions(sequenceLength: 32, packing: .sentences, evaluationFraction: 0.1, maximumEvaluationSequences: 16)
        configuration.batchSize = 8
        configuration.steps = steps
        configuration.warmupSteps = 2
        configuration.peakLearningRate = 3e-3
        configuration.evaluateEvery = 0
        configuration.checkpointEvery = 0
        configuration.seed = 11
        corpus = try PretrainingCorpus.make(lines: texts, tokenizer: tokenizer, options: configuration.corpus)
        masker = DynamicMasker(configuration: configuration.masking, special: tokenizer.specialTokens,
                               vocabularySize: tokenizer.vocabularySize, wordStarts: tokenizer.wordStartTable())
    }

    func trainer(dropout: Float = 0) throws -> PretrainingTrainer {
        var config = tinyTestConfig()
        config.hiddenDropout = dropout
        config.attentionDropout = dropout
        return try PretrainingTrainer(model: MaskedLanguageModel(config: config, seed: 4), corpus: corpus, masker: masker,
                                      configuration: configuration)
    }
}

/// Collects the reports of a run.
final class Recorder: PretrainingObserver {
    var steps: [StepReport] = []
    var evaluations: [EvaluationReport] = []
    func trainer(_ trainer: PretrainingTrainer, didStep report: StepReport) { steps.append(report) }
    func trainer(_ trainer: PretrainingTrainer, didEvaluate report: EvaluationReport) { evaluations.append(report) }
}

@Suite struct TrainerTests {
    @Test func lossFallsOnASmallCorpus() throws {
        var run = try TinyRun(steps: 60)
        run.configuration.peakLearningRate = 1e-2
        run.configuration.warmupSteps = 5
        let trainer = try run.trainer()
        let before = try #require(trainer.evaluate())
        // An untrained model spreads probability over ~all ids: held-out loss ≈ ln V (V = tokenizer's ids ≤ 128).
        #expect(abs(before.loss - log(128.0)) < 0.5, "initial loss \(before.loss)")
        let recorder = Recorder()
        try trainer.run(observers: [recorder])
        let after = try #require(recorder.evaluations.last)
        let firstTraining = recorder.steps.prefix(3).map(\.loss).reduce(0, +) / 3
        let lastTraining = recorder.steps.suffix(3).map(\.loss).reduce(0, +) / 3
        #expect(after.loss < before.loss - 1.0, "held-out loss \(before.loss) → \(after.loss)")
        #expect(lastTraining < firstTraining - 1.0, "training loss \(firstTraining) → \(lastTraining)")
        #expect(after.accuracy > before.accuracy, "accuracy \(before.accuracy) → \(after.accuracy), loss \(before.loss) → \(after.loss)")
        #expect(abs(after.perplexity - exp(after.loss)) < 1e-9)
        #expect(trainer.state.step == 60 && trainer.optimizer.step == 60)
    }

    @Test func resumedRunIsBitIdenticalToAnUninterruptedOne() throws {
        var run = try TinyRun(lines: 120, steps: 6)  // few sequences: the run crosses an epoch boundary
        run.configuration.accumulationSteps = 2
        run.configuration.evaluateEvery = 2
        let folder = temporaryFolder("resume")
        defer { try? FileManager.default.removeItem(at: folder) }

        let straight = try run.trainer(dropout: 0.1)  // dropout on: its generator must resume too
        let straightRecorder = Recorder()
        try straight.run(observers: [straightRecorder])

        let first = try run.trainer(dropout: 0.1)
        let firstRecorder = Recorder()
        let target = CheckpointTarget(url: folder.appendingPathComponent("run"), tokenizerJSON: Data("{}".utf8))
        try first.run(checkpoint: target, observers: [firstRecorder], stopAfter: 3)
        #expect(first.state.epoch >= 1 || first.state.batchInEpoch > 0)
        let resumed = try PretrainingTrainer.resume(from: target.url, corpus: run.corpus, masker: run.masker)
        #expect(resumed.state == first.state)
        let resumedRecorder = Recorder()
        try resumed.run(checkpoint: target, observers: [resumedRecorder])

        let straightLosses = straightRecorder.steps.map(\.loss)
        #expect(straightLosses.count == 6 && straight.state.epoch >= 1)
        #expect((firstRecorder.steps + resumedRecorder.steps).map(\.loss) == straightLosses)
        #expect((firstRecorder.evaluations + resumedRecorder.evaluations) == straightRecorder.evaluations)
        #expect(resumed.evaluations == straight.evaluations)
        for (a, b) in zip(straight.model.parameters(), resumed.model.parameters()) {
            #expect(a.parameter.value == b.parameter.value, "\(a.name) differs")
        }
        #expect(straight.optimizer.stateTensors().map(\.tensor) == resumed.optimizer.stateTensors().map(\.tensor))
        // The checkpoint is also a model folder.
        let folderModel = try ModelFolder.load(target.url)
        #expect(folderModel.hasTrainedHead && folderModel.tokenizerURL?.lastPathComponent == "tokenizer.json")
    }

    @Test func nonFiniteLossStopsNamingTheStep() throws {
        let run = try TinyRun(steps: 5)
        let trainer = try run.trainer()
        _ = try trainer.step()
        trainer.model.head.bias.value.withUnsafeMutableBufferPointer { $0[7] = .nan }
        #expect {
            try trainer.step()
        } throws: { error in
            if case let .nonFiniteLoss(step, microBatch, value) = error as? PretrainingError { return step == 2 && microBatch == 1 && value.isNaN }
            return false
        }
        #expect(trainer.state.step == 1)  // nothing was updated
    }

    @Test func nonFiniteGradientIsNamed() throws {
        let run = try TinyRun(steps: 5)
        let trainer = try run.trainer()
        let entries = trainer.optimizer.parameters
        entries[0].parameter.gradient = Tensor(zeros: entries[0].parameter.shape)
        entries[3].parameter.gradient = Tensor(shape: entries[3].parameter.shape, repeating: .infinity)
        #expect(trainer.firstNonFiniteGradient(entries) == entries[3].name)
        entries[3].parameter.gradient = nil
        #expect(trainer.firstNonFiniteGradient(entries) == nil)
    }

    @Test func interruptedSwapIsRepaired() throws {
        let run = try TinyRun(steps: 2)
        let trainer = try run.trainer()
        try trainer.run()
        let folder = temporaryFolder("recover")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("run")
        try trainer.saveCheckpoint(to: url, tokenizerJSON: nil)
        // A kill between AtomicFolder's renames: the checkpoint is set aside, a new one half-written.
        let aside = folder.appendingPathComponent(".run.old-1-2"), partial = folder.appendingPathComponent(".run.tmp-1-2")
        try FileManager.default.moveItem(at: url, to: aside)
        try FileManager.default.createDirectory(at: partial, withIntermediateDirectories: true)
        #expect(try PretrainingCheckpoint.recover(url))
        #expect(PretrainingCheckpoint.exists(at: url))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["run"])
        #expect(try PretrainingCheckpoint.manifest(at: url).state.step == 2)
    }

    @Test func resumeRefusesOtherOptionsOrCorpus() throws {
        let run = try TinyRun(steps: 2)
        let trainer = try run.trainer()
        try trainer.run()
        let folder = temporaryFolder("mismatch")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("run")
        try trainer.saveCheckpoint(to: url, tokenizerJSON: nil)

        var other = run.configuration
        other.masking.probability = 0.2
        #expect(throws: PretrainingError.checkpointMismatch(path: url.path, field: "masking.probability", problem: "differs from the value the run was started with")) {
            try PretrainingTrainer.resume(from: url, corpus: run.corpus, masker: run.masker, configuration: other)
        }
        var longer = run.configuration
        longer.steps = 4  // a longer run is allowed
        #expect(try PretrainingTrainer.resume(from: url, corpus: run.corpus, masker: run.masker, configuration: longer).configuration.steps == 4)

        let smaller = try PretrainingCorpus.make(lines: syntheticCorpus(lines: 300), tokenizer: run.tokenizer, options: run.configuration.corpus)
        #expect {
            try PretrainingTrainer.resume(from: url, corpus: smaller, masker: run.masker)
        } throws: { error in
            if case let .checkpointMismatch(_, field, _) = error as? PretrainingError { return field == "corpus" }
            return false
        }
    }

    @Test func logIsRewoundOnResume() throws {
        let folder = temporaryFolder("log")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("log.jsonl")
        let run = try TinyRun(steps: 4)
        let trainer = try run.trainer()
        let log = try TrainingLog(url: url)
        try trainer.run(observers: [log])
        let lines = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        // Four steps, then the final evaluation.
        #expect(lines.count == 5 && lines[0].hasPrefix("{\"type\":\"train\",\"step\":1,\"loss\":"))
        #expect(lines[4].hasPrefix("{\"type\":\"eval\",\"step\":4,\"loss\":"))
        _ = try TrainingLog(url: url, resumingAfter: 2)
        let kept = try String(contentsOf: url, encoding: .utf8).split(separator: "\n")
        #expect(kept.map { String($0) } == lines.prefix(2).map { String($0) })
    }

    @Test func embeddingInitializerReplacesTheTokenTable() throws {
        struct Constant: EmbeddingInitializer {
            func tokenEmbedding(vocabulary: [String], width: Int) throws -> Tensor {
                Tensor(shape: [vocabulary.count, width], repeating: 0.5)
            }
        }
        struct WrongShape: EmbeddingInitializer {
            func tokenEmbedding(vocabulary: [String], width: Int) throws -> Tensor { Tensor(zeros: [2, width]) }
        }
        let model = try makeMaskedLanguageModel(config: tinyTestConfig(), vocabulary: ["[PAD]", "a"],
                                                initialization: .embeddings(Constant(), seed: 1))
        #expect(model.encoder.embeddings.token.weight.value == Tensor(shape: [128, 32], repeating: 0.5))
        #expect(throws: PretrainingError.self) {
            try makeMaskedLanguageModel(config: tinyTestConfig(), vocabulary: ["a"], initialization: .embeddings(WrongShape(), seed: 1))
        }
        let random = try makeMaskedLanguageModel(config: tinyTestConfig(), vocabulary: [], initialization: .random(seed: 4))
        #expect(random.encoder.embeddings.token.weight.value == MaskedLanguageModel(config: tinyTestConfig(), seed: 4).encoder.embeddings.token.weight.value)
    }
}
