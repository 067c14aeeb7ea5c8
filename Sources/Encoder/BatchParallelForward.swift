// Batch-parallel inference: with several threads and several sequences, each thread runs the
// whole forward pass on its own share of the sequences, single-threaded inside, instead of all
// threads meeting at every op. A 4-layer forward has about 60 ops; splitting each op costs a
// hand-off and a wait at its end, and a thread that finishes its share of an op early idles
// until the other catches up. Whole sequences per thread need neither, and read the same packed
// weights. The result is bit-identical to the op-parallel pass: every output element is
// computed by the same arithmetic in the same order whichever rows a GEMM or row kernel is
// given (test `sequenceParallelForwardEqualsTheWholeBatch`).
// Not handled: training and traced passes (the tape and the recorder are one per pass), a single
// sequence or a few dozen tokens a thread (they split each op as before); with fewer sequences
// than threads, the threads beyond one per sequence stay idle.

import Autograd
import NeuralNetwork
import TensorCore

extension TransformerEncoder {
    /// Runs `input` as one pass per thread over contiguous runs of sequences and joins the
    /// results along the batch axis; nil when the pass cannot or need not be split.
    func forwardBySequences(_ input: EncoderInput, masked: Bool, context: ForwardContext) -> EncoderOutput? {
        guard context.isPlainInference, input.batch > 1 else { return nil }
        // One run of sequences per thread (at most one per sequence). Small batches gain the most
        // (their ops are too short to split well); only a pass of a few dozen tokens a thread is
        // not worth the hand-off.
        let parts = chunkCount(for: input.batch)
        guard parts > 1, input.batch * input.length / parts >= 32 else { return nil }
        let results = UnsafeMutablePointer<EncoderOutput?>.allocate(capacity: parts)
        results.initialize(repeating: nil, count: parts)
        defer { results.deinitialize(count: parts); results.deallocate() }
        parallelFor(input.batch) { chunk, range in   // the same `parts` chunks, in batch order
            // Inside a parallelFor chunk every inner parallelFor runs serially (Parallel.swift).
            results[chunk] = forward(input.rows(range), masked: masked, context: .inference())
        }
        let outputs = (0..<parts).compactMap { results[$0] }
        let hidden = joinBatches(outputs.map(\.hidden.value))
        // The probabilities (B·H·T² floats a layer) are joined only if someone reads them.
        let parted = outputs.map(\.attention), layerCount = layers.count
        let partedStates = outputs.map(\.hiddenStates)
        return EncoderOutput(hidden: Variable(constant: hidden), deferredAttention: {
            (0..<layerCount).map { layer in joinBatches(parted.map { $0[layer] }) }
        }, deferredHiddenStates: {
            (0...layerCount).map { layer in joinBatches(partedStates.map { $0[layer] }) }
        })
    }
}

/// Tensors [b_i, …] with equal trailing shapes, joined into [Σ b_i, …] in order.
private func joinBatches(_ parts: [Tensor]) -> Tensor {
    let rowShape = Array(parts[0].shape.dropFirst())
    var joined = Tensor(uninitializedShape: [parts.reduce(0) { $0 + $1.shape[0] }] + rowShape)
    joined.withUnsafeMutableBufferPointer { target in
        var offset = 0
        for part in parts {
            precondition(Array(part.shape.dropFirst()) == rowShape, "joinBatches: shapes \(part.shape) and \(rowShape) differ")
            part.withUnsafeBufferPointer { source in
                target.baseAddress!.advanced(by: offset).update(from: source.baseAddress!, count: source.count)
                offset += source.count
            }
        }
    }
    return joined
}
