// PretrainingConfiguration: every choice of a masked-LM pretraining run in one Codable value,
// saved in each checkpoint's trainer_state.json (so a resumed run provably uses the same
// recipe). Defaults follow BERT (Devlin et al., 2019: 15% masking, AdamW β = (0.9, 0.999),
// weight decay 0.01, linear warm-up and decay, clipping at 1.0) scaled to small one-machine runs.
// Not handled: per-layer learning rates, loss scaling (we train in Float32), multi-phase lengths.

import NeuralNetwork

/// The whole recipe of a pretraining run (besides the model's own EncoderConfig and the corpus).
public struct PretrainingConfiguration: Codable, Equatable, Sendable, StepTrainingConfiguration {
    // MARK: Data
    public var corpus = CorpusOptions()
    public var masking = MaskingConfiguration()
    /// Sequences per forward pass (micro-batch).
    public var batchSize: Int = 32
    /// Micro-batches whose gradients are summed (each scaled by 1/k) before one optimiser step.
    public var accumulationSteps: Int = 1
    /// Batches per length-sorted mega-batch (`EpochPlan`); 1 turns length bucketing off.
    public var lengthGroupSize: Int = 50

    // MARK: Optimisation
    /// Optimiser steps (updates) of the whole run.
    public var steps: Int = 1000
    public var peakLearningRate: Float = 5e-4
    public var warmupSteps: Int = 50
    public var decay: DecayShape = .linear
    public var minimumLearningRate: Float = 0
    public var optimizer = AdamW.Configuration()
    /// Clip the global gradient norm to this; nil turns clipping off.
    public var maxGradientNorm: Float? = 1.0

    // MARK: Token embedding
    /// Keep the token embedding (and with it the tied MLM decoder) frozen for this many first
    /// steps, then train it. Its AdamW moments and bias correction start at its first update, as
    /// in PyTorch, where a parameter's Adam state begins with its first gradient. nil or 0: never frozen.
    public var freezeEmbeddingSteps: Int? = nil
    /// Train the token embedding through the static layer, E = R + S·Pᵀ with the static vectors S
    /// frozen (StaticEmbeddingLayer). nil or false: E is one trained table.
    public var staticLayer: Bool? = nil

    // MARK: Sentence objective
    /// Add the contrastive sentence term (ContrastiveObjective.swift) to the masked-LM loss; nil: MLM only.
    public var contrastive: ContrastiveObjective? = nil
    /// Add the distillation term (DistillationObjective.swift): the pooled clean copy must point
    /// where the averaged static word vectors of its text point; nil: off.
    public var distillation: DistillationObjective? = nil

    // MARK: Cadence
    /// Evaluate on the held-out sequences every this many steps (0: only at the end).
    public var evaluateEvery: Int = 500
    /// Write a checkpoint every this many steps (0: only at the end).
    public var checkpointEvery: Int = 1000
    /// Seeds data order, masks and dropout. The model's initialisation has its own seed.
    public var seed: UInt64 = 0

    public init() {}

    /// The learning-rate schedule these fields describe.
    public var schedule: LearningRateSchedule {
        LearningRateSchedule(peak: peakLearningRate, warmupSteps: warmupSteps, totalSteps: steps, decay: decay,
                             minimumRate: minimumLearningRate)
    }

    /// Sequences per optimiser step.
    public var effectiveBatchSize: Int { batchSize * accumulationSteps }

    /// Checks every field; the message names the field (and the CLI option that sets it).
    public func validate() throws {
        func fail(_ field: String, _ problem: String) -> PretrainingError {
            .invalidConfiguration(field: field, problem: problem)
        }
        guard corpus.sequenceLength >= 3 else { throw fail("sequenceLength (--seq)", "must be at least 3 ([CLS], a token, [SEP]), got \(corpus.sequenceLength)") }
        guard (0..<1).contains(corpus.evaluationFraction) else { throw fail("evaluationFraction (--eval-fraction)", "must be in [0, 1), got \(corpus.evaluationFraction)") }
        guard corpus.maximumEvaluationSequences >= 0 else { throw fail("maximumEvaluationSequences (--eval-max)", "must not be negative") }
        guard masking.probability > 0 && masking.probability <= 1 else { throw fail("masking.probability (--mask-prob)", "must be in (0, 1], got \(masking.probability)") }
        guard masking.maskShare >= 0, masking.randomShare >= 0, masking.maskShare + masking.randomShare <= 1 else {
            throw fail("masking.maskShare/randomShare", "must be non-negative and sum to at most 1, got \(masking.maskShare) + \(masking.randomShare)")
        }
        guard batchSize > 0 else { throw fail("batchSize (--batch)", "must be positive, got \(batchSize)") }
        guard accumulationSteps > 0 else { throw fail("accumulationSteps (--accumulate)", "must be positive, got \(accumulationSteps)") }
        guard lengthGroupSize > 0 else { throw fail("lengthGroupSize (--group)", "must be positive, got \(lengthGroupSize)") }
        guard steps > 0 else { throw fail("steps (--steps)", "must be positive, got \(steps)") }
        guard peakLearningRate.isFinite && peakLearningRate > 0 else { throw fail("peakLearningRate (--lr)", "must be a positive number, got \(peakLearningRate)") }
        guard warmupSteps >= 0 else { throw fail("warmupSteps (--warmup)", "must not be negative, got \(warmupSteps)") }
        guard minimumLearningRate >= 0 && minimumLearningRate <= peakLearningRate else {
            throw fail("minimumLearningRate (--min-lr)", "must be in [0, peak rate \(peakLearningRate)], got \(minimumLearningRate)")
        }
        guard (0..<1).contains(optimizer.beta1), (0..<1).contains(optimizer.beta2) else { throw fail("optimizer.beta1/beta2", "must be in [0, 1)") }
        guard optimizer.epsilon > 0, optimizer.weightDecay >= 0 else { throw fail("optimizer.epsilon/weightDecay (--weight-decay)", "epsilon must be positive and weight decay non-negative") }
        if let maxGradientNorm, !(maxGradientNorm > 0 && maxGradientNorm.isFinite) { throw fail("maxGradientNorm (--clip)", "must be positive (0 on the command line turns clipping off), got \(maxGradientNorm)") }
        if let freezeEmbeddingSteps, freezeEmbeddingSteps < 0 { throw fail("freezeEmbeddingSteps (--freeze-embeddings-steps)", "must not be negative, got \(freezeEmbeddingSteps)") }
        if let contrastive {
            guard contrastive.weight.isFinite && contrastive.weight > 0 else { throw fail("contrastive.weight (--contrastive-weight)", "must be a positive number, got \(contrastive.weight)") }
            guard contrastive.temperature.isFinite && contrastive.temperature > 0 else { throw fail("contrastive.temperature (--temperature)", "must be a positive number, got \(contrastive.temperature)") }
            guard batchSize >= 2 else { throw fail("batchSize (--batch)", "must be at least 2 with the contrastive term (the other sequences are its negatives)") }
        }
        if let distillation {
            guard distillation.weight.isFinite && distillation.weight > 0 else { throw fail("distillation.weight (--distill-weight)", "must be a positive number, got \(distillation.weight)") }
        }
        guard evaluateEvery >= 0 else { throw fail("evaluateEvery (--eval-every)", "must not be negative") }
        guard checkpointEvery >= 0 else { throw fail("checkpointEvery (--checkpoint-every)", "must not be negative") }
    }
}
