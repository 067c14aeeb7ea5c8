// Held-out figures of a distillation run, on lines the student never trains on:
//   mse         (1/(N·Dₜ)) Σ (s − t)², the MSE objective's value;
//   cosine      the mean cos(s, t) between the student's and the teacher's vector of each line
//               (they live in one space: the projection maps the student into the teacher's);
//   agreement   Spearman's ρ between the teacher's and the student's cosines over the pairs of
//               held-out lines (0 with 1, 2 with 3, …): do they rank sentence pairs alike?
// Agreement is the figure a user feels: it says whether the student's similarities order texts
// as the teacher's do, whatever their scale.
// Not handled: task evaluations (the linear probe is `tinyencoder probe`).

import Autograd
import Encoder
import Evaluation
import Foundation
import TensorCore

/// One held-out evaluation.
public struct DistillationEvaluation: Codable, Equatable, Sendable {
    public var step: Int
    public var mse: Float
    public var cosine: Float
    /// Spearman's ρ of the pair cosines (nil with fewer than two pairs).
    public var agreement: Float?
    public var lines: Int
}

extension DistillationTrainer {
    /// The student's vectors of the held-out lines, [N, Dₜ], in order.
    public func evaluationVectors(batchSize: Int = 64) -> Tensor {
        studentVectors(data.evaluation, batchSize: batchSize)
    }

    /// The student's vectors of `sequences` at inference (no dropout), batched by length.
    func studentVectors(_ sequences: PackedSequences, batchSize: Int) -> Tensor {
        let width = student.outputWidth
        var values = [Float](repeating: 0, count: sequences.count * width)
        let order = (0..<sequences.count).sorted { (sequences.length(of: $0), $0) < (sequences.length(of: $1), $1) }
        var start = 0
        while start < order.count {
            let indices = Array(order[start..<min(start + batchSize, order.count)])
            let input = EncoderInput(sequences: indices.map { sequences[$0].map(Int.init) }, padId: student.model.encoder.config.padTokenId)
            let vectors = student.sentenceVectors(input, context: .inference()).value.scalars
            for (row, index) in indices.enumerated() {
                values.replaceSubrange((index * width)..<((index + 1) * width), with: vectors[(row * width)..<((row + 1) * width)])
            }
            start += indices.count
        }
        return Tensor(shape: [sequences.count, width], scalars: values)
    }

    /// The held-out figures now, or nil when no line is held out.
    public func evaluate() -> DistillationEvaluation? {
        guard data.evaluation.count > 0 else { return nil }
        let student = evaluationVectors()
        let teacher = teacherTargets(data.evaluationRows)
        return DistillationEvaluation.figures(student: student, teacher: teacher, step: state.step)
    }
}

extension DistillationEvaluation {
    /// The three figures of student vectors against teacher vectors, row by row ([N, D] each).
    public static func figures(student: Tensor, teacher: Tensor, step: Int) -> DistillationEvaluation {
        let mse = MeanSquaredErrorOp.forward(prediction: student, target: teacher).loss.scalar
        let (rows, width) = (student.shape[0], student.shape[1])
        let s = student.scalars, t = teacher.scalars
        func line(_ values: [Float], _ row: Int) -> [Float] { Array(values[(row * width)..<((row + 1) * width)]) }
        let cosine = (0..<rows).reduce(0.0) { $0 + Double(line(s, $1).cosineSimilarity(to: line(t, $1))) } / Double(max(rows, 1))
        let agreement = rows >= 4 ? Float(PairAgreement((0..<rows).map { line(t, $0) }, (0..<rows).map { line(s, $0) }).spearman) : nil
        return DistillationEvaluation(step: step, mse: mse, cosine: Float(cosine), agreement: agreement, lines: rows)
    }
}
