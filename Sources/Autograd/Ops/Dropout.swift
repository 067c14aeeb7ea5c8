// Inverted dropout (Srivastava et al., 2014): each element is zeroed with probability p and the
// survivors are scaled by 1/(1 − p), so the expected value is unchanged and inference is the
// identity. The mask comes from the caller's seeded generator, so a run is reproducible.
// Backward: dx = dy ⊙ mask / (1 − p) (the same mask).
// Not handled: PyTorch's exact random stream (masks differ from torch's for the same seed).

import TensorCore

/// Dropout with a seeded mask.
public enum DropoutOp: Sendable {
    /// The kept-and-scaled mask: 0 or 1/(1 − p) per element.
    public struct Cache: Sendable {
        public let scaledMask: Tensor
    }

    public static func forward(_ x: Tensor, probability: Float, generator: inout SeededGenerator) -> (output: Tensor, cache: Cache) {
        let mask = scaledMask(shape: x.shape, probability: probability, generator: &generator)
        return (x.multiplying(mask), Cache(scaledMask: mask))
    }

    /// The mask of inverted dropout: each element 0 with probability p, else 1/(1 − p), drawn in
    /// order from `generator` (one uniform per element). Attention dropout uses it too.
    public static func scaledMask(shape: [Int], probability: Float, generator: inout SeededGenerator) -> Tensor {
        precondition(probability >= 0 && probability < 1, "dropout: probability \(probability) must be in [0, 1)")
        let keepScale = 1 / (1 - probability)
        var mask = Tensor(uninitializedShape: shape)
        mask.withUnsafeMutableBufferPointer { values in
            for index in values.indices { values[index] = generator.nextUniform() < probability ? 0 : keepScale }
        }
        return mask
    }

    /// Forward was y = x ⊙ m with m ∈ {0, 1/(1 − p)}; so dx = dy ⊙ m.
    public static func backward(_ dOut: Tensor, _ cache: Cache) -> Tensor {
        dOut.multiplying(cache.scaledMask)
    }
}

/// Zeroes each element with probability `probability` (scaling the rest); the identity when
/// `probability` is 0.
public func dropout(_ x: Variable, probability: Float, generator: inout SeededGenerator) -> Variable {
    guard probability > 0 else { return x }
    let (output, cache) = DropoutOp.forward(x.value, probability: probability, generator: &generator)
    return Tape.record(.dropout, output: output, inputs: [x]) { dOut in
        [DropoutOp.backward(dOut, cache)]
    }
}
