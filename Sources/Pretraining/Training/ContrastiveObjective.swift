// ContrastiveObjective: an optional sentence-level term added to the masked-LM loss, in the
// manner of SimCSE (Gao, Yao & Chen, 2021, "unsupervised SimCSE" with its "w/ MLM" auxiliary).
// For a batch of B sequences the trainer already runs the encoder on the masked copy; it runs it
// once more on the clean copy (other dropout draws) and mean-pools both:
//     a_i = pool(h_masked)_i,  b_i = pool(h_clean)_i,   â = a/‖a‖, b̂ = b/‖b‖
//     S_ij = â_i · b̂_j / τ                        (cosine similarities over a temperature)
//     L_con = (1/B) Σ_i −log softmax_j(S_ij)[j = i]  (each sequence must pick out its own twin)
//     L = L_mlm + λ · L_con
// The other B − 1 sequences of the batch are the negatives. Every piece is an existing op
// (masked mean pooling, L2 normalisation, matmul, scale, cross-entropy), so the backward pass is
// theirs and the whole term is covered by their finite-difference checks; the test here checks
// the value against a hand computation.
// Why: masked-LM training alone, at a one-machine budget, gives pooled vectors that a linear
// probe reads worse than averaged word vectors; the contrastive term makes the pooled vector
// itself the thing trained (Docs/Pretraining.md, "Sentence vectors").
// Not handled: supervised pairs (NLI), hard negatives, the symmetric (b → a) direction, a
// projection head between pooling and the loss.

import Autograd
import Encoder
import TensorCore

/// The weight and temperature of the contrastive term; nil in `PretrainingConfiguration` turns it off.
public struct ContrastiveObjective: Codable, Equatable, Sendable {
    /// λ in L = L_mlm + λ · L_con.
    public var weight: Float = 1
    /// τ, the softmax temperature over cosine similarities (SimCSE: 0.05).
    public var temperature: Float = 0.05

    public init(weight: Float = 1, temperature: Float = 0.05) {
        self.weight = weight
        self.temperature = temperature
    }
}

/// InfoNCE over in-batch negatives: row i of `anchors` [B, C] must be closest (in cosine) to row i
/// of `positives` [B, C]. Returns the mean cross-entropy (a scalar).
public func contrastiveLoss(anchors: Variable, positives: Variable, temperature: Float) -> Variable {
    precondition(anchors.value.shape == positives.value.shape && anchors.value.rank == 2,
                 "contrastiveLoss: anchors \(anchors.value.shape) and positives \(positives.value.shape) must both be [B, C]")
    let similarities = matmul(l2Normalize(anchors), l2Normalize(positives), transposeB: true)   // [B, B]
    return crossEntropy(logits: scale(similarities, by: 1 / temperature), targets: Array(0..<anchors.value.shape[0]))
}

extension MaskedBatch {
    /// The same sequences with every masked position given back its original id, unpadded.
    public func unmaskedSequences() -> [[Int]] {
        var ids = input.ids
        for (position, target) in zip(maskedPositions, targets) { ids[position] = target }
        return (0..<input.batch).map { row in Array(ids[(row * input.length)..<(row * input.length + input.lengths[row])]) }
    }

    /// The clean view as an encoder input.
    public func unmaskedInput(padId: Int) -> EncoderInput {
        EncoderInput(sequences: unmaskedSequences(), padId: padId)
    }
}
