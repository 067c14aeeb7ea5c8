// Batching by length buckets (HF Trainer's group_by_length / LengthGroupedSampler, fairseq's
// bucketing): each epoch shuffles the sequences, cuts the order into "mega-batches" of
// `groupSize` batches, sorts each mega-batch by length, cuts it into batches, and shuffles the
// order of the batches. Batches then hold sequences of similar length, so little of each padded
// [B, T] batch is padding, while the data order stays random from epoch to epoch.
// The plan of epoch e depends only on (seed, e, the lengths, B, groupSize): resuming needs only
// the epoch and the batch index.
// Not handled: token-budget batches (every batch has B sequences); the last partial batch of an
// epoch is dropped, as BERT's input pipeline does (drop_remainder).

import TensorCore

/// The order of one epoch's batches.
public struct EpochPlan: Equatable, Sendable {
    public let epoch: Int
    /// Sequence indices, batch after batch, `batchSize` each.
    public let order: [Int32]
    public let batchSize: Int
    /// Padding tokens / all B · T tokens over the epoch's batches.
    public let paddingShare: Double

    public var batchCount: Int { order.count / batchSize }

    /// The sequence indices of batch `index`.
    public func batch(_ index: Int) -> ArraySlice<Int32> {
        order[(index * batchSize)..<((index + 1) * batchSize)]
    }

    /// Plans epoch `epoch` for sequences of the given lengths.
    ///
    /// - Parameters:
    ///   - lengths: the length of every sequence.
    ///   - groupSize: batches per sorted mega-batch (HF uses 50); 1 turns bucketing off.
    /// - Precondition: at least `batchSize` sequences (callers check and throw a user-facing error).
    /// - Complexity: O(N log(B · groupSize)).
    public init(epoch: Int, lengths: [Int], batchSize: Int, groupSize: Int, seed: UInt64) {
        precondition(batchSize > 0 && lengths.count >= batchSize, "EpochPlan: \(lengths.count) sequences for batches of \(batchSize)")
        self.epoch = epoch
        self.batchSize = batchSize
        var mixer = seed ^ (UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15)
        var generator = SeededGenerator(seed: SeededGenerator.splitMix64(&mixer))
        var permutation = (0..<lengths.count).map { Int32($0) }
        for index in stride(from: permutation.count - 1, to: 0, by: -1) {
            permutation.swapAt(index, generator.nextInt(below: index + 1))
        }
        let usable = (lengths.count / batchSize) * batchSize
        permutation.removeLast(lengths.count - usable)
        // Sort each mega-batch by length, longest first (ties by index, so the plan is stable).
        let megaBatch = batchSize * max(1, groupSize)
        var start = 0
        while start < permutation.count {
            let end = min(start + megaBatch, permutation.count)
            permutation[start..<end].sort { (lengths[Int($0)], $1) > (lengths[Int($1)], $0) }
            start = end
        }
        // Shuffle the batches themselves.
        let batchCount = usable / batchSize
        var batchOrder = Array(0..<batchCount)
        for index in stride(from: batchCount - 1, to: 0, by: -1) {
            batchOrder.swapAt(index, generator.nextInt(below: index + 1))
        }
        var order: [Int32] = []
        order.reserveCapacity(usable)
        var padding = 0
        var slots = 0
        for batch in batchOrder {
            let members = permutation[(batch * batchSize)..<((batch + 1) * batchSize)]
            let longest = members.map { lengths[Int($0)] }.max() ?? 0
            padding += members.reduce(0) { $0 + longest - lengths[Int($1)] }
            slots += longest * batchSize
            order.append(contentsOf: members)
        }
        self.order = order
        paddingShare = slots == 0 ? 0 : Double(padding) / Double(slots)
    }
}
