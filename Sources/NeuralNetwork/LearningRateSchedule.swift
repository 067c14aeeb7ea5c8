// Learning-rate schedules: a linear warm-up from 0 to the peak, then a linear or cosine decay
// to a floor at the last step. Steps count optimiser updates from 0, exactly as Hugging Face's
// get_linear_schedule_with_warmup / get_cosine_schedule_with_warmup (their lr_lambda(step)):
//   warm-up (s < w):  lr = peak · s / w
//   linear:           lr = peak · max(0, (S − s) / (S − w))
//   cosine:           lr = peak · ½(1 + cos(π · (s − w)/(S − w)))
// with a floor `minimumRate` applied after decay (0 reproduces HF).
// Not handled: restarts, inverse square root, step-wise decays.

import Foundation

/// How the rate falls after warm-up.
public enum DecayShape: String, Codable, CaseIterable, Sendable {
    case linear, cosine, constant
}

/// Warm-up then decay, as a function of the optimiser step.
public struct LearningRateSchedule: Codable, Equatable, Sendable {
    public var peak: Float
    public var warmupSteps: Int
    public var totalSteps: Int
    public var decay: DecayShape
    public var minimumRate: Float

    public init(peak: Float, warmupSteps: Int, totalSteps: Int, decay: DecayShape = .linear, minimumRate: Float = 0) {
        self.peak = peak
        self.warmupSteps = warmupSteps
        self.totalSteps = totalSteps
        self.decay = decay
        self.minimumRate = minimumRate
    }

    /// The rate for the update with index `step` (0 for the first update).
    public func rate(at step: Int) -> Float {
        if step < warmupSteps { return peak * Float(step) / Float(max(warmupSteps, 1)) }
        let span = Float(max(totalSteps - warmupSteps, 1))
        let progress = min(Float(step - warmupSteps) / span, 1)
        let decayed: Float
        switch decay {
        case .constant: decayed = peak
        case .linear: decayed = peak * max(0, 1 - progress)
        case .cosine: decayed = peak * 0.5 * (1 + Float(cos(Double.pi * Double(progress))))
        }
        return max(decayed, minimumRate)
    }
}
