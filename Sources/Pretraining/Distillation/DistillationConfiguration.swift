// DistillationConfiguration: every choice of a sentence-distillation run in one Codable value,
// saved in each checkpoint (a resumed run provably uses the same recipe). The objective follows
// Reimers & Gurevych (2020): the student's pooled vector, through a learned projection when the
// widths differ, regresses the teacher's sentence vector (MSE), or points its way (cosine);
// masked LM can be added so the student's token vectors keep predicting their tokens.
// Defaults are those the shipped student was trained with (Weights/README.md).
// Not handled: per-layer learning rates, token-level (hidden-state or attention) distillation.

import NeuralNetwork

/// The whole recipe of a distillation run (besides the student's EncoderConfig and the corpus).
public struct DistillationConfiguration: Codable, Equatable, Sendable, StepTrainingConfiguration {
    /// How the student's vector is compared with the teacher's.
    public enum Loss: String, Codable, CaseIterable, Sendable {
        /// (1/(B·D)) Σ (s − t)²: direction and length (MeanSquaredError.swift).
        case mse
        /// (1/B) Σ (1 − cos(s, t)): direction only (CosineDistance.swift).
        case cosine
    }

    // MARK: Objective
    public var loss: Loss = .mse
    /// λ of the masked-LM term, L = L_distill + λ·L_mlm; 0 turns it off.
    public var maskedLMWeight: Float = 0
    public var masking = MaskingConfiguration()

    // MARK: Data
    /// Student tokens per line, special tokens included; longer lines are cut (the closing
    /// special token kept).
    public var maximumLength: Int = 128
    /// Lines per forward pass (micro-batch).
    public var batchSize: Int = 64
    /// Micro-batches whose gradients are averaged into one step.
    public var accumulationSteps: Int = 1
    /// Batches per length-sorted mega-batch (`EpochPlan`); 1 turns length bucketing off.
    public var lengthGroupSize: Int = 50
    /// Lines held out of training (seeded choice), for the loss and agreement figures; an even
    /// number, paired two by two for the agreement.
    public var evaluationLines: Int = 4000

    // MARK: Optimisation
    public var steps: Int = 10_000
    public var peakLearningRate: Float = 5e-4
    public var warmupSteps: Int = 500
    public var decay: DecayShape = .linear
    public var minimumLearningRate: Float = 0
    public var optimizer = AdamW.Configuration()
    /// Clip the global gradient norm to this; nil turns clipping off.
    public var maxGradientNorm: Float? = 1.0

    // MARK: Cadence
    /// Evaluate on the held-out lines every this many steps (0: only at the end).
    public var evaluateEvery: Int = 1000
    /// Write a checkpoint every this many steps (0: only at the end).
    public var checkpointEvery: Int = 1000
    /// Seeds the held-out choice, the data order, masks and dropout.
    public var seed: UInt64 = 0

    public init() {}

    /// The learning-rate schedule these fields describe.
    public var schedule: LearningRateSchedule {
        LearningRateSchedule(peak: peakLearningRate, warmupSteps: warmupSteps, totalSteps: steps, decay: decay,
                             minimumRate: minimumLearningRate)
    }

    /// Checks every field; the message names the command-line option that sets it.
    public func validate() throws {
        func fail(_ option: String, _ problem: String, _ fix: String) -> DistillationError {
            .invalidOption(option: option, problem: problem, fix: fix)
        }
        guard maskedLMWeight.isFinite && maskedLMWeight >= 0 else { throw fail("--mlm-weight", "is \(maskedLMWeight)", "Use 0 (off) or a positive weight such as 0.1") }
        guard masking.probability > 0 && masking.probability <= 1 else { throw fail("--mask-prob", "is \(masking.probability)", "Use a probability in (0, 1], e.g. 0.15") }
        guard maximumLength >= 3 else { throw fail("--max-length", "is \(maximumLength)", "Use at least 3 ([CLS], a token, [SEP])") }
        guard batchSize >= 1 else { throw fail("--batch", "is \(batchSize)", "Use ≥ 1") }
        guard accumulationSteps >= 1 else { throw fail("--accumulate", "is \(accumulationSteps)", "Use ≥ 1") }
        guard lengthGroupSize >= 1 else { throw fail("--group", "is \(lengthGroupSize)", "Use ≥ 1") }
        guard evaluationLines >= 0 && evaluationLines % 2 == 0 else { throw fail("--eval-lines", "is \(evaluationLines)", "Use an even number ≥ 0 (lines are paired two by two)") }
        guard steps >= 1 else { throw fail("--steps", "is \(steps)", "Use ≥ 1") }
        guard peakLearningRate.isFinite && peakLearningRate > 0 else { throw fail("--lr", "is \(peakLearningRate)", "Use a positive rate such as 5e-4") }
        guard warmupSteps >= 0 else { throw fail("--warmup", "is \(warmupSteps)", "Use ≥ 0") }
        guard minimumLearningRate >= 0 && minimumLearningRate <= peakLearningRate else { throw fail("--min-lr", "is \(minimumLearningRate)", "Use a rate from 0 to --lr") }
        if let maxGradientNorm, !(maxGradientNorm > 0 && maxGradientNorm.isFinite) { throw fail("--clip", "is \(maxGradientNorm)", "Use a positive norm (0 on the command line turns clipping off)") }
        guard evaluateEvery >= 0, checkpointEvery >= 0 else { throw fail("--eval-every/--checkpoint-every", "is negative", "Use ≥ 0") }
    }
}
