// Data-parallel masked-LM micro-batches: the batch's sequences are split into `parts` contiguous
// runs, and each part runs its own forward and backward pass (its own tape and dropout stream) on
// a thread of its own, single-threaded inside, instead of every op being split across threads
// with a wait at its end. The parts' gradients are then added into the parameters one part after
// another, in order. The MLM loss is a mean over the batch's masked positions, so part i's pass
// is seeded with n_i / N (its share of them): the gradient is the whole batch's, summed in another
// order (equal to rounding; test `dataParallelStepMatchesTheWholeBatch`). A run depends on the
// number of parts, which the trainer takes from the thread count, as it already did through
// the parallel reductions: `--resume` stays bit-identical for the same thread count. Each pass
// is `MaskedLanguageModel.maskedPositionsLoss`: the last block runs at the masked rows only.
// Not handled: the contrastive and distillation terms (their in-batch comparisons need the whole
// batch on one tape; the trainer does not split such steps).

import Autograd
import Encoder
import NeuralNetwork
import TensorCore

/// What the passes of one micro-batch gave.
public struct MicroBatchResult {
    /// The batch's mean MLM loss (Σ n_i·L_i / N).
    public var loss: Float = 0
    /// The loss of the first part whose loss was not finite (then no gradient was added).
    public var nonFinite: Float?
    /// Masked positions whose highest logit is the target.
    public var correct = 0
}

extension MaskedBatch {
    /// Sequences `range`, with the masked positions renumbered into the smaller batch.
    public func rows(_ range: Range<Int>) -> MaskedBatch {
        let length = input.length
        let flat = range.lowerBound * length..<range.upperBound * length
        var positions: [Int] = [], kept: [Int] = []
        for (position, target) in zip(maskedPositions, targets) where flat.contains(position) {
            positions.append(position - flat.lowerBound)
            kept.append(target)
        }
        return MaskedBatch(input: input.rows(range), maskedPositions: positions, targets: kept)
    }
}

/// Forward and backward of `batch` in `parts` runs of sequences (1: the whole batch on one tape),
/// each pass seeded with `scale` × its share of the masked positions; then every part's
/// gradients go into the parameters, in part order. Nothing is added when a loss is not finite.
///
/// - Parameters:
///   - generator: split once per part for its dropout.
///   - bind: called on each part's context before its pass, on that part's thread (several may
///     run at once): the trainer's embedding binding, which only reads shared state.
public func maskedLMPasses(model: MaskedLanguageModel, batch: MaskedBatch, parts requested: Int, scale: Float,
                           generator: inout SeededGenerator, bind: (ForwardContext) -> Void = { _ in }) -> MicroBatchResult {
    let parts = max(1, min(requested, batch.input.batch))
    let pieces = parts == 1 ? [batch] : (0..<parts).map { batch.rows(chunkRange($0, of: parts, count: batch.input.batch)) }
    let contexts = pieces.map { _ in ForwardContext.training(generator: generator.split()) }
    let total = Float(batch.targets.count)
    let losses = UnsafeMutablePointer<Float>.allocate(capacity: parts)
    let correct = UnsafeMutablePointer<Int>.allocate(capacity: parts)
    losses.initialize(repeating: 0, count: parts)
    correct.initialize(repeating: 0, count: parts)
    defer { losses.deallocate(); correct.deallocate() }
    // One part per thread; with fewer threads a chunk runs its parts one after the other.
    parallelFor(parts) { _, range in
        for index in range where !pieces[index].targets.isEmpty {
            let piece = pieces[index], context = contexts[index]
            bind(context)   // on this part's thread: each tape builds its own copy of what is bound
            let (loss, logits) = model.maskedPositionsLoss(piece.input, maskedPositions: piece.maskedPositions,
                                                           targets: piece.targets, context: context)
            losses[index] = loss.value.scalar
            correct[index] = countCorrect(logits.value, targets: piece.targets)
            guard losses[index].isFinite else { continue }
            let share = Float(piece.targets.count) / total
            context.tape!.backward(from: loss, seed: Tensor(scalar: scale * share))
        }
    }
    var result = MicroBatchResult()
    for index in 0..<parts where !pieces[index].targets.isEmpty {
        if !losses[index].isFinite, result.nonFinite == nil { result.nonFinite = losses[index] }
        // One part: its loss as it is (n/N · L can differ from L in the last bit).
        result.loss += parts == 1 ? losses[index] : losses[index] * Float(pieces[index].targets.count) / total
        result.correct += correct[index]
    }
    if result.nonFinite == nil { for context in contexts { context.accumulateGradients() } }
    return result
}
