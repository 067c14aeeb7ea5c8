// Mean cosine distance between the rows of predictions and fixed targets, the "cosine" option of
// sentence distillation (what sentence-transformers' CosineSimilarityLoss minimises with a target
// similarity of 1):
//   cₙ = ⟨pₙ, tₙ⟩ / (‖pₙ‖·‖tₙ‖),   L = (1/N) Σₙ (1 − cₙ)          p, t: [N, D]
// Backward: ∂cₙ/∂pₙ = tₙ/(‖pₙ‖‖tₙ‖) − cₙ·pₙ/‖pₙ‖², so dpₙ = −(dL/N)·(t̂ₙ − cₙ·p̂ₙ)/‖pₙ‖ with
// p̂ = p/‖p‖, t̂ = t/‖t‖. Norms are clamped below at ε = 1e-8 (PyTorch's F.cosine_similarity); a
// zero target row has c = 0, a constant, and sends no gradient.
// Not handled: margins, target similarities other than 1, per-row weights.

import CKernels
import Foundation
import TensorCore

/// Mean of 1 − cos(pₙ, tₙ) over rows, against a constant target.
public enum CosineDistanceOp: Sendable {
    /// The backward needs each row's unit vectors, cosine and the prediction's norm.
    public struct Cache: Sendable {
        public let unitPrediction: Tensor  // [N, D] p̂
        public let unitTarget: Tensor      // [N, D] t̂ (zero rows stay zero)
        public let cosines: [Float]        // [N]
        public let predictionNorms: [Float]
    }

    public static let epsilon: Float = 1e-8

    /// prediction, target: [N, D] → a scalar.
    public static func forward(prediction: Tensor, target: Tensor) -> (loss: Tensor, cache: Cache) {
        checkShape(prediction.rank == 2 && prediction.shape == target.shape && prediction.count > 0, "cosineDistance",
                   "prediction \(prediction.shape) and target \(target.shape) must both be [N, D]")
        let (rows, columns) = (prediction.shape[0], prediction.shape[1])
        var unitPrediction = prediction, unitTarget = target
        var cosines = [Float](repeating: 0, count: rows), norms = [Float](repeating: 0, count: rows)
        var distance: Double = 0
        unitPrediction.withUnsafeMutableBufferPointer { pv in
            unitTarget.withUnsafeMutableBufferPointer { tv in
                for row in 0..<rows {
                    let p = pv.baseAddress! + row * columns, t = tv.baseAddress! + row * columns
                    let pNorm = max(te_dot(p, p, columns).squareRoot(), epsilon)
                    let tNorm = max(te_dot(t, t, columns).squareRoot(), epsilon)
                    te_scale(columns, 1 / pNorm, p, p)
                    te_scale(columns, 1 / tNorm, t, t)
                    cosines[row] = te_dot(p, t, columns)
                    norms[row] = pNorm
                    distance += 1 - Double(cosines[row])
                }
            }
        }
        return (Tensor(scalar: Float(distance / Double(rows))),
                Cache(unitPrediction: unitPrediction, unitTarget: unitTarget, cosines: cosines, predictionNorms: norms))
    }

    /// Forward was L = (1/N) Σ (1 − cₙ), cₙ = ⟨p̂ₙ, t̂ₙ⟩; so dpₙ = −(dL/N)·(t̂ₙ − cₙ·p̂ₙ)/‖pₙ‖.
    public static func backward(_ dLoss: Tensor, _ cache: Cache) -> Tensor {
        let (rows, columns) = (cache.unitPrediction.shape[0], cache.unitPrediction.shape[1])
        var dPrediction = Tensor(zeros: [rows, columns])
        let outer = -dLoss.scalar / Float(rows)
        withPointers(reading: cache.unitPrediction, cache.unitTarget, writing: &dPrediction) { read, dv in
            for row in 0..<rows {
                let (d, p, t) = (dv + row * columns, read[0] + row * columns, read[1] + row * columns)
                let (c, factor) = (cache.cosines[row], outer / cache.predictionNorms[row])
                for column in 0..<columns { d[column] = factor * (t[column] - c * p[column]) }
            }
        }
        return dPrediction
    }
}

/// (1/N) Σₙ (1 − cos(predictionₙ, targetₙ)) over the rows of [N, D]; the target gets no gradient.
public func cosineDistance(_ prediction: Variable, target: Tensor) -> Variable {
    let (loss, cache) = CosineDistanceOp.forward(prediction: prediction.value, target: target)
    return Tape.record(.cosineDistance, output: loss, inputs: [prediction]) { dLoss in
        [CosineDistanceOp.backward(dLoss, cache)]
    }
}
