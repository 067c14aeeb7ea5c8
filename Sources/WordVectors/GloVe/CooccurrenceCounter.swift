// CooccurrenceCounter: GloVe's counting pass. For each pair of vocabulary words at distance d ≤
// window on one line it adds 1/d to X[w][c] and to X[c][w] (symmetric). Each thread counts its
// byte range into an open-addressing table keyed by (w, c); when the table would pass the thread's
// share of the memory budget, its entries are radix-sorted and written to disk as a sorted run.
// CooccurrenceRuns merges the runs. Unknown words are dropped before windowing, as cooccur.c does.
// Reference: stanfordnlp/GloVe src/cooccur.c. Not handled: the C tool's dense "bigram table" for
// frequent pairs (the hash table serves them from cache just as well).

import Foundation
import TensorCore

/// One thread's co-occurrence table with spilling.
final class CooccurrenceTable {
    private var keys: UnsafeMutablePointer<UInt64>      // (w << 32 | c) + 1; 0 = empty
    private var values: UnsafeMutablePointer<Float>
    private var capacity: Int
    private(set) var count = 0
    private let maximumCapacity: Int
    let runs: CooccurrenceRuns

    /// - Parameter budget: bytes this table may use, spilling included: the table (12 bytes a
    ///   slot, at most 70% full) plus, while spilling, the sorted copy and the radix sort's buffers
    ///   (2 × 12 bytes an entry) — at most 12·S·(1 + 2·0.7) = 28.8·S bytes for S slots.
    init(budget: Int, runs: CooccurrenceRuns) {
        var maximum = 1 << 12
        while maximum * 2 * 29 <= budget { maximum *= 2 }
        maximumCapacity = maximum
        capacity = min(maximum, 1 << 16)
        keys = .allocate(capacity: capacity)
        keys.initialize(repeating: 0, count: capacity)
        values = .allocate(capacity: capacity)
        self.runs = runs
    }

    deinit {
        keys.deallocate()
        values.deallocate()
    }

    @inline(__always)
    private static func slot(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> 24) & mask
    }

    /// X[word][context] += amount.
    @inline(__always)
    func add(word: Int, context: Int, amount: Float) throws {
        let key = (UInt64(word) << 32 | UInt64(context)) &+ 1
        let mask = capacity - 1
        var slot = CooccurrenceTable.slot(key, mask)
        while true {
            let existing = keys[slot]
            if existing == key { values[slot] += amount; return }
            if existing == 0 { break }
            slot = (slot + 1) & mask
        }
        keys[slot] = key
        values[slot] = amount
        count += 1
        if count * 10 >= capacity * 7 {
            if capacity < maximumCapacity { grow() } else { try spill() }
        }
    }

    private func grow() {
        let oldKeys = keys, oldValues = values, oldCapacity = capacity
        capacity *= 2
        keys = .allocate(capacity: capacity)
        keys.initialize(repeating: 0, count: capacity)
        values = .allocate(capacity: capacity)
        let mask = capacity - 1
        for index in 0..<oldCapacity where oldKeys[index] != 0 {
            var slot = CooccurrenceTable.slot(oldKeys[index], mask)
            while keys[slot] != 0 { slot = (slot + 1) & mask }
            keys[slot] = oldKeys[index]
            values[slot] = oldValues[index]
        }
        oldKeys.deallocate()
        oldValues.deallocate()
    }

    /// Sorts the entries by key and writes them as one run; empties the table.
    func spill() throws {
        guard count > 0 else { return }
        var sortedKeys = [UInt64](repeating: 0, count: count)
        var sortedValues = [Float](repeating: 0, count: count)
        var filled = 0
        for index in 0..<capacity where keys[index] != 0 {
            sortedKeys[filled] = keys[index] &- 1
            sortedValues[filled] = values[index]
            filled += 1
        }
        radixSort(keys: &sortedKeys, values: &sortedValues)
        try runs.write(keys: sortedKeys, values: sortedValues)
        keys.update(repeating: 0, count: capacity)
        count = 0
    }
}

/// LSD radix sort of (key, value) pairs by key, 11 bits a pass, skipping passes where every key has
/// the same digit. Stable; O(n · passes).
func radixSort(keys: inout [UInt64], values: inout [Float]) {
    let n = keys.count
    guard n > 1 else { return }
    let maximum = keys.max() ?? 0
    var otherKeys = [UInt64](repeating: 0, count: n)
    var otherValues = [Float](repeating: 0, count: n)
    var shift: UInt64 = 0
    while shift < 64 && (maximum >> shift) > 0 {
        var histogram = [Int](repeating: 0, count: 2049)
        for key in keys { histogram[Int((key >> shift) & 2047) + 1] += 1 }
        if histogram.contains(n) { shift += 11; continue }   // one digit for all: nothing to do
        for digit in 0..<2048 { histogram[digit + 1] += histogram[digit] }
        for index in 0..<n {
            let digit = Int((keys[index] >> shift) & 2047)
            let target = histogram[digit]
            histogram[digit] += 1
            otherKeys[target] = keys[index]
            otherValues[target] = values[index]
        }
        swap(&keys, &otherKeys)
        swap(&values, &otherValues)
        shift += 11
    }
}

// MARK: - Counting a corpus

extension GloVe {
    /// Counts the symmetric 1/distance-weighted co-occurrences of `corpus` over `Threads.count`
    /// threads into sorted runs (on disk under `config.temporaryDirectory`). Only `config`'s window,
    /// memory budget and folder are used; `weighting(d)` replaces 1/d when given.
    static func countCooccurrences(
        corpus: TextCorpus, vocabulary: Vocabulary, config: GloVeConfig, progress: TrainingProgress?,
        weighting: ((Int) -> Float)? = nil
    ) throws -> CooccurrenceRuns {
        let threads = config.threads ?? Threads.count
        let runs = try CooccurrenceRuns(directory: config.temporaryDirectory.path)
        let ranges = corpus.byteRanges(parts: threads)
        let tokens = SharedCounters(threads: threads)
        let window = config.window
        // weight(d) = 1/d (GloVe), or the caller's weighting (count vectors use 1).
        let reciprocal = (0...window).map { $0 == 0 ? Float(0) : (weighting?($0) ?? 1 / Float($0)) }
        try runWorkers(threads: threads) { thread in
            let table = CooccurrenceTable(budget: config.memoryBudget / threads, runs: runs)
            try corpus.forEachSentence(in: ranges[thread], table: vocabulary.table) { sentence, read in
                var caught: Error? = nil
                for position in 0..<sentence.count where caught == nil {
                    let word = Int(sentence[position])
                    let first = max(0, position - window)
                    for previous in first..<position {
                        let context = Int(sentence[previous])
                        let weight = reciprocal[position - previous]
                        do {
                            try table.add(word: context, context: word, amount: weight)
                            try table.add(word: word, context: context, amount: weight)
                        } catch { caught = error }
                    }
                }
                tokens.add(read, thread: thread)
                if thread == 0, let progress {
                    progress.update(done: Double(tokens.total), total: Double(vocabulary.corpusTokens))
                }
                if let caught { runs.record(caught) }
            }
            try table.spill()
        }
        try runs.rethrow()
        return runs
    }
}
