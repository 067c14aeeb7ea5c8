// WordTable: an open-addressing hash table from a word's UTF-8 bytes to a dense index, with a
// count per word. It is what counting a corpus and looking words up while training need: no
// String is created per token (hashing Swift Strings per token would dominate the run time).
// Reference: linear probing as in word2vec.c's vocab_hash (with FNV-1a instead of its hash).
// Not handled: deletion (vocabularies are rebuilt, never edited).

/// A growable map `word bytes → index` with a count per index. Lookups may run concurrently
/// once insertion has stopped; insertion is single-threaded.
public final class WordTable: @unchecked Sendable {
    // @unchecked: one thread inserts while counting; trainers share the table only for look-ups
    // after counting has ended (raw buffers, which the compiler cannot follow).
    /// Concatenated UTF-8 bytes of every word, in index order.
    private var arena: UnsafeMutablePointer<UInt8>
    private var arenaCapacity: Int
    private var arenaCount = 0
    /// `starts[i]..<starts[i + 1]` are the bytes of word i.
    private var starts: UnsafeMutablePointer<Int>
    /// How often each word was seen (`add`), or a count given at insertion.
    public private(set) var counts: UnsafeMutablePointer<Int>
    private var wordCapacity: Int
    /// The number of distinct words.
    public private(set) var count = 0
    /// Slot → word index + 1 (0 = empty).
    private var slots: UnsafeMutablePointer<Int32>
    private var slotMask: Int

    public init(expectedWords: Int = 1 << 16) {
        var slotCount = 1024
        while slotCount < expectedWords * 2 { slotCount <<= 1 }
        slotMask = slotCount - 1
        slots = .allocate(capacity: slotCount)
        slots.initialize(repeating: 0, count: slotCount)
        wordCapacity = max(16, expectedWords)
        starts = .allocate(capacity: wordCapacity + 1)
        starts[0] = 0
        counts = .allocate(capacity: wordCapacity)
        arenaCapacity = wordCapacity * 8
        arena = .allocate(capacity: arenaCapacity)
    }

    deinit {
        arena.deallocate()
        starts.deallocate()
        counts.deallocate()
        slots.deallocate()
    }

    // MARK: - Hashing

    /// FNV-1a over the bytes, 64-bit, folded for the slot index.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return h ^ (h >> 29)
    }

    @inline(__always)
    private func matches(_ index: Int, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = starts[index]
        let length = starts[index + 1] - start
        guard length == bytes.count else { return false }
        guard let base = bytes.baseAddress else { return length == 0 }
        return memcmp(arena + start, base, length) == 0
    }

    // MARK: - Lookup and insertion

    /// The index of `bytes`, or nil.
    @inline(__always)
    public func index(of bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var slot = Int(truncatingIfNeeded: WordTable.hash(bytes)) & slotMask
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { return nil }
            if matches(entry - 1, bytes) { return entry - 1 }
            slot = (slot + 1) & slotMask
        }
    }

    /// The index of a String word, or nil.
    public func index(of word: String) -> Int? {
        var copy = word
        return copy.withUTF8 { index(of: $0) }
    }

    /// Adds `amount` to the count of `bytes`, inserting it first if new. Returns its index.
    @discardableResult
    public func add(_ bytes: UnsafeBufferPointer<UInt8>, amount: Int = 1) -> Int {
        var slot = Int(truncatingIfNeeded: WordTable.hash(bytes)) & slotMask
        while true {
            let entry = Int(slots[slot])
            if entry == 0 { break }
            if matches(entry - 1, bytes) {
                counts[entry - 1] += amount
                return entry - 1
            }
            slot = (slot + 1) & slotMask
        }
        let index = append(bytes, count: amount)
        slots[slot] = Int32(index + 1)
        if count * 2 > slotMask { rehash(slotCount: (slotMask + 1) * 2) }
        return index
    }

    /// Adds a String word (see `add(_:amount:)`).
    @discardableResult
    public func add(_ word: String, amount: Int = 1) -> Int {
        var copy = word
        return copy.withUTF8 { add($0, amount: amount) }
    }

    private func append(_ bytes: UnsafeBufferPointer<UInt8>, count amount: Int) -> Int {
        if count == wordCapacity {
            let newCapacity = wordCapacity * 2
            let newStarts = UnsafeMutablePointer<Int>.allocate(capacity: newCapacity + 1)
            newStarts.update(from: starts, count: count + 1)
            starts.deallocate()
            starts = newStarts
            let newCounts = UnsafeMutablePointer<Int>.allocate(capacity: newCapacity)
            newCounts.update(from: counts, count: count)
            counts.deallocate()
            counts = newCounts
            wordCapacity = newCapacity
        }
        if arenaCount + bytes.count > arenaCapacity {
            let newCapacity = max(arenaCapacity * 2, arenaCount + bytes.count)
            let newArena = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            newArena.update(from: arena, count: arenaCount)
            arena.deallocate()
            arena = newArena
            arenaCapacity = newCapacity
        }
        if let base = bytes.baseAddress { (arena + arenaCount).update(from: base, count: bytes.count) }
        arenaCount += bytes.count
        let index = count
        counts[index] = amount
        count += 1
        starts[count] = arenaCount
        return index
    }

    private func rehash(slotCount: Int) {
        slots.deallocate()
        slots = .allocate(capacity: slotCount)
        slots.initialize(repeating: 0, count: slotCount)
        slotMask = slotCount - 1
        for index in 0..<count {
            var slot = Int(truncatingIfNeeded: WordTable.hash(bytes(at: index))) & slotMask
            while slots[slot] != 0 { slot = (slot + 1) & slotMask }
            slots[slot] = Int32(index + 1)
        }
    }

    // MARK: - Reading entries

    /// The UTF-8 bytes of word `index` (valid while the table is alive and unchanged).
    public func bytes(at index: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: arena + starts[index], count: starts[index + 1] - starts[index])
    }

    /// Word `index` as a String.
    public func word(at index: Int) -> String {
        String(decoding: bytes(at: index), as: UTF8.self)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
