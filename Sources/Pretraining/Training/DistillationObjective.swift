// DistillationObjective: an optional sentence-level term that pulls the encoder's mean-pooled
// vector of each clean sequence towards a teacher vector, the average of static word vectors over
// the sequence's words (the averaged-word-vector sentence embedding of SentenceVectors), in the manner of
// embedding distillation (Reimers & Gurevych, 2020, "Making monolingual sentence embeddings
// multilingual using knowledge distillation", MSE to a teacher's vectors):
//     p_i = pool(h_clean)_i,   â_i = p_i/‖p_i‖,   t̂_i = unit(unit(t_i) − μ)   (t_i: the teacher's vector)
//     L_dis = (1/B) Σ_i ½‖â_i − t̂_i‖²  =  (1/B) Σ_i (1 − cos(p_i, t_i))
//     L = L_mlm + λ · L_dis   (+ the contrastive term when it is on as well)
// μ is the mean of unit(t) over a sample of corpus lines. Averaged word vectors share one large
// direction (‖μ‖ ≈ 0.8 for skip-gram on our corpus), so without centring most of the target is the
// same for every sentence. Both vectors are unit length, so the term only asks for the teacher's direction; a sequence
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
import WordVectors

/// The weight of the distillation term and the teacher's vector file; nil in
/// `PretrainingConfiguration` turns it off.
public struct DistillationObjective: Codable, Equatable, Sendable {
    /// λ in L = L_mlm + λ · L_dis.
    public var weight: Float = 1
    /// The word-vector file (any format `VectorFile` reads) whose averaged vectors are the teacher.
    public var vectorsPath: String
    /// Corpus lines (evenly spread over the first corpus file) whose mean teacher direction μ is
    /// subtracted from every target; 0 leaves the targets uncentred.
    public var centerLines: Int = 20_000

    public init(weight: Float = 1, vectorsPath: String, centerLines: Int = 20_000) {
        self.weight = weight
        self.vectorsPath = vectorsPath
        self.centerLines = centerLines
    }
}

/// Teacher vectors for a batch of token sequences: decode each sequence to text, average the
/// static vectors of its words (`KeyedVectors.sentenceVector`, WordVectors' word rule), normalise,
/// subtract the mean direction μ and normalise again.
public struct SentenceTeacher {
    public let vectors: KeyedVectors
    /// μ, subtracted from every unit average before the second normalisation (zeros: none).
    public let center: [Float]
    /// Token ids (special tokens included) → text, special tokens skipped.
    public let decode: ([Int]) throws -> String

    public init(vectors: KeyedVectors, center: [Float]? = nil, decode: @escaping ([Int]) throws -> String) {
        self.vectors = vectors
        self.center = center ?? [Float](repeating: 0, count: vectors.dimension)
        self.decode = decode
    }

    /// v/‖v‖, or nil for the zero vector.
    static func unit(_ v: [Float]) -> [Float]? {
        let norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? v.map { $0 / norm } : nil
    }

    /// unit(average of the known words' vectors of `text`), or nil when none is known.
    static func unitAverage(_ text: String, vectors: KeyedVectors) -> [Float]? {
        // .mean never throws (only SIF needs counts); nil when no word is known.
        (try? vectors.sentenceVector(for: text, weighting: .mean)).flatMap(unit)
    }

    /// μ: the mean of the unit averages of `texts` (texts with no known word left out).
    public static func meanDirection(of texts: some Sequence<String>, vectors: KeyedVectors) -> [Float] {
        var sum = [Double](repeating: 0, count: vectors.dimension)
        var count = 0
        for text in texts {
            guard let unit = unitAverage(text, vectors: vectors) else { continue }
            for column in sum.indices { sum[column] += Double(unit[column]) }
            count += 1
        }
        return sum.map { count == 0 ? 0 : Float($0 / Double(count)) }
    }

    /// [B, D] unit rows (zero rows for sequences with no known word).
    public func targets(for sequences: [[Int]]) throws -> Tensor {
        let D = vectors.dimension
        var values = [Float](repeating: 0, count: sequences.count * D)
        for (row, ids) in sequences.enumerated() {
            guard let average = SentenceTeacher.unitAverage(try decode(ids), vectors: vectors),
                  let target = SentenceTeacher.unit(zip(average, center).map { $0 - $1 }) else { continue }
            values.replaceSubrange((row * D)..<((row + 1) * D), with: target)
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
