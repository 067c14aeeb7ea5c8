// A seeded random generator for everything in TinyEncoder that draws numbers: initialisation,
// dropout masks, masked-LM masking, negative sampling, shuffling. xoshiro256** (Blackman and
// Vigna, 2018) seeded through SplitMix64, so the same seed gives the same stream on every
// platform. Normal draws use Box–Muller (both values kept).
// Not handled: cryptographic use; jumping ahead (streams are split by reseeding, `split()`).

import Foundation

/// A deterministic, platform-independent generator: xoshiro256** seeded by SplitMix64.
///
/// ```swift
/// var rng = SeededGenerator(seed: 42)
/// let w = rng.truncatedNormal(shape: [256, 256], standardDeviation: 0.02)
/// ```
public struct SeededGenerator: RandomNumberGenerator, Codable, Equatable, Sendable {
    /// The four 64-bit words of xoshiro256** state. Saved in checkpoints to resume bit-identically.
    public private(set) var state: [UInt64]
    /// A normal draw kept from the last Box–Muller pair, if any.
    public private(set) var spareNormal: Float?

    /// Seeds the state with four outputs of SplitMix64 started at `seed`.
    public init(seed: UInt64) {
        var mixer = seed
        var words: [UInt64] = []
        for _ in 0..<4 { words.append(SeededGenerator.splitMix64(&mixer)) }
        state = words
        spareNormal = nil
    }

    /// SplitMix64: one step of a 64-bit counter through a bijective mix (Steele et al., 2014).
    public static func splitMix64(_ x: inout UInt64) -> UInt64 {
        x &+= 0x9E37_79B9_7F4A_7C15
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The next 64 random bits (xoshiro256**).
    public mutating func next() -> UInt64 {
        let result = rotateLeft(state[1] &* 5, 7) &* 9
        let t = state[1] << 17
        state[2] ^= state[0]
        state[3] ^= state[1]
        state[1] ^= state[2]
        state[0] ^= state[3]
        state[2] ^= t
        state[3] = rotateLeft(state[3], 45)
        return result
    }

    private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A new generator whose stream does not overlap this one's in practice (seeded from it).
    public mutating func split() -> SeededGenerator {
        SeededGenerator(seed: next())
    }

    // MARK: - Scalars

    /// Uniform in [0, 1), with 24 random bits (every representable step of a Float in [0.5, 1)).
    public mutating func nextUniform() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// Uniform in [low, high).
    public mutating func nextUniform(_ low: Float, _ high: Float) -> Float {
        low + (high - low) * nextUniform()
    }

    /// Uniform integer in 0..<bound (Lemire's nearly divisionless method, unbiased).
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0, "nextInt(below:): bound must be positive, got \(bound)")
        return Int(next(upperBound: UInt64(bound)))
    }

    /// A standard normal draw N(0, 1) by Box–Muller: r = √(−2 ln u₁), θ = 2π u₂, (r cos θ, r sin θ).
    public mutating func nextNormal() -> Float {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        var u1 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        if u1 < 1e-300 { u1 = 1e-300 }
        let u2 = Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
        let radius = (-2.0 * log(u1)).squareRoot()
        let angle = 2.0 * Double.pi * u2
        spareNormal = Float(radius * sin(angle))
        return Float(radius * cos(angle))
    }

    // MARK: - Tensors

    /// Independent normal draws N(mean, standardDeviation²).
    public mutating func normal(shape: [Int], mean: Float = 0, standardDeviation: Float = 1) -> Tensor {
        var result = Tensor(uninitializedShape: shape)
        result.withUnsafeMutableBufferPointer { values in
            for index in values.indices { values[index] = mean + standardDeviation * nextNormal() }
        }
        return result
    }

    /// Independent uniform draws in [low, high).
    public mutating func uniform(shape: [Int], low: Float = 0, high: Float = 1) -> Tensor {
        var result = Tensor(uninitializedShape: shape)
        result.withUnsafeMutableBufferPointer { values in
            for index in values.indices { values[index] = nextUniform(low, high) }
        }
        return result
    }

    /// Normal draws N(0, σ²) redrawn until they fall within ±`bound`·σ (BERT uses σ = 0.02,
    /// bound 2, like `torch.nn.init.trunc_normal_` with a = −2σ, b = 2σ).
    public mutating func truncatedNormal(shape: [Int], standardDeviation: Float, bound: Float = 2) -> Tensor {
        var result = Tensor(uninitializedShape: shape)
        result.withUnsafeMutableBufferPointer { values in
            for index in values.indices {
                var draw = nextNormal()
                while abs(draw) > bound { draw = nextNormal() }
                values[index] = draw * standardDeviation
            }
        }
        return result
    }
}
