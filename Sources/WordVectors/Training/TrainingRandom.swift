// TrainingRandom: the per-thread random stream of the trainers' hot loops (window shrinking,
// subsampling, negative draws). SplitMix64 — one add and a 64-bit mix per draw — kept in a plain
// struct so the loop never touches the heap. Each thread's stream is seeded from the trainer's
// SeededGenerator, so a run is reproducible for a given seed and thread count.
// Reference: Steele, Lea, Flood 2014, "Fast splittable pseudorandom number generators".
// Not handled: cryptographic use.

import TensorCore

/// A small, fast, seeded generator for training loops.
public struct TrainingRandom: Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// Seeds thread `thread`'s stream from a run seed (different threads, different streams).
    public init(runSeed: UInt64, thread: Int) {
        var generator = SeededGenerator(seed: runSeed &+ UInt64(thread) &* 0x9E37_79B9_7F4A_7C15)
        state = generator.next()
    }

    /// 64 random bits.
    @inline(__always)
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform integer in 0..<bound (multiply-shift; bias below 2⁻³² for small bounds).
    @inline(__always)
    public mutating func next(below bound: Int) -> Int {
        Int(((next() >> 32) &* UInt64(bound)) >> 32)
    }

    /// Uniform 32-bit value.
    @inline(__always)
    public mutating func next32() -> UInt32 { UInt32(truncatingIfNeeded: next() >> 32) }

    /// Uniform Float in [0, 1).
    @inline(__always)
    public mutating func nextUniform() -> Float { Float(next() >> 40) * (1.0 / 16_777_216.0) }
}
