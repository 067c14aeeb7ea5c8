// The distillation loop: steps until the configured count, a held-out evaluation every
// `evaluateEvery` steps and a checkpoint every `checkpointEvery` steps (both also after the last
// step), reported to observers; and the progress line that observes it,
//   step 1200/20000  mse 0.00123  lr 4.71e-04  12.3k tok/s  ETA 1h02m
// Reference: HF Trainer's train loop (evaluation and save strategies "steps").
// Not handled: early stopping; keeping the best checkpoint (the last one is kept).

import Foundation

/// Hears about a distillation run's steps, evaluations and checkpoints.
public protocol DistillationObserver: AnyObject {
    func trainer(_ trainer: DistillationTrainer, didStep report: DistillationStepReport)
    func trainer(_ trainer: DistillationTrainer, didEvaluate report: DistillationEvaluation)
    func trainer(_ trainer: DistillationTrainer, didSaveCheckpointAt url: URL)
}

extension DistillationObserver {
    public func trainer(_ trainer: DistillationTrainer, didStep report: DistillationStepReport) {}
    public func trainer(_ trainer: DistillationTrainer, didEvaluate report: DistillationEvaluation) {}
    public func trainer(_ trainer: DistillationTrainer, didSaveCheckpointAt url: URL) {}
}

extension DistillationTrainer {
    /// Trains from `state.step` to `stopAfter` (default: the configured steps).
    ///
    /// - Parameters:
    ///   - checkpoint: where and with which model files to write checkpoints, or nil for none.
    ///   - stopAfter: stop after this step (tests, time-boxed runs); continue with `resume`.
    /// - Returns: the last step's report, or nil if there was nothing left to do.
    @discardableResult
    public func run(checkpoint: (url: URL, files: StudentFiles)? = nil, observers: [any DistillationObserver] = [],
                    stopAfter: Int? = nil) throws -> DistillationStepReport? {
        return try StepCadence(configuration).run(
            currentStep: { state.step }, last: min(configuration.steps, stopAfter ?? configuration.steps), step: step,
            didStep: { report in for observer in observers { observer.trainer(self, didStep: report) } },
            evaluate: evaluate,
            didEvaluate: { evaluation in
                evaluations.append(evaluation)
                for observer in observers { observer.trainer(self, didEvaluate: evaluation) }
            },
            checkpoint: checkpoint.map { checkpoint in {
                try self.saveCheckpoint(to: checkpoint.url, files: checkpoint.files)
                for observer in observers { observer.trainer(self, didSaveCheckpointAt: checkpoint.url) }
            } })
    }
}

/// The progress line of a distillation run on standard error (ProgressLine: "\r" on a terminal, a
/// plain line every few seconds otherwise), and one line per evaluation and checkpoint.
public final class DistillationProgress: DistillationObserver {
    public let line: ProgressLine
    private let startTime = monotonicSeconds()
    private let startStep: Int
    private var lossSum: Double = 0, maskedSum: Double = 0, count = 0, tokens = 0, seconds = 0.0

    public init(line: ProgressLine = ProgressLine(), startStep: Int = 0) {
        self.line = line
        self.startStep = startStep
    }

    public func trainer(_ trainer: DistillationTrainer, didStep report: DistillationStepReport) {
        lossSum += Double(report.loss)
        maskedSum += Double(report.maskedLMLoss ?? 0)
        count += 1
        tokens += report.tokens
        seconds += report.seconds
        let total = trainer.configuration.steps
        line.update(force: report.step == total) {
            let perStep = (monotonicSeconds() - startTime) / Double(max(report.step - startStep, 1))
            let n = Double(max(count, 1))
            let text = String(format: "step %d/%d  %@ %.5f  ", report.step, total, trainer.configuration.loss.rawValue, lossSum / n)
                + (report.maskedLMLoss == nil ? "" : String(format: "mlm %.4f  ", maskedSum / n))
                + String(format: "lr %.2e  ", Double(report.learningRate))
                + "\(ProgressFormat.count(Double(tokens) / max(seconds, 1e-9))) tok/s  ETA \(ProgressFormat.duration(perStep * Double(total - report.step)))"
            (lossSum, maskedSum, count, tokens, seconds) = (0, 0, 0, 0, 0)
            return text
        }
    }

    public func trainer(_ trainer: DistillationTrainer, didEvaluate report: DistillationEvaluation) {
        line.message(String(format: "step %d: held-out mse %.6f, cosine to the teacher %.4f, agreement %@ (%d lines)",
                            report.step, report.mse, report.cosine, report.agreement.map { String(format: "%.4f", $0) } ?? "–", report.lines))
    }

    public func trainer(_ trainer: DistillationTrainer, didSaveCheckpointAt url: URL) {
        line.message("step \(trainer.state.step): checkpoint written to \(url.path)")
    }
}

/// The --log file of a distillation run: the JSON lines of TrainingLog.swift, with the
/// distillation's own fields ("loss" is the distillation term, "mlm_loss" the masked-LM term).
extension TrainingLog: DistillationObserver {
    public func trainer(_ trainer: DistillationTrainer, didStep report: DistillationStepReport) {
        write([("type", "train"), ("step", report.step), ("loss", report.loss), ("lr", report.learningRate),
               ("grad_norm", report.gradientNorm), ("tokens", report.tokens),
               ("tokens_per_s", Double(report.tokens) / max(report.seconds, 1e-9)), ("elapsed_s", trainer.state.trainingSeconds)]
              + (report.maskedLMLoss.map { [("mlm_loss", $0 as Any)] } ?? []))
    }

    public func trainer(_ trainer: DistillationTrainer, didEvaluate report: DistillationEvaluation) {
        write([("type", "eval"), ("step", report.step), ("mse", report.mse), ("cosine", report.cosine),
               ("agreement", report.agreement), ("lines", report.lines)])
    }

    public func trainer(_ trainer: DistillationTrainer, didSaveCheckpointAt url: URL) {
        write([("type", "checkpoint"), ("step", trainer.state.step), ("path", url.path)])
    }
}
