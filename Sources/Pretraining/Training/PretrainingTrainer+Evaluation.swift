// Held-out evaluation: the masked-LM loss, masked-token accuracy and perplexity on sequences the
// model never trains on. The held-out masks are drawn once, from a fixed seed, so every
// evaluation of a run (and of runs with other seeds) scores the same positions; evaluating
// never touches the training generator, so it cannot change the training trajectory.
//   loss = (Σ over all masked tokens of −log p(target)) / (masked tokens),  perplexity = e^loss.
// Reference: HF run_mlm.py's eval_loss and perplexity = exp(eval_loss).
// Not handled: per-token-type breakdowns; evaluation on a second corpus (load it as another trainer).

import Autograd
import Encoder
import Foundation
import NeuralNetwork
import TensorCore

/// One evaluation on the held-out sequences.
public struct EvaluationReport: Codable, Equatable, Sendable {
    /// The optimiser step the model had taken.
    public var step: Int
    /// Mean cross-entropy per masked token (nats).
    public var loss: Double
    /// Share of masked tokens predicted exactly (argmax).
    public var accuracy: Double
    /// e^loss.
    public var perplexity: Double
    public var maskedTokens: Int
    public var sequences: Int
}

extension PretrainingTrainer {
    /// The seed of the held-out masks: fixed, independent of the run's seed.
    static let evaluationMaskSeed: UInt64 = 0xE7A1_5EED

    /// Scores the held-out sequences with fixed masks (no dropout, no tape).
    ///
    /// - Returns: nil when the corpus held nothing out.
    /// - Complexity: one inference forward pass over the held-out sequences.
    public func evaluate() -> EvaluationReport? {
        let batches = heldOutBatches()
        guard !batches.isEmpty else { return nil }
        var totalLoss: Double = 0
        var correct = 0, masked = 0
        for batch in batches where !batch.targets.isEmpty {
            let (loss, logits, _) = model.loss(batch.input, maskedPositions: batch.maskedPositions, targets: batch.targets,
                                               context: .inference())
            totalLoss += Double(loss.value.scalar) * Double(batch.targets.count)
            correct += countCorrect(logits.value, targets: batch.targets)
            masked += batch.targets.count
        }
        let loss = masked == 0 ? 0 : totalLoss / Double(masked)
        return EvaluationReport(step: state.step, loss: loss, accuracy: masked == 0 ? 0 : Double(correct) / Double(masked),
                                perplexity: exp(loss), maskedTokens: masked, sequences: corpus.evaluation.count)
    }

    /// The held-out sequences sorted by length (little padding), in batches of `batchSize`, masked once.
    func heldOutBatches() -> [MaskedBatch] {
        if let evaluationBatches { return evaluationBatches }
        let sequences = corpus.evaluation
        let order = (0..<sequences.count).sorted { (sequences.length(of: $0), $0) < (sequences.length(of: $1), $1) }
        var generator = SeededGenerator(seed: PretrainingTrainer.evaluationMaskSeed)
        var batches: [MaskedBatch] = []
        var start = 0
        while start < order.count {
            let members = order[start..<min(start + configuration.batchSize, order.count)]
            batches.append(masker.batch(members.map { sequences[$0] }, generator: &generator))
            start += members.count
        }
        evaluationBatches = batches
        return batches
    }
}
