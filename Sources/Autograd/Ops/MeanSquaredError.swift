// Mean squared error between predictions and fixed targets, PyTorch's F.mse_loss(reduction="mean"),
// the loss of embedding distillation (Reimers & Gurevych, 2020, "Making monolingual sentence
// embeddings multilingual using knowledge distillation", §2: the student's vector regresses the
// teacher's):
//   L = (1/(N·D)) Σₙ Σⱼ (pₙⱼ − tₙⱼ)²        p, t: [N, D]
// Backward: ∂L/∂pₙⱼ = 2(pₙⱼ − tₙⱼ)/(N·D). The target is data: it gets no gradient.
// Not handled: other reductions (sum, none), per-row weights.

import CKernels
import TensorCore

/// Mean of squared differences against a constant target.
public enum MeanSquaredErrorOp: Sendable {
    /// The backward needs only the differences p − t.
    public struct Cache: Sendable {
        public let difference: Tensor  // [N, D]
    }

    /// prediction, target: the same shape → a scalar.
    public static func forward(prediction: Tensor, target: Tensor) -> (loss: Tensor, cache: Cache) {
        checkShape(prediction.shape == target.shape && prediction.count > 0, "meanSquaredError",
                   "prediction \(prediction.shape) and target \(target.shape) must have one (non-empty) shape")
        var difference = prediction
        var squares: Double = 0
        difference.withUnsafeMutableBufferPointer { d in
            target.withUnsafeBufferPointer { t in
                for index in d.indices {
                    d[index] -= t[index]
                    squares += Double(d[index]) * Double(d[index])
                }
            }
        }
        return (Tensor(scalar: Float(squares / Double(prediction.count))), Cache(difference: difference))
    }

    /// Forward was L = (1/n) Σ (p − t)²; so dp = dL · 2(p − t)/n.
    public static func backward(_ dLoss: Tensor, _ cache: Cache) -> Tensor {
        var dPrediction = cache.difference
        let factor = 2 * dLoss.scalar / Float(cache.difference.count)
        dPrediction.withUnsafeMutableBufferPointer { d in te_scale(d.count, factor, d.baseAddress!, d.baseAddress!) }
        return dPrediction
    }
}

/// (1/n) Σ (prediction − target)² over all n elements; the target gets no gradient.
public func meanSquaredError(_ prediction: Variable, target: Tensor) -> Variable {
    let (loss, cache) = MeanSquaredErrorOp.forward(prediction: prediction.value, target: target)
    return Tape.record(.meanSquaredError, output: loss, inputs: [prediction]) { dLoss in
        [MeanSquaredErrorOp.backward(dLoss, cache)]
    }
}
