// PairTable: a hash map from a pair of token ids to one 64-bit payload, the structure behind both
// the merge table of BPE encoding ((left, right) → (rank, merged id)) and the pair counts of
// training. Open addressing with linear probing on the packed key `left << 32 | right`.
// Reference: Knuth TAOCP vol. 3, 6.4 (algorithm L); the mixer is SplitMix64's finaliser.
// Not handled: deletion (a count that drops to zero stays as a zero entry, like HF's map).

/// Pair of ids → UInt64.
struct PairTable {
    private var keys: [UInt64]
    private var values: [UInt64]
    private var occupied: [Bool]
    private var mask: Int
    private(set) var count = 0

    init(expected: Int = 16) {
        var size = 16
        while size < expected * 2 { size <<= 1 }
        keys = [UInt64](repeating: 0, count: size)
        values = [UInt64](repeating: 0, count: size)
        occupied = [Bool](repeating: false, count: size)
        mask = size - 1
    }

    @inline(__always)
    static func key(_ left: Int32, _ right: Int32) -> UInt64 {
        UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
    }

    @inline(__always)
    private static func slot(of key: UInt64) -> Int {
        var mixed = key &+ 0x9E37_79B9_7F4A_7C15
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int(truncatingIfNeeded: mixed ^ (mixed >> 31))
    }

    /// The payload stored for `key`, if any.
    @inline(__always)
    func value(for key: UInt64) -> UInt64? {
        var index = PairTable.slot(of: key) & mask
        while occupied[index] {
            if keys[index] == key { return values[index] }
            index = (index + 1) & mask
        }
        return nil
    }

    /// Stores `value` for `key` (replacing any previous one).
    mutating func set(_ value: UInt64, for key: UInt64) {
        let index = findOrInsert(key)
        values[index] = value
    }

    /// Adds `delta` (two's complement) to the payload of `key`, creating it at 0 first; returns the new value.
    @inline(__always)
    @discardableResult
    mutating func add(_ delta: Int, to key: UInt64) -> Int {
        let index = findOrInsert(key)
        let updated = Int(bitPattern: UInt(values[index])) &+ delta
        values[index] = UInt64(UInt(bitPattern: updated))
        return updated
    }

    /// The payload of `key` read as a signed count (0 when absent).
    @inline(__always)
    func signedValue(for key: UInt64) -> Int {
        guard let raw = value(for: key) else { return 0 }
        return Int(bitPattern: UInt(raw))
    }

    /// Calls `body` for each key and payload (in slot order).
    func forEach(_ body: (UInt64, UInt64) -> Void) {
        for index in keys.indices where occupied[index] { body(keys[index], values[index]) }
    }

    @inline(__always)
    private mutating func findOrInsert(_ key: UInt64) -> Int {
        var index = PairTable.slot(of: key) & mask
        while occupied[index] {
            if keys[index] == key { return index }
            index = (index + 1) & mask
        }
        occupied[index] = true
        keys[index] = key
        values[index] = 0
        count += 1
        if count * 2 > keys.count {
            grow()
            return findOrInsertExisting(key)
        }
        return index
    }

    private func findOrInsertExisting(_ key: UInt64) -> Int {
        var index = PairTable.slot(of: key) & mask
        while keys[index] != key || !occupied[index] { index = (index + 1) & mask }
        return index
    }

    private mutating func grow() {
        let oldKeys = keys, oldValues = values, oldOccupied = occupied
        let size = keys.count * 2
        keys = [UInt64](repeating: 0, count: size)
        values = [UInt64](repeating: 0, count: size)
        occupied = [Bool](repeating: false, count: size)
        mask = size - 1
        for index in oldKeys.indices where oldOccupied[index] {
            var slot = PairTable.slot(of: oldKeys[index]) & mask
            while occupied[slot] { slot = (slot + 1) & mask }
            occupied[slot] = true
            keys[slot] = oldKeys[index]
            values[slot] = oldValues[index]
        }
    }
}
