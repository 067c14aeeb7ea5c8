// PretrainingError: what stops a pretraining run, each case saying where and how to fix it:
// a non-finite loss or gradient (with the step and the tensor), a corpus too small for one batch,
// a checkpoint that does not match the run being resumed, a bad configuration field.
// Not handled: file-format problems, which are TensorCore's FileError (file, field, fix).

/// Why pretraining stopped or could not start.
public enum PretrainingError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The loss of micro-batch `microBatch` at optimiser step `step` (1-based) was NaN or ±Inf.
    case nonFiniteLoss(step: Int, microBatch: Int, value: Float)
    /// The gradient of parameter `tensor` held NaN or ±Inf at optimiser step `step`.
    case nonFiniteGradient(step: Int, tensor: String)
    /// The corpus yields fewer training sequences than one batch.
    case corpusTooSmall(sequences: Int, batchSize: Int)
    /// The checkpoint at `path` cannot continue this run.
    case checkpointMismatch(path: String, field: String, problem: String)
    /// A configuration field is out of range.
    case invalidConfiguration(field: String, problem: String)

    public var description: String {
        switch self {
        case let .nonFiniteLoss(step, microBatch, value):
            return "step \(step): the loss of micro-batch \(microBatch) is \(value); training stopped before the update. "
                + "Lower the learning rate (--lr) or raise the warm-up (--warmup), then resume from the last checkpoint (--resume)"
        case let .nonFiniteGradient(step, tensor):
            return "step \(step): the gradient of \(tensor) holds NaN or Inf; training stopped before the update. "
                + "Lower the learning rate (--lr) or clip gradients (--clip 1), then resume from the last checkpoint (--resume)"
        case let .corpusTooSmall(sequences, batchSize):
            return "the corpus gives \(sequences) training sequences, fewer than one batch of \(batchSize); use a smaller --batch or a larger corpus"
        case let .checkpointMismatch(path, field, problem):
            return "\(path): \(field): \(problem). Resume with the same corpus, tokenizer and options, or start a new run in another --out folder"
        case let .invalidConfiguration(field, problem):
            return "\(field) \(problem)"
        }
    }
}
