// TrainingProgress: the progress line of a pretraining run,
//   step 1200/20000  loss 5.8123  lr 4.71e-04  12.3k tok/s  ETA 1h02m
// (the loss is the mean over the steps since the last line, so it is not one noisy batch), and
// one message line per evaluation and checkpoint. It is an observer of the trainer, drawn through
// ProgressLine ("\r" on a terminal, a plain line every few seconds otherwise).
// Not handled: a moving-average loss over a fixed window (the log file has every step to smooth).

import Foundation

/// Shows a run's progress on standard error.
public final class TrainingProgress: PretrainingObserver {
    public let line: ProgressLine
    private let startTime = monotonicSeconds()
    private let startStep: Int
    private var lossSum: Double = 0
    private var lossCount = 0
    private var tokens = 0
    private var seconds = 0.0

    /// - Parameter startStep: the step the run starts from (non-zero when resuming), for the ETA.
    public init(line: ProgressLine = ProgressLine(), startStep: Int = 0) {
        self.line = line
        self.startStep = startStep
    }

    public func trainer(_ trainer: PretrainingTrainer, didStep report: StepReport) {
        lossSum += Double(report.loss)
        lossCount += 1
        tokens += report.tokens
        seconds += report.seconds
        let total = trainer.configuration.steps
        line.update(force: report.step == total) {
            let done = report.step - startStep
            let perStep = (monotonicSeconds() - startTime) / Double(max(done, 1))
            let text = String(format: "step %d/%d  loss %.4f  ", report.step, total, lossSum / Double(max(lossCount, 1)))
                + (report.contrastiveLoss.map { String(format: "contrastive %.4f  ", Double($0)) } ?? "")
                + (report.distillationLoss.map { String(format: "distill %.4f  ", Double($0)) } ?? "")
                + String(format: "lr %.2e  ", Double(report.learningRate))
                + "\(ProgressFormat.count(Double(tokens) / max(seconds, 1e-9))) tok/s  ETA \(ProgressFormat.duration(perStep * Double(total - report.step)))"
            lossSum = 0
            lossCount = 0
            tokens = 0
            seconds = 0
            return text
        }
    }

    public func trainer(_ trainer: PretrainingTrainer, didEvaluate report: EvaluationReport) {
        line.message(String(format: "step %d: held-out loss %.4f, masked-token accuracy %.2f%%, perplexity %.1f (%d masked tokens)",
                            report.step, report.loss, 100 * report.accuracy, report.perplexity, report.maskedTokens))
    }

    public func trainer(_ trainer: PretrainingTrainer, didSaveCheckpointAt url: URL) {
        line.message("step \(trainer.state.step): checkpoint written to \(url.path)")
    }
}
