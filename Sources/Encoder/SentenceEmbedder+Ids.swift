// Sentence vectors for inputs that are already token ids: what distillation needs (a teacher run
// on single tokens, or on a corpus tokenised once). Same batching, pooling and Dense modules as
// `embed`; normalisation is the caller's choice.
// Not handled: truncation (the ids are taken as they are; too long a sequence is an error).

import Autograd
import Foundation
import TensorCore

extension SentenceEmbedder {
    /// One vector per id sequence, in order: pooled, through the Dense modules, then L2-normalised
    /// when `normalize` is set.
    ///
    /// - Parameters:
    ///   - sequences: token ids with their special tokens, each at most `config.maxPositions` long.
    ///   - progress: told how many sequences are done, after each batch.
    /// - Throws: `EncoderInputError` for an id outside the vocabulary or a sequence too long.
    public func pooledVectors(_ sequences: [[Int]], normalize: Bool, batchSize: Int? = nil,
                              progress: (Int) -> Void = { _ in }) throws -> [[Float]] {
        var result = [[Float]](repeating: [], count: sequences.count)
        var done = 0
        var embedder = self  // a copy with its own batch size; the model is shared
        if let batchSize { embedder.batchSize = batchSize }
        try embedder.forEachBatch(sequences) { indices, input, hidden in
            var pooled = Pooling(pooling.strategy)(Variable(constant: hidden), mask: input.mask).value  // [B, C]
            for module in dense { pooled = module(pooled) }
            if normalize { pooled = l2Normalize(Variable(constant: pooled)).value }
            let width = pooled.shape[1]
            let values = pooled.scalars
            for (row, index) in indices.enumerated() { result[index] = Array(values[(row * width)..<((row + 1) * width)]) }
            done += indices.count
            progress(done)
        }
        return result
    }
}
