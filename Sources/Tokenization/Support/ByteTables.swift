// ByteTables: the two hash tables on the hot paths, keyed by raw byte strings so that no String
// is ever built for a word: `WordCache` (word → its BPE tokens, per thread, in `encode`) and
// `WordCounter` (word → count, per thread, in training). Open addressing with linear probing;
// keys and values live in flat arenas. Hash: a multiply–xorshift mix eight bytes at a time.
// Reference: the usual open-addressing design (Knuth TAOCP vol. 3, 6.4, algorithm L).
// Not handled: deletion (tables only grow, or are cleared whole).

import Foundation

/// A 64-bit hash of `count` bytes at `bytes` (not cryptographic; stable within one process).
@inline(__always)
func hashBytes(_ bytes: UnsafePointer<UInt8>, _ count: Int, seed: UInt64 = 0) -> UInt64 {
    var hash: UInt64 = seed ^ (UInt64(truncatingIfNeeded: count) &* 0x9E37_79B9_7F4A_7C15)
    var index = 0
    while index + 8 <= count {
        let word = UnsafeRawPointer(bytes + index).loadUnaligned(as: UInt64.self)
        hash = (hash ^ word) &* 0xBF58_476D_1CE4_E5B9
        hash ^= hash >> 31
        index += 8
    }
    var tail: UInt64 = 0
    var shift: UInt64 = 0
    while index < count {
        tail |= UInt64(bytes[index]) << shift
        shift += 8
        index += 1
    }
    hash = (hash ^ tail) &* 0x94D0_49BB_1331_11EB
    hash ^= hash >> 29
    hash = hash &* 0xBF58_476D_1CE4_E5B9
    return hash ^ (hash >> 32)
}

// MARK: - WordCache

/// Remembers the tokens of words already seen (HF keeps a similar cache per thread).
/// Holds at most `capacity` words; when full it stops taking new ones (HF's policy): word
/// frequencies follow Zipf's law, so the frequent words are in long before it fills. The probe table holds 8 bytes per slot (a 32-bit hash tag and an
/// entry number), so its hot part stays in the CPU's cache; entries are stored densely apart.
struct WordCache {
    private struct Entry {
        var keyStart: Int32
        var keyCount: Int32
        var valueStart: Int32
        var valueCount: Int32
    }

    /// Words longer than this are not cached (HF: 256).
    static let maximumWordLength = 256

    private let capacity: Int
    /// `tag << 32 | (entry + 1)`, or 0 for an empty slot.
    private var slots: [UInt64]
    private let mask: Int
    private var entries: [Entry] = []
    private var keys: [UInt8] = []
    /// Token ids and token byte lengths, interleaved.
    private var values: [Int32] = []

    init(capacity: Int = 1 << 16) {
        self.capacity = capacity
        var size = 1
        while size < capacity * 2 { size <<= 1 }
        slots = [UInt64](repeating: 0, count: size)
        mask = size - 1
        entries.reserveCapacity(capacity)
        keys.reserveCapacity(capacity * 8)
        values.reserveCapacity(capacity * 4)
    }

    /// Calls `hit` with the cached (id, length) pairs of `word` and returns true, or returns false.
    @inline(__always)
    func lookup(_ word: UnsafeBufferPointer<UInt8>, flag: UInt64, _ hit: (UnsafeBufferPointer<Int32>) -> Void) -> Bool {
        guard let base = word.baseAddress, word.count <= WordCache.maximumWordLength else { return false }
        let hash = hashBytes(base, word.count, seed: flag)
        let tag = hash >> 32
        let mask = self.mask
        // One formal access per array (not one per probe): class properties are checked for exclusivity.
        let found: Entry? = slots.withUnsafeBufferPointer { slots in
            entries.withUnsafeBufferPointer { entries in
                keys.withUnsafeBufferPointer { keys in
                    var index = Int(truncatingIfNeeded: hash) & mask
                    while true {
                        let slot = slots[index]
                        if slot == 0 { return nil }
                        if slot >> 32 == tag {
                            let entry = entries[Int(slot & 0xFFFF_FFFF) - 1]
                            if Int(entry.keyCount) == word.count, memcmp(keys.baseAddress! + Int(entry.keyStart), base, word.count) == 0 {
                                return entry
                            }
                        }
                        index = (index + 1) & mask
                    }
                }
            }
        }
        guard let entry = found else { return false }
        values.withUnsafeBufferPointer { stored in
            hit(UnsafeBufferPointer(rebasing: stored[Int(entry.valueStart)..<Int(entry.valueStart + entry.valueCount)]))
        }
        return true
    }

    /// Stores `tokens` ((id, length) pairs, interleaved) for `word`.
    mutating func insert(_ word: UnsafeBufferPointer<UInt8>, flag: UInt64, tokens: ArraySlice<Int32>) {
        guard let base = word.baseAddress, word.count <= WordCache.maximumWordLength, entries.count < capacity else { return }
        let hash = hashBytes(base, word.count, seed: flag)
        var index = Int(truncatingIfNeeded: hash) & mask
        while slots[index] != 0 { index = (index + 1) & mask }
        entries.append(Entry(keyStart: Int32(keys.count), keyCount: Int32(word.count),
                             valueStart: Int32(values.count), valueCount: Int32(tokens.count)))
        slots[index] = (hash >> 32) << 32 | UInt64(entries.count)
        keys.append(contentsOf: word)
        values.append(contentsOf: tokens)
    }

    mutating func clear() {
        for index in slots.indices { slots[index] = 0 }
        entries.removeAll(keepingCapacity: true)
        keys.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
    }
}

// MARK: - WordCounter

/// Counts byte strings. Keys are stored once in an arena, in insertion order. A struct, used
/// `inout` by one worker: no dynamic exclusivity checks in the counting loop.
struct WordCounter {
    private var slotWords: [Int32]  // index into `starts`, or -1
    private var mask: Int
    private(set) var hashes: [UInt64] = []
    private(set) var starts: [Int] = []
    private(set) var lengths: [Int32] = []
    private(set) var counts: [Int] = []
    private(set) var arena: [UInt8] = []

    init(expectedWords: Int = 1 << 14) {
        var size = 16
        while size < expectedWords * 2 { size <<= 1 }
        slotWords = [Int32](repeating: -1, count: size)
        mask = size - 1
    }

    /// The number of distinct words.
    var count: Int { starts.count }

    /// Adds `amount` to the count of `word` (`hash` must be `hashBytes` of it).
    @inline(__always)
    mutating func add(_ word: UnsafeBufferPointer<UInt8>, hash: UInt64, amount: Int = 1) {
        guard let base = word.baseAddress else { return }
        var index = Int(truncatingIfNeeded: hash) & mask
        while true {
            let entry = slotWords[index]
            if entry < 0 { break }
            let word32 = Int(entry)
            if hashes[word32] == hash, Int(lengths[word32]) == word.count {
                let start = starts[word32]
                let equal = arena.withUnsafeBufferPointer { memcmp($0.baseAddress! + start, base, word.count) == 0 }
                if equal {
                    counts[word32] += amount
                    return
                }
            }
            index = (index + 1) & mask
        }
        slotWords[index] = Int32(starts.count)
        hashes.append(hash)
        starts.append(arena.count)
        lengths.append(Int32(word.count))
        counts.append(amount)
        arena.append(contentsOf: word)
        if starts.count * 2 > slotWords.count { grow() }
    }

    /// Adds every word of `other` (with its count).
    mutating func merge(_ other: WordCounter) {
        other.arena.withUnsafeBufferPointer { otherArena in
            for word in 0..<other.count {
                let bytes = UnsafeBufferPointer(rebasing: otherArena[other.starts[word]..<(other.starts[word] + Int(other.lengths[word]))])
                add(bytes, hash: other.hashes[word], amount: other.counts[word])
            }
        }
    }

    /// The bytes of word `index`.
    func word(_ index: Int) -> ArraySlice<UInt8> { arena[starts[index]..<(starts[index] + Int(lengths[index]))] }

    private mutating func grow() {
        let size = slotWords.count * 2
        slotWords = [Int32](repeating: -1, count: size)
        mask = size - 1
        for word in 0..<starts.count {
            var index = Int(truncatingIfNeeded: hashes[word]) & mask
            while slotWords[index] >= 0 { index = (index + 1) & mask }
            slotWords[index] = Int32(word)
        }
    }
}
