// PretrainingTrainer: one optimiser step of masked-LM pretraining, and the state that makes a run
// resumable bit for bit. A step is
//   for each of k micro-batches: draw B sequences (EpochPlan), mask them (DynamicMasker), forward,
//       L_j = mean cross-entropy at the masked positions, backward with seed 1/k (so the summed
//       gradient is that of (1/k) Σ_j L_j, as HF Trainer's gradient accumulation);
//   check the loss and every gradient for NaN/Inf; clip the global norm; AdamW at lr(step); zero.
// Everything random comes from one SeededGenerator in `state` (masks, then dropout, per
// micro-batch) and from the epoch plans (a function of seed and epoch), so the checkpointed state
// (weights, AdamW moments, step, epoch, batch index, generator) determines the rest of the run.
// Reference: Devlin et al. (2019); Liu et al. (2019) for dynamic masking; HF Trainer's loop.
// Not handled: several processes (data parallelism); mixed precision; loss scaling.

import Autograd
import Encoder
import Foundation
import NeuralNetwork
import StaticVectorInitialization
import TensorCore

/// Where a run is: everything besides weights and optimiser moments that a resume needs.
public struct TrainerState: Codable, Equatable, Sendable {
    /// Optimiser steps done.
    public var step = 0
    /// The epoch of the next micro-batch, and its index in that epoch's plan.
    public var epoch = 0
    public var batchInEpoch = 0
    /// Masks and dropout draw from here.
    public var generator: SeededGenerator
    /// Real (non-padding) tokens trained on so far.
    public var tokensSeen = 0
    /// Wall-clock seconds spent in training steps so far (not evaluation or checkpoints).
    public var trainingSeconds = 0.0

    public init(seed: UInt64) {
        generator = SeededGenerator(seed: seed)
    }
}

extension TrainerState {
    /// The next batch of the data order, moving to the next epoch when this one's plan is used
    /// up; `plan` gives the plan of the epoch the state is in.
    public mutating func advance(plan: (TrainerState) -> EpochPlan) -> ArraySlice<Int32> {
        var current = plan(self)
        if batchInEpoch >= current.batchCount {
            epoch += 1
            batchInEpoch = 0
            current = plan(self)
        }
        defer { batchInEpoch += 1 }
        return current.batch(batchInEpoch)
    }
}

/// What one optimiser step did.
public struct StepReport: Codable, Equatable, Sendable {
    /// The step just taken (1-based).
    public var step: Int
    /// (1/k) Σ_j L_j over the k micro-batches: the masked-LM loss.
    public var loss: Float
    /// The mean contrastive term when `configuration.contrastive` is set (its weight not applied).
    public var contrastiveLoss: Float? = nil
    /// The mean distillation term when `configuration.distillation` is set (its weight not applied).
    public var distillationLoss: Float? = nil
    /// The learning rate of this update.
    public var learningRate: Float
    /// ‖g‖₂ over all parameters, before clipping.
    public var gradientNorm: Float
    /// Share of masked positions whose argmax prediction was the original token.
    public var accuracy: Float
    public var tokens: Int
    public var paddingTokens: Int
    public var maskedTokens: Int
    public var seconds: Double
}

/// Trains a `MaskedLanguageModel` on a `PretrainingCorpus`.
///
/// ```swift
/// let trainer = try PretrainingTrainer(model: model, corpus: corpus, masker: masker, configuration: configuration)
/// while trainer.state.step < configuration.steps { print(try trainer.step().loss) }
/// ```
public final class PretrainingTrainer {
    public let model: MaskedLanguageModel
    public let configuration: PretrainingConfiguration
    public let corpus: PretrainingCorpus
    public let masker: DynamicMasker
    public let optimizer: AdamW
    /// The token embedding's own AdamW when it is frozen for the first steps or trained through
    /// the static layer (PretrainingTrainer+Embedding.swift); nil when `optimizer` holds it.
    public let embeddingOptimizer: AdamW?
    /// The static layer, when the run trains the embedding as E = R + S·Pᵀ.
    public let staticLayer: StaticEmbeddingLayer?
    public internal(set) var state: TrainerState
    /// Every evaluation of the run so far (kept in checkpoints: the held-out curve).
    public internal(set) var evaluations: [EvaluationReport] = []
    /// The plan of `state.epoch`, made when first needed.
    private var plans: EpochPlans
    /// Held-out batches with fixed masks, made on the first evaluation.
    var evaluationBatches: [MaskedBatch]?
    /// The teacher of the distillation term; required when `configuration.distillation` is set.
    public var teacher: SentenceTeacher?

    /// - Throws: `PretrainingError` for a bad configuration or a corpus smaller than one batch.
    public convenience init(model: MaskedLanguageModel, corpus: PretrainingCorpus, masker: DynamicMasker,
                            configuration: PretrainingConfiguration, state: TrainerState? = nil) throws {
        try self.init(model: model, corpus: corpus, masker: masker, configuration: configuration, state: state, staticLayer: nil)
    }

    /// - Parameters:
    ///   - staticLayer: required when `configuration.staticLayer` is true (the model's table is
    ///     then set to its E), nil otherwise.
    /// - Throws: `PretrainingError` for a bad configuration or a corpus smaller than one batch.
    public init(model: MaskedLanguageModel, corpus: PretrainingCorpus, masker: DynamicMasker,
                configuration: PretrainingConfiguration, state: TrainerState?, staticLayer: StaticEmbeddingLayer?) throws {
        try configuration.validate()
        guard corpus.train.count >= configuration.batchSize else {
            throw PretrainingError.corpusTooSmall(sequences: corpus.train.count, batchSize: configuration.batchSize)
        }
        let longest = (0..<corpus.train.count).reduce(0) { max($0, corpus.train.length(of: $1)) }
        guard longest <= model.encoder.config.maxPositions else {
            throw PretrainingError.invalidConfiguration(field: "sequenceLength (--seq)",
                problem: "gives sequences of \(longest) tokens but the model has \(model.encoder.config.maxPositions) positions (max_position_embeddings)")
        }
        guard masker.vocabularySize <= model.encoder.config.vocabularySize else {
            throw PretrainingError.invalidConfiguration(field: "vocab_size",
                problem: "is \(model.encoder.config.vocabularySize) in the model config but the tokenizer has \(masker.vocabularySize) ids")
        }
        self.model = model
        self.corpus = corpus
        self.masker = masker
        self.configuration = configuration
        self.state = state ?? TrainerState(seed: configuration.seed)
        try PretrainingTrainer.checkStaticLayer(staticLayer, model: model, configuration: configuration)
        self.staticLayer = staticLayer
        (optimizer, embeddingOptimizer) = PretrainingTrainer.makeOptimizers(model: model, configuration: configuration, staticLayer: staticLayer)
        if let staticLayer {
            model.encoder.embeddings.token.weight.requiresGradient = false   // derived from R and P from now on
            model.encoder.embeddings.token.weight.value = staticLayer.foldedTable()
        }
        plans = EpochPlans(lengths: (0..<corpus.train.count).map { corpus.train.length(of: $0) },
                           batchSize: configuration.batchSize, groupSize: configuration.lengthGroupSize, seed: configuration.seed)
    }

    /// The epoch plan in use (made on demand).
    public func epochPlan() -> EpochPlan {
        epochPlan(epoch: state.epoch)
    }

    /// The plan of `epoch` (kept until another epoch's is asked for).
    func epochPlan(epoch: Int) -> EpochPlan {
        plans.plan(epoch: epoch)
    }

    // MARK: - Data

    /// The next micro-batch of the data order, freshly masked; advances the data position and the generator.
    public func nextMicroBatch() -> MaskedBatch {
        let sequences = state.advance { epochPlan(epoch: $0.epoch) }.map { corpus.train[Int($0)] }
        var maskGenerator = state.generator.split()
        return masker.batch(sequences, generator: &maskGenerator)
    }

    // MARK: - One step

    /// Draws `accumulationSteps` micro-batches and takes one optimiser step on them.
    public func step() throws -> StepReport {
        let batches = (0..<configuration.accumulationSteps).map { _ in nextMicroBatch() }
        return try step(with: batches)
    }

    /// One optimiser step on the given micro-batches (their gradients averaged).
    ///
    /// - Throws: `PretrainingError.nonFiniteLoss` / `.nonFiniteGradient` before any update is made.
    /// - Complexity: k forward and backward passes, one clip and one AdamW update.
    public func step(with batches: [MaskedBatch]) throws -> StepReport {
        precondition(!batches.isEmpty, "step(with:): no micro-batches")
        let start = monotonicSeconds()
        let stepNumber = state.step + 1
        let learningRate = configuration.schedule.rate(at: state.step)
        prepareEmbedding()
        let parameters = trainedParameters
        for entry in parameters { entry.parameter.zeroGradient() }
        let seed = Tensor(scalar: 1 / Float(batches.count))
        var lossSum: Float = 0, contrastiveSum: Float = 0, distillationSum: Float = 0
        var correct = 0, masked = 0, tokens = 0, padding = 0
        for (index, batch) in batches.enumerated() where !batch.targets.isEmpty {
            masked += batch.targets.count
            tokens += batch.tokenCount
            padding += batch.paddingCount
            guard configuration.contrastive != nil || configuration.distillation != nil else {
                // MLM alone: one run of sequences per thread, each on its own tape (DataParallelStep.swift).
                // (A local copy of the generator: `bindEmbedding` reads `state` while the passes run.)
                var generator = state.generator
                let result = maskedLMPasses(model: model, batch: batch, parts: Threads.count, scale: seed.scalar,
                                            generator: &generator, bind: bindEmbedding(in:))
                state.generator = generator
                if let value = result.nonFinite {
                    throw PretrainingError.nonFiniteLoss(step: stepNumber, microBatch: index + 1, value: value)
                }
                lossSum += result.loss
                correct += result.correct
                continue
            }
            // A sentence term compares each sequence with the rest of the batch: one tape for all.
            let context = ForwardContext.training(generator: state.generator.split())
            bindEmbedding(in: context)
            let (mlmLoss, logits, output) = model.loss(batch.input, maskedPositions: batch.maskedPositions, targets: batch.targets, context: context)
            var loss = mlmLoss
            // The clean copy (every masked position given back its token), pooled.
            let cleanSequences = batch.unmaskedSequences()
            let clean = EncoderInput(sequences: cleanSequences, padId: masker.special.padding)
            let cleanPooled = maskedMeanPooling(model.encoder(clean, context: context).hidden, mask: clean.mask)
            if let contrastive = configuration.contrastive {
                // ContrastiveObjective.swift: the clean copy must pick out its masked twin.
                let term = contrastiveLoss(anchors: maskedMeanPooling(output.hidden, mask: batch.input.mask),
                                           positives: cleanPooled, temperature: contrastive.temperature)
                contrastiveSum += term.value.scalar
                loss = loss + contrastive.weight * term
            }
            if let distillation = configuration.distillation {
                // DistillationObjective.swift: the clean copy must point where its averaged word vectors do.
                guard let teacher else {
                    throw PretrainingError.invalidConfiguration(field: "distillation (--distill-vectors)", problem: "is set but the trainer was given no teacher")
                }
                let term = distillationLoss(pooled: cleanPooled, teacher: try teacher.targets(for: cleanSequences))
                distillationSum += term.value.scalar
                loss = loss + distillation.weight * term
            }
            guard loss.value.scalar.isFinite else {
                throw PretrainingError.nonFiniteLoss(step: stepNumber, microBatch: index + 1, value: loss.value.scalar)
            }
            context.tape!.backward(from: loss, seed: seed)
            context.accumulateGradients()
            lossSum += mlmLoss.value.scalar
            correct += countCorrect(logits.value, targets: batch.targets)
        }
        if let name = firstNonFiniteGradient(parameters) {
            throw PretrainingError.nonFiniteGradient(step: stepNumber, tensor: name)
        }
        let gradients = parameters.map(\.parameter)
        let norm = configuration.maxGradientNorm.map { clipGradientNorm(gradients, maxNorm: $0) } ?? globalNorm(gradients)
        optimizer.update(learningRate: learningRate)
        updateEmbedding(learningRate: learningRate)
        for entry in parameters { entry.parameter.zeroGradient() }
        // Every step frees and re-makes about the same activations: keep them (BufferPool.swift).
        BufferPool.shared.raiseLimitToPeakLive()

        let seconds = monotonicSeconds() - start
        state.step = stepNumber
        state.tokensSeen += tokens
        state.trainingSeconds += seconds
        return StepReport(step: stepNumber, loss: lossSum / Float(batches.count),
                          contrastiveLoss: configuration.contrastive == nil ? nil : contrastiveSum / Float(batches.count),
                          distillationLoss: configuration.distillation == nil ? nil : distillationSum / Float(batches.count), learningRate: learningRate, gradientNorm: norm,
                          accuracy: masked == 0 ? 0 : Float(correct) / Float(masked), tokens: tokens, paddingTokens: padding,
                          maskedTokens: masked, seconds: seconds)
    }

    // MARK: - Checks

    /// The name of the first parameter whose gradient holds NaN or ±Inf, if any.
    public func firstNonFiniteGradient(_ parameters: [NamedParameter]) -> String? {
        Pretraining.firstNonFiniteGradient(parameters)
    }

    /// ‖g‖₂ over every parameter with a gradient (when clipping is off).
    func globalNorm(_ parameters: [Parameter]) -> Float {
        globalGradientNorm(parameters)
    }
}

/// The name of the first parameter whose gradient holds NaN or ±Inf, if any.
public func firstNonFiniteGradient(_ parameters: [NamedParameter]) -> String? {
    for entry in parameters {
        guard let gradient = entry.parameter.gradient else { continue }
        let finite = gradient.withUnsafeBufferPointer { values in
            var sum: Float = 0
            for value in values { sum += value * 0 }  // 0·x is 0 for finite x, NaN for NaN or ±Inf
            return sum == 0
        }
        if !finite { return entry.name }
    }
    return nil
}

/// ‖g‖₂ over every parameter with a gradient.
func globalGradientNorm(_ parameters: [Parameter]) -> Float {
    var squares: Double = 0
    for parameter in parameters {
        parameter.gradient?.withUnsafeBufferPointer { values in
            for value in values { squares += Double(value) * Double(value) }
        }
    }
    return Float(squares.squareRoot())
}

/// How many rows of `logits` [N, V] have their largest entry at the target (first maximum wins).
func countCorrect(_ logits: Tensor, targets: [Int]) -> Int {
    let classes = logits.shape[1]
    return logits.withUnsafeBufferPointer { values in
        var correct = 0
        for (row, target) in targets.enumerated() {
            // The argmax is the first column holding the row's maximum.
            let line = values.baseAddress! + row * classes
            let best = CrossEntropyOp.rowMaximum(line, classes)
            if line[target] == best && !(0..<target).contains(where: { line[$0] == best }) { correct += 1 }
        }
        return correct
    }
}
