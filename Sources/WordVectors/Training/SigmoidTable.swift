// SigmoidTable: σ(x) = 1 / (1 + e^(−x)) looked up in a table over [−6, 6], clamped outside, as
// word2vec.c (EXP_TABLE_SIZE 1000, MAX_EXP 6) and fastText (SIGMOID_TABLE_SIZE 512, MAX_SIGMOID 8)
// do: an exp per score would cost more than the dot product that produced it.
// Reference: word2vec.c's expTable. Not handled: log-sigmoid for reporting the loss (see `logSigmoid`).

import Foundation

/// A precomputed logistic function. `callAsFunction` is within 0.004 of the exact value.
public struct SigmoidTable: @unchecked Sendable {
    // @unchecked: `values` is written only in `init`; afterwards every thread only reads it.
    /// Scores beyond ±maxScore give exactly 0 or 1.
    public let maxScore: Float
    public let size: Int
    /// The size + 1 table entries and the index scale, for CKernels' te_sgns_step.
    let values: UnsafeMutablePointer<Float>
    let scale: Float

    /// The table of word2vec.c: 1000 entries over [−6, 6].
    public init(size: Int = 1000, maxScore: Float = 6) {
        self.size = size
        self.maxScore = maxScore
        scale = Float(size) / (2 * maxScore)
        values = .allocate(capacity: size + 1)
        for index in 0...size {
            let x = (Double(index) / Double(size) * 2 - 1) * Double(maxScore)
            values[index] = Float(1 / (1 + exp(-x)))
        }
    }

    /// The table lives as long as the process (one per trainer run is a few KB).
    public func deallocate() { values.deallocate() }

    /// σ(x), clamped to 0 below −maxScore and 1 above maxScore.
    @inline(__always)
    public func callAsFunction(_ x: Float) -> Float {
        if x >= maxScore { return 1 }
        if x <= -maxScore { return 0 }
        return values[Int((x + maxScore) * scale)]
    }

    /// The exact logistic function, the reference the table is checked against.
    public static func exact(_ x: Float) -> Float { Float(1 / (1 + exp(-Double(x)))) }
}
