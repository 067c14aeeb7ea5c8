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
public struct MicroBatchResult: Sendable {
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
    let total = Float(batch.targets.count)
    let correct = UnsafeMutablePointer<Int>.allocate(capacity: parts)
    correct.initialize(repeating: 0, count: parts)
    defer { correct.deallocate() }
    let losses = dataParallelPasses(parts: parts, scale: scale, generator: &generator) { index, context in
        let piece = pieces[index]
        guard !piece.targets.isEmpty else { return nil }
        bind(context)   // on this part's thread: each tape builds its own copy of what is bound
        let (loss, logits) = model.maskedPositionsLoss(piece.input, maskedPositions: piece.maskedPositions,
                                                       targets: piece.targets, context: context)
        correct[index] = countCorrect(logits.value, targets: piece.targets)
        return (loss, Float(piece.targets.count) / total)
    }
    var result = MicroBatchResult()
    for index in 0..<parts {
        guard let loss = losses.values[index] else { continue }
        // One part: its loss as it is (n/N · L can differ from L in the last bit).
        result.loss += parts == 1 ? loss : loss * Float(pieces[index].targets.count) / total
        result.correct += correct[index]
    }
    result.nonFinite = losses.nonFinite
    return result
}

/// What `dataParallelPasses` gave: each part's loss (nil for a part that had nothing to do) and
/// the first loss that was not finite (then no gradient was added).
public struct PartLosses: Sendable {
    public var values: [Float?]
    public var nonFinite: Float?
}

/// The data-parallel skeleton of a training micro-batch: `parts` passes, each on a thread and a
/// tape of its own (its context made from one split of `generator`), each seeded with `scale` ×
/// the share `pass` returns with its loss; then, if every loss was finite, every part's gradients
/// are added into the parameters in part order (so a run is the same for the same part count).
///
/// - Parameters:
///   - pass: part index and its training context → the part's loss and its share of the whole,
///     or nil when the part has nothing to do. It runs on the part's thread.
public func dataParallelPasses(parts: Int, scale: Float, generator: inout SeededGenerator,
                               pass: (Int, ForwardContext) -> (loss: Variable, share: Float)?) -> PartLosses {
    let contexts = (0..<parts).map { _ in ForwardContext.training(generator: generator.split()) }
    let losses = UnsafeMutablePointer<Float?>.allocate(capacity: parts)
    losses.initialize(repeating: nil, count: parts)
    defer { losses.deinitialize(count: parts); losses.deallocate() }
    // One part per thread; with fewer threads a chunk runs its parts one after the other.
    parallelFor(parts) { _, range in
        for index in range {
            let context = contexts[index]
            guard let (loss, share) = pass(index, context) else { continue }
            losses[index] = loss.value.scalar
            guard loss.value.scalar.isFinite else { continue }
            context.tape!.backward(from: loss, seed: Tensor(scalar: scale * share))
        }
    }
    let values = (0..<parts).map { losses[$0] }
    let nonFinite = values.compactMap { $0 }.first { !$0.isFinite }
    if nonFinite == nil { for context in contexts { context.accumulateGradients() } }
    return PartLosses(values: values, nonFinite: nonFinite)
}
