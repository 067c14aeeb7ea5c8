// MergeQueue: the trainer's priority queue of candidate merges: a max-heap ordered by pair count,
// ties broken by the smaller pair of ids (HF's `Merge` ordering). Entries go stale when counts
// change; the trainer re-checks the count of the top entry when it pops it (lazy re-validation)
// instead of updating entries in place. Eight children per node (HF uses the `dary_heap` crate's
// 8-ary heap), sifted the way Rust's BinaryHeap sifts (on equal children the hole moves to the
// later one), so that even equal entries — possible only for re-used tokens — pop as in HF.
// Reference: HF tokenizers models/bpe/trainer.rs (Merge, OctonaryHeap); Rust std BinaryHeap.
// Not handled: decrease-key (not needed with lazy re-validation).

/// One candidate merge: a pair, its count when queued, and the words to update (an index into
/// the trainer's word lists, so moving entries in the heap moves no arrays).
struct MergeCandidate {
    var count: Int
    /// `left << 32 | right`: comparing these keys compares (left, right) lexicographically.
    var pair: UInt64
    var words: Int32

    /// HF's `Ord for Merge`: higher count first; on equal counts the smaller pair first.
    @inline(__always)
    func isGreater(than other: MergeCandidate) -> Bool {
        count != other.count ? count > other.count : pair < other.pair
    }

    @inline(__always)
    func isLessOrEqual(to other: MergeCandidate) -> Bool { !isGreater(than: other) }
}

/// A d-ary max-heap (d = 8) of merge candidates.
struct MergeQueue {
    private static let arity = 8
    private(set) var storage: [MergeCandidate] = []

    var isEmpty: Bool { storage.isEmpty }
    var count: Int { storage.count }

    mutating func reserve(_ capacity: Int) { storage.reserveCapacity(capacity) }

    mutating func push(_ candidate: MergeCandidate) {
        storage.append(candidate)
        siftUp(from: storage.count - 1, to: 0)
    }

    /// Removes and returns the greatest candidate (Rust's `pop`: swap the last in, sift the hole
    /// to the bottom along the greatest children, then sift up).
    mutating func pop() -> MergeCandidate? {
        guard var item = storage.popLast() else { return nil }
        if !storage.isEmpty {
            swap(&item, &storage[0])
            siftDownToBottom(from: 0)
        }
        return item
    }

    @inline(__always)
    private mutating func siftUp(from position: Int, to start: Int) {
        let element = storage[position]
        var hole = position
        while hole > start {
            let parent = (hole - 1) / MergeQueue.arity
            if element.isLessOrEqual(to: storage[parent]) { break }
            storage[hole] = storage[parent]
            hole = parent
        }
        storage[hole] = element
    }

    private mutating func siftDownToBottom(from position: Int) {
        let end = storage.count
        let element = storage[position]
        var hole = position
        var child = MergeQueue.arity * hole + 1
        while child + MergeQueue.arity <= end {
            var greatest = child
            for sibling in (child + 1)..<(child + MergeQueue.arity) where storage[greatest].isLessOrEqual(to: storage[sibling]) {
                greatest = sibling
            }
            storage[hole] = storage[greatest]
            hole = greatest
            child = MergeQueue.arity * hole + 1
        }
        if child < end {
            var greatest = child
            for sibling in (child + 1)..<end where storage[greatest].isLessOrEqual(to: storage[sibling]) {
                greatest = sibling
            }
            storage[hole] = storage[greatest]
            hole = greatest
        }
        storage[hole] = element
        siftUp(from: hole, to: position)
    }
}
