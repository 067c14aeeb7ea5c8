// The training loop: steps until the configured count, with an evaluation every `evaluateEvery`
// steps and a checkpoint every `checkpointEvery` steps (both also after the last step). What
// happens is reported to observers (the progress line, the JSON-lines log), so the loop itself
// prints nothing and stays testable.
// Reference: HF Trainer's train loop (evaluation and save strategies "steps").
// Not handled: early stopping; keeping the best checkpoint (the last one is kept).

import Foundation

/// Hears about a run's steps, evaluations and checkpoints. Every method has an empty default.
public protocol PretrainingObserver: AnyObject {
    func trainer(_ trainer: PretrainingTrainer, didStep report: StepReport)
    func trainer(_ trainer: PretrainingTrainer, didEvaluate report: EvaluationReport)
    func trainer(_ trainer: PretrainingTrainer, didSaveCheckpointAt url: URL)
}

extension PretrainingObserver {
    public func trainer(_ trainer: PretrainingTrainer, didStep report: StepReport) {}
    public func trainer(_ trainer: PretrainingTrainer, didEvaluate report: EvaluationReport) {}
    public func trainer(_ trainer: PretrainingTrainer, didSaveCheckpointAt url: URL) {}
}

/// Where and with what a run writes its checkpoints.
public struct CheckpointTarget: Sendable {
    public var url: URL
    /// tokenizer.json's bytes, stored in every checkpoint (it is also the model folder).
    public var tokenizerJSON: Data?

    public init(url: URL, tokenizerJSON: Data?) {
        self.url = url
        self.tokenizerJSON = tokenizerJSON
    }
}

extension PretrainingTrainer {
    /// Trains from `state.step` to `stopAfter` (default: the configured steps).
    ///
    /// - Parameters:
    ///   - checkpoint: where to write checkpoints, or nil for none.
    ///   - stopAfter: stop after this step even if the run is longer (tests, time-boxed runs);
    ///     the run is then continued with `resume`.
    /// - Returns: the last step's report, or nil if there was nothing left to do.
    /// - Throws: a step's `PretrainingError` (nothing is updated by the failing step) or a
    ///   checkpoint's `FileError`.
    @discardableResult
    public func run(checkpoint: CheckpointTarget? = nil, observers: [any PretrainingObserver] = [],
                    stopAfter: Int? = nil) throws -> StepReport? {
        return try StepCadence(configuration).run(
            currentStep: { state.step }, last: min(configuration.steps, stopAfter ?? configuration.steps), step: step,
            didStep: { report in for observer in observers { observer.trainer(self, didStep: report) } },
            evaluate: evaluate,
            didEvaluate: { evaluation in
                evaluations.append(evaluation)
                for observer in observers { observer.trainer(self, didEvaluate: evaluation) }
            },
            checkpoint: checkpoint.map { checkpoint in {
                try self.saveCheckpoint(to: checkpoint.url, tokenizerJSON: checkpoint.tokenizerJSON)
                for observer in observers { observer.trainer(self, didSaveCheckpointAt: checkpoint.url) }
            } })
    }
}
