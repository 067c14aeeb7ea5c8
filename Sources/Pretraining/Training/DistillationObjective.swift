// DistillationObjective: an optional sentence-level term that pulls the encoder's mean-pooled
// vector of each clean sequence towards a teacher vector, the average of static word vectors over
// the sequence's words (the seeds' averaged-word-vector sentence embedding), in the manner of
// embedding distillation (Reimers & Gurevych, 2020, "Making monolingual sentence embeddings
// multilingual using knowledge distillation", MSE to a teacher's vectors):
//     p_i = pool(h_clean)_i,   â_i = p_i/‖p_i‖,   t̂_i = t_i/‖t_i‖   (t_i: the teacher's vector)
//     L_dis = (1/B) Σ_i ½‖â_i − t̂_i‖²  =  (1/B) Σ_i (1 − cos(p_i, t_i))
//     L = L_mlm + λ · L_dis   (+ the contrastive term when it is on as well)
// Both vectors are unit length, so the term only asks for the teacher's direction; a sequence
// with no known word has t̂ = 0, and then ½‖â‖² = ½ is constant and gives no gradient. Every piece
// is an existing op (masked mean pooling, L2 normalisation, subtraction, power, sum, scale), so the
// backward pass is theirs and their finite-difference checks cover it; the test here checks the
// value against a hand computation.
// Why: masked-LM training at a one-machine budget leaves pooled vectors that a linear probe reads
// worse than the averaged word vectors the embedding started from (Weights/README.md); this term
// keeps that lexical content in the pooled vector while the layers learn context.
// Not handled: a teacher other than averaged word vectors; a projection head between the pooled
// vector and the loss (the pooled vector itself is what `embed` returns, so it is what is taught).

import Autograd
import Foundation
import TensorCore

/// The weight of the distillation term and the teacher's vector file; nil in
/// `PretrainingConfiguration` turns it off.
public struct DistillationObjective: Codable, Equatable, Sendable {
    /// λ in L = L_mlm + λ · L_dis.
    public var weight: Float = 1
    /// The word2vec-format file (.bin binary, else text) whose averaged vectors are the teacher.
    public var vectorsPath: String

    public init(weight: Float = 1, vectorsPath: String) {
        self.weight = weight
        self.vectorsPath = vectorsPath
    }
}

/// Teacher vectors for a batch of token sequences: decode each sequence to text, then average the
/// static vectors of its words (`averagedWordVector`, the peer scripts' word rule), normalised.
public struct SentenceTeacher {
    public let vectors: any WordVectorLookup
    /// Token ids (special tokens included) → text, special tokens skipped.
    public let decode: ([Int]) throws -> String

    public init(vectors: any WordVectorLookup, decode: @escaping ([Int]) throws -> String) {
        self.vectors = vectors
        self.decode = decode
    }

    /// [B, D] unit rows (zero rows for sequences with no known word).
    public func targets(for sequences: [[Int]]) throws -> Tensor {
        let D = vectors.dimension
        var values = [Float](repeating: 0, count: sequences.count * D)
        for (row, ids) in sequences.enumerated() {
            let average = averagedWordVector(try decode(ids), vectors: vectors)
            let norm = average.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard norm > 0 else { continue }
            for column in 0..<D { values[row * D + column] = average[column] / norm }
        }
        return Tensor(shape: [sequences.count, D], scalars: values)
    }
}

/// (1/B) Σ_i ½‖p_i/‖p_i‖ − t̂_i‖² for pooled vectors `pooled` [B, D] and unit (or zero) teacher
/// rows `teacher` [B, D]. Returns a scalar.
public func distillationLoss(pooled: Variable, teacher: Tensor) -> Variable {
    precondition(pooled.value.shape == teacher.shape && teacher.rank == 2,
                 "distillationLoss: pooled \(pooled.value.shape) and teacher \(teacher.shape) must both be [B, D]")
    let difference = l2Normalize(pooled) - Variable(constant: teacher)
    return scale(sum(power(difference, 2)), by: 0.5 / Float(teacher.shape[0]))
}
