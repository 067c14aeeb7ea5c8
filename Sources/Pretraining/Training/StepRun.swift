// What the pretraining and distillation trainers share, written once: the step loop with its
// evaluation and checkpoint cadence (HF Trainer's "steps" strategies), the cached epoch plan,
// and the reading of a checkpoint's trainer_state.json. Each trainer keeps its own step,
// evaluation, checkpoint contents and reports; these pieces only sequence them.
// Not handled: early stopping; keeping the best checkpoint (the last one is kept).

import Foundation
import NeuralNetwork
import TensorCore

// MARK: - The step loop

/// When a run of `steps` steps evaluates and writes checkpoints.
struct StepCadence {
    let steps: Int
    /// Evaluate every this many steps (0: only after the last step).
    let evaluateEvery: Int
    /// Write a checkpoint every this many steps (0: only after the last step).
    let checkpointEvery: Int

    /// Trains from the current step to `last`: after each step `didStep`; after the final step and
    /// every `evaluateEvery` steps an evaluation (when `evaluate` has one); after the final step,
    /// after `last` and every `checkpointEvery` steps `checkpoint` (when there is one).
    /// - Returns: the last step's report, or nil if there was nothing left to do.
    func run<Report, Evaluation>(
        currentStep: () -> Int, last: Int, step: () throws -> Report, didStep: (Report) -> Void,
        evaluate: () -> Evaluation?, didEvaluate: (Evaluation) -> Void, checkpoint: (() throws -> Void)?
    ) throws -> Report? {
        var report: Report?
        while currentStep() < last {
            let stepReport = try step()
            report = stepReport
            didStep(stepReport)
            let step = currentStep()
            let isFinal = step == steps
            if isFinal || (evaluateEvery > 0 && step % evaluateEvery == 0), let evaluation = evaluate() {
                didEvaluate(evaluation)
            }
            if let checkpoint, isFinal || step == last || (checkpointEvery > 0 && step % checkpointEvery == 0) {
                try checkpoint()
            }
        }
        return report
    }
}

// MARK: - The epoch plan

/// The length-bucketed batch order of one epoch, made on demand and kept until another epoch's is
/// asked for.
struct EpochPlans {
    /// Tokens of each training item.
    let lengths: [Int]
    let batchSize: Int
    let groupSize: Int
    let seed: UInt64
    private var cached: EpochPlan?

    init(lengths: [Int], batchSize: Int, groupSize: Int, seed: UInt64) {
        (self.lengths, self.batchSize, self.groupSize, self.seed) = (lengths, batchSize, groupSize, seed)
    }

    /// The plan of `epoch`.
    mutating func plan(epoch: Int) -> EpochPlan {
        if let cached, cached.epoch == epoch { return cached }
        let made = EpochPlan(epoch: epoch, lengths: lengths, batchSize: batchSize, groupSize: groupSize, seed: seed)
        cached = made
        return made
    }
}

// MARK: - Checkpoint manifests

/// A checkpoint's trainer_state.json: it names its format and version.
protocol CheckpointManifestFile: Decodable {
    var format: String { get }
    var version: Int { get }
}

/// Reads and checks `stateFileName` in the checkpoint folder `url`.
/// - Parameters:
///   - format: the format the manifest must name (version 1).
///   - command: the command that writes such folders, for the fix in the error.
/// - Throws: `FileError` naming the file when it is missing, unreadable or of another format.
func readCheckpointManifest<Manifest: CheckpointManifestFile>(
    _ type: Manifest.Type, at url: URL, stateFileName: String, format: String, command: String
) throws -> Manifest {
    let file = url.appendingPathComponent(stateFileName)
    guard let data = FileManager.default.contents(atPath: file.path) else {
        throw FileError(.notFound, file: file.path, field: "(file)", problem: "does not exist",
                        fix: "Resume from a folder written by `tinyencoder \(command)` (or drop --resume to start afresh)")
    }
    let manifest: Manifest
    do {
        manifest = try JSONDecoder().decode(Manifest.self, from: data)
    } catch {
        throw FileError(.malformed, file: file.path, field: "(json)", problem: "cannot be read: \(error)",
                        fix: "The checkpoint is damaged or from another program; start a new run")
    }
    guard manifest.format == format, manifest.version == 1 else {
        throw FileError(.unsupported, file: file.path, field: "format", problem: "is \(manifest.format) version \(manifest.version)",
                        fix: "Resume only checkpoints of this TinyEncoder version")
    }
    return manifest
}

// MARK: - The options of a step-based run

/// The fields a step-based trainer's configuration shares with every other (pretraining and
/// distillation): batching, the learning-rate schedule, the optimiser, cadence and seed. The fields
/// stay in each configuration (its JSON keys); the command line sets them through this protocol,
/// and `StepCadence` is made from it.
public protocol StepTrainingConfiguration {
    var batchSize: Int { get set }
    var accumulationSteps: Int { get set }
    var lengthGroupSize: Int { get set }
    var steps: Int { get set }
    var peakLearningRate: Float { get set }
    var warmupSteps: Int { get set }
    var decay: DecayShape { get set }
    var minimumLearningRate: Float { get set }
    var optimizer: AdamW.Configuration { get set }
    var maxGradientNorm: Float? { get set }
    var evaluateEvery: Int { get set }
    var checkpointEvery: Int { get set }
    var seed: UInt64 { get set }
}

extension StepCadence {
    /// The cadence a configuration asks for.
    init(_ configuration: some StepTrainingConfiguration) {
        self.init(steps: configuration.steps, evaluateEvery: configuration.evaluateEvery,
                  checkpointEvery: configuration.checkpointEvery)
    }
}
