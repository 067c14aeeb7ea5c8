// AdamW (Loshchilov & Hutter, 2019): Adam with weight decay decoupled from the gradient.
// For each parameter p with gradient g, at step t (from 1):
//   p ← p − lr·λ·p                                  (decay, only where `decays`; not on biases/LN)
//   m ← β₁m + (1 − β₁)g,   v ← β₂v + (1 − β₂)g²
//   p ← p − (lr / (1 − β₁ᵗ)) · m / (√v / √(1 − β₂ᵗ) + ε)
// which is PyTorch's torch.optim.AdamW, operation for operation, so losses match to rounding.
// The loop runs in CKernels (`te_adamw`, vectorised); `referenceStep` is the same in Swift.
// Not handled: amsgrad, per-group hyper-parameters, fused multi-tensor kernels.

import CKernels
import Foundation
import TensorCore

/// The AdamW optimiser with its moment estimates.
public final class AdamW {
    /// Hyper-parameters; defaults are PyTorch's except weight decay (BERT's 0.01).
    public struct Configuration: Codable, Equatable, Sendable {
        public var beta1: Float = 0.9
        public var beta2: Float = 0.999
        public var epsilon: Float = 1e-8
        public var weightDecay: Float = 0.01
        public init(beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0.01) {
            self.beta1 = beta1; self.beta2 = beta2; self.epsilon = epsilon; self.weightDecay = weightDecay
        }
    }

    public let configuration: Configuration
    /// The parameters in a fixed order, with their names (used for the saved state).
    public let parameters: [NamedParameter]
    /// Steps taken so far (t in the formulas after the next step is t + 1).
    public private(set) var step: Int = 0
    private var firstMoments: [Tensor]
    private var secondMoments: [Tensor]

    public init(parameters: [NamedParameter], configuration: Configuration = Configuration()) {
        // A tied parameter appears under two names; it is updated once, under its first name.
        var seen = Set<ObjectIdentifier>()
        self.parameters = parameters.filter { seen.insert(ObjectIdentifier($0.parameter)).inserted }
        self.configuration = configuration
        firstMoments = self.parameters.map { Tensor(zeros: $0.parameter.shape) }
        secondMoments = self.parameters.map { Tensor(zeros: $0.parameter.shape) }
    }

    /// Applies one update with learning rate `learningRate` to every trainable parameter that has
    /// a gradient. Gradients are left in place (zero them explicitly).
    public func update(learningRate: Float) {
        step += 1
        let (beta1, beta2, epsilon) = (configuration.beta1, configuration.beta2, configuration.epsilon)
        let correction1 = 1 - pow(Double(beta1), Double(step))
        let correction2Root = Float((1 - pow(Double(beta2), Double(step))).squareRoot())
        let stepSize = Float(Double(learningRate) / correction1)
        for index in parameters.indices {
            let parameter = parameters[index].parameter
            guard parameter.requiresGradient, let gradient = parameter.gradient else { continue }
            let decayFactor = parameter.decays ? 1 - learningRate * configuration.weightDecay : 1
            let count = parameter.value.count
            parameter.updateValue { value in  // in place, under the parameter's lock
                withPointers(reading: gradient, writing: &value, &firstMoments[index], &secondMoments[index]) { read, p, m, v in
                    let g = read[0]
                    parallelFor(count, minimumChunk: 1 << 15) { _, range in
                        // The vector kernel; `referenceStep` below is the same, bit for bit.
                        let i = range.lowerBound
                        te_adamw(range.count, p + i, m + i, v + i, g + i, decayFactor, beta1, beta2,
                                 stepSize, correction2Root, epsilon)
                    }
                }
            }
        }
    }

    /// The update of one parameter in plain Swift: what `te_adamw` computes, rounding for
    /// rounding (tested on every kernel path).
    public static func referenceStep(p: inout Float, m: inout Float, v: inout Float, g: Float, decay: Float,
                                     beta1: Float, beta2: Float, stepSize: Float, correction2Root: Float, epsilon: Float) {
        p *= decay
        m += (1 - beta1) * (g - m)             // torch: exp_avg.lerp_(grad, 1 − β₁)
        v = beta2 * v + (1 - beta2) * g * g
        let denominator = v.squareRoot() / correction2Root + epsilon
        p -= stepSize * m / denominator
    }

    // MARK: - State (checkpoints)

    /// The moments as named tensors ("NAME.exp_avg", "NAME.exp_avg_sq") for a checkpoint.
    public func stateTensors() -> [(name: String, tensor: Tensor)] {
        var result: [(name: String, tensor: Tensor)] = []
        for (index, named) in parameters.enumerated() {
            result.append(("\(named.name).exp_avg", firstMoments[index]))
            result.append(("\(named.name).exp_avg_sq", secondMoments[index]))
        }
        return result
    }

    /// Restores the moments and step count saved by `stateTensors()`; throws if any is missing.
    public func restore(step: Int, tensors: [String: Tensor], file: String) throws {
        for (index, named) in parameters.enumerated() {
            for (suffix, isFirst) in [("exp_avg", true), ("exp_avg_sq", false)] {
                let name = "\(named.name).\(suffix)"
                guard let tensor = tensors[name], tensor.shape == named.parameter.shape else {
                    throw FileError(.mismatch, file: file, field: name,
                                    problem: tensors[name] == nil ? "missing from the optimiser state" : "has shape \(tensors[name]!.shape), expected \(named.parameter.shape)",
                                    fix: "Resume only from a checkpoint of the same model configuration")
                }
                if isFirst { firstMoments[index] = tensor } else { secondMoments[index] = tensor }
            }
        }
        self.step = step
    }
}
