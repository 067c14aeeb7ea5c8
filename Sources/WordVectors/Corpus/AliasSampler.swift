// AliasSampler: draws word indices from the noise distribution P(w) ∝ count(w)^power in O(1)
// with Walker's alias method (Vose's construction). word2vec.c fills a 10⁸-entry table and gensim
// binary-searches a cumulative table; both give the same distribution. The alias tables are two
// arrays of the vocabulary's size, small enough to stay in cache while training.
// Reference: Vose 1991, "A linear algorithm for generating random numbers with a given distribution".
// Not handled: updating the distribution after construction.

/// O(1) sampling from a fixed discrete distribution.
///
/// ```swift
/// let noise = AliasSampler(counts: vocabulary.counts, power: 0.75)
/// let negative = noise.sample(rng.next())
/// ```
public struct AliasSampler: Sendable {
    /// Probability (scaled to 2³²) of keeping column i rather than taking `alias[i]`.
    public let keep: [UInt32]
    /// The other outcome of column i.
    public let alias: [Int32]
    /// The normalised probabilities, for tests and documentation.
    public let probabilities: [Double]

    /// Builds the tables for P(i) ∝ weights[i]^power.
    public init(counts: [Int], power: Double) {
        let weights = counts.map { Double($0) >= 0 ? pow(Double($0), power) : 0 }
        self.init(weights: weights)
    }

    /// Builds the tables for P(i) ∝ weights[i].
    public init(weights: [Double]) {
        precondition(!weights.isEmpty, "AliasSampler: empty distribution")
        let n = weights.count
        let total = weights.reduce(0, +)
        precondition(total > 0, "AliasSampler: weights sum to zero")
        probabilities = weights.map { $0 / total }
        var scaled = probabilities.map { $0 * Double(n) }
        var small: [Int] = []
        var large: [Int] = []
        for index in (0..<n).reversed() {
            if scaled[index] < 1 { small.append(index) } else { large.append(index) }
        }
        var keepFraction = [Double](repeating: 1, count: n)
        var aliasIndex = [Int32](repeating: 0, count: n)
        for index in 0..<n { aliasIndex[index] = Int32(index) }
        while let lower = small.popLast() {
            guard let upper = large.last else { break }
            keepFraction[lower] = scaled[lower]
            aliasIndex[lower] = Int32(upper)
            scaled[upper] -= 1 - scaled[lower]
            if scaled[upper] < 1 {
                large.removeLast()
                small.append(upper)
            }
        }
        keep = keepFraction.map { UInt32(min(4_294_967_295, ($0 * 4_294_967_296).rounded(.down))) }
        alias = aliasIndex
    }

    /// One draw from 64 random bits: the high 32 pick a column, the low 32 choose between the
    /// column and its alias.
    @inline(__always)
    public func sample(_ bits: UInt64) -> Int {
        let column = Int(((bits >> 32) &* UInt64(keep.count)) >> 32)
        return UInt32(truncatingIfNeeded: bits) < keep[column] ? column : Int(alias[column])
    }
}

import Foundation
