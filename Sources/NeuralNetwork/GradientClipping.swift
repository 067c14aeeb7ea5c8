// Gradient clipping by global norm (Pascanu et al., 2013; torch.nn.utils.clip_grad_norm_):
//   n = √(Σ over all parameters of ‖g‖²);  if n > max: every g ← g · max / (n + 1e-6).
// The norm is returned (before clipping) so trainers can log it and stop on NaN/Inf.
// Not handled: per-parameter or value clipping.

import TensorCore

/// Scales all gradients so their joint L2 norm is at most `maxNorm`; returns the norm before.
@discardableResult
public func clipGradientNorm(_ parameters: [Parameter], maxNorm: Float) -> Float {
    var seen = Set<ObjectIdentifier>()
    let unique = parameters.filter { seen.insert(ObjectIdentifier($0)).inserted }
    var squares: Double = 0
    for parameter in unique {
        guard let gradient = parameter.gradient else { continue }
        gradient.withUnsafeBufferPointer { values in
            var sum: Double = 0
            for value in values { sum += Double(value) * Double(value) }
            squares += sum
        }
    }
    let norm = Float(squares.squareRoot())
    let coefficient = maxNorm / (norm + 1e-6)
    if coefficient < 1 {
        for parameter in unique { parameter.gradient?.scale(by: coefficient) }
    }
    return norm
}
