// BPE+Encode: the fast BPE encoder. A word becomes a doubly linked list of symbols and a min-heap
// of (rank, position) for every adjacent pair that has a merge; popping the heap applies the best
// merge, and only the two pairs next to it are re-examined. Stale heap entries are skipped when
// popped (lazy deletion). Words already seen come from a per-thread cache.
// Equivalent to `BPE.referenceTokenize` (the quadratic loop); a test checks that they agree.
// Reference: HF tokenizers models/bpe/word.rs (merge_all) and model.rs (merge_word, the cache).
// Not handled: BPE-dropout.

extension BPE {
    /// Tokenises one word. See `TokenizationModel.tokenize(word:isByteLevel:into:workspace:)`.
    ///
    /// Equivalent to `referenceTokenize(_:isByteLevel:)`: repeatedly merge the adjacent pair with
    /// the lowest rank, the leftmost one on ties, until no adjacent pair has a merge.
    /// - Complexity: O(n log n) for a word of n characters (O(n) for a cached word), against
    ///   O(n²) for the reference.
    public func tokenize(word: UnsafeBufferPointer<UInt8>, isByteLevel: Bool, into output: inout [ModelToken], workspace: AnyObject) {
        guard type(of: workspace) == BPEWorkspace.self else { return }
        let workspace = unsafeDowncast(workspace, to: BPEWorkspace.self)  // checked on the line above
        guard var state = workspace.takeState() else { return }
        tokenize(word: word, isByteLevel: isByteLevel, into: &output, state: &state)
        workspace.state = state
    }

    /// The encoder proper, on a per-thread state the caller holds (the tokenizer takes the state
    /// out of its workspace once per text, so the word loop runs without dynamic exclusivity checks).
    func tokenize(word: UnsafeBufferPointer<UInt8>, isByteLevel: Bool, into output: inout [ModelToken], state: inout BPEState) {
        guard !word.isEmpty else { return }
        if ignoreMerges, let id = vocabulary[wordString(word, isByteLevel: isByteLevel)] {
            output.append(ModelToken(id: id, range: 0..<word.count))
            return
        }
        let flag: UInt64 = isByteLevel ? 0x5A5A : 0
        let hit = state.cache.lookup(word, flag: flag) { pairs in
            var start = 0
            var index = 0
            while index < pairs.count {
                let length = Int(pairs[index + 1])
                output.append(ModelToken(id: Int(pairs[index]), range: start..<(start + length)))
                start += length
                index += 2
            }
        }
        if hit { return }

        loadSymbols(word, isByteLevel: isByteLevel, into: &state.scratch)
        applyMerges(&state.scratch)

        state.scratch.pairs.removeAll(keepingCapacity: true)
        var symbol = state.scratch.symbolIDs.isEmpty ? -1 : 0
        while symbol >= 0 {
            let start = Int(state.scratch.symbolStarts[symbol])
            let length = Int(state.scratch.symbolLengths[symbol])
            output.append(ModelToken(id: Int(state.scratch.symbolIDs[symbol]), range: start..<(start + length)))
            state.scratch.pairs.append(state.scratch.symbolIDs[symbol])
            state.scratch.pairs.append(Int32(length))
            symbol = Int(state.scratch.next[symbol])
        }
        state.cache.insert(word, flag: flag, tokens: state.scratch.pairs[...])
    }

    // MARK: - Merging

    /// Applies merges to the symbol list in `workspace` (HF `Word::merge_all` without dropout).
    private func applyMerges(_ scratch: inout BPEScratch) {
        let count = scratch.symbolIDs.count
        guard count > 1 else { return }
        var heap = scratch.heap
        scratch.heap = MinHeap(storage: [])
        defer { scratch.heap = heap }
        heap.removeAll()
        scratch.symbolIDs.withUnsafeMutableBufferPointer { ids in
        scratch.symbolLengths.withUnsafeMutableBufferPointer { lengths in
        scratch.previous.withUnsafeMutableBufferPointer { previous in
        scratch.next.withUnsafeMutableBufferPointer { next in
            for position in 0..<(count - 1) {
                if let merge = mergeTable.value(for: PairTable.key(ids[position], ids[position + 1])) {
                    heap.push((merge >> 32) << 32 | UInt64(position))
                }
            }
            while let top = heap.pop() {
                let rank = Int(top >> 32)
                let position = Int(top & 0xFFFF_FFFF)
                if ids[position] < 0 { continue }                 // merged into its left neighbour
                let right = Int(next[position])
                if right < 0 { continue }                          // last symbol
                guard let merge = mergeTable.value(for: PairTable.key(ids[position], ids[right])),
                      Int32(truncatingIfNeeded: merge) == mergedIDs[rank] else { continue }  // stale entry
                // Merge `right` into `position`.
                ids[position] = mergedIDs[rank]
                lengths[position] += lengths[right]
                next[position] = next[right]
                ids[right] = -1
                if next[right] >= 0 { previous[Int(next[right])] = Int32(position) }
                // The two pairs that changed.
                let before = Int(previous[position])
                if before >= 0, let pair = mergeTable.value(for: PairTable.key(ids[before], ids[position])) {
                    heap.push((pair >> 32) << 32 | UInt64(before))
                }
                let after = Int(next[position])
                if after >= 0, let pair = mergeTable.value(for: PairTable.key(ids[position], ids[after])) {
                    heap.push((pair >> 32) << 32 | UInt64(position))
                }
            }
        }}}}
    }

    // MARK: - Initial symbols

    /// Fills the scratch with one symbol per character (HF `merge_word` before `merge_all`):
    /// characters missing from the vocabulary become byte-fallback tokens, the unknown token, or
    /// nothing. As in HF, a symbol's position is the sum of the lengths of the symbols before it,
    /// so a dropped character shifts the offsets of what follows (HF's behaviour, kept for parity);
    /// positions are clamped to the word.
    func loadSymbols(_ word: UnsafeBufferPointer<UInt8>, isByteLevel: Bool, into scratch: inout BPEScratch) {
        scratch.symbolIDs.removeAll(keepingCapacity: true)
        scratch.symbolStarts.removeAll(keepingCapacity: true)
        scratch.symbolLengths.removeAll(keepingCapacity: true)
        let simple = continuingSubwordPrefix == nil && endOfWordSuffix == nil
        var pendingUnknown: Int? = nil  // length of the unknown run waiting to be added
        var offset = 0

        func add(_ id: Int32, _ length: Int) {
            let start = min(offset, word.count)
            scratch.symbolIDs.append(id)
            scratch.symbolStarts.append(Int32(start))
            scratch.symbolLengths.append(Int32(min(length, word.count - start)))
            offset += length
        }
        func flushUnknown() {
            if let length = pendingUnknown, let unknownID { add(unknownID, length) }
            pendingUnknown = nil
        }

        var position = 0
        while position < word.count {
            let length = isByteLevel ? 1 : UTF8Validation.length(ofLead: word[position])
            let isFirst = position == 0
            let isLast = position + length >= word.count
            var id: Int32 = -1
            var spelled: String? = nil
            if simple {
                id = isByteLevel ? byteLevelIDs[Int(word[position])]
                    : (scalarIDs[UTF8Validation.decode(at: position, in: word).scalar] ?? -1)
            } else {
                spelled = characterString(word, position, length, isByteLevel: isByteLevel, first: isFirst, last: isLast)
                id = spelled.flatMap { vocabulary[$0] }.map(Int32.init) ?? -1
            }
            if id >= 0 {
                flushUnknown()
                add(id, length)
            } else if byteFallback, let fallback = byteFallbackIDs(spelled ?? characterString(word, position, length, isByteLevel: isByteLevel, first: isFirst, last: isLast)) {
                flushUnknown()
                for fallbackID in fallback { add(fallbackID, 1) }
            } else if unknownID != nil {
                if fuseUnknown, let pending = pendingUnknown {
                    pendingUnknown = pending + length
                } else {
                    flushUnknown()
                    pendingUnknown = length
                }
            }
            position += length
        }
        flushUnknown()

        let count = scratch.symbolIDs.count
        scratch.previous.removeAll(keepingCapacity: true)
        scratch.next.removeAll(keepingCapacity: true)
        for index in 0..<count {
            scratch.previous.append(Int32(index - 1))
            scratch.next.append(index + 1 < count ? Int32(index + 1) : -1)
        }
    }

    /// One character of the word as the vocabulary spells it (with prefix/suffix when configured).
    func characterString(_ word: UnsafeBufferPointer<UInt8>, _ position: Int, _ length: Int,
                         isByteLevel: Bool, first: Bool, last: Bool) -> String {
        var text = isByteLevel ? ByteLevelAlphabet.strings[Int(word[position])]
            : String(decoding: UnsafeBufferPointer(rebasing: word[position..<(position + length)]), as: UTF8.self)
        if !first, let prefix = continuingSubwordPrefix { text = prefix + text }
        if last, let suffix = endOfWordSuffix { text += suffix }
        return text
    }

    /// `<0xXX>` ids for every byte of `text`, or nil if one is missing.
    private func byteFallbackIDs(_ text: String) -> [Int32]? {
        var ids: [Int32] = []
        for byte in text.utf8 {
            let name = "<0x" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2) + ">"
            guard let id = vocabulary[name] else { return nil }
            ids.append(Int32(id))
        }
        return ids
    }

    /// The word as the vocabulary spells it.
    func wordString(_ word: UnsafeBufferPointer<UInt8>, isByteLevel: Bool) -> String {
        isByteLevel ? ByteLevelAlphabet.encode(word) : String(decoding: word, as: UTF8.self)
    }
}

extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

/// A binary min-heap of UInt64 keys (rank in the high half, position in the low half, so that
/// equal ranks pop leftmost first).
struct MinHeap {
    var storage: [UInt64]

    mutating func removeAll() { storage.removeAll(keepingCapacity: true) }

    @inline(__always)
    mutating func push(_ value: UInt64) {
        storage.append(value)
        var child = storage.count - 1
        while child > 0 {
            let parent = (child - 1) / 2
            if storage[parent] <= value { break }
            storage[child] = storage[parent]
            child = parent
        }
        storage[child] = value
    }

    @inline(__always)
    mutating func pop() -> UInt64? {
        guard let last = storage.popLast() else { return nil }
        guard !storage.isEmpty else { return last }
        let top = storage[0]
        var parent = 0
        let count = storage.count
        while true {
            var child = 2 * parent + 1
            if child >= count { break }
            if child + 1 < count, storage[child + 1] < storage[child] { child += 1 }
            if storage[child] >= last { break }
            storage[parent] = storage[child]
            parent = child
        }
        storage[parent] = last
        return top
    }
}
