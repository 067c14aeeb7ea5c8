// MergeLearner: step 2 of training. Words become arrays of symbol ids; adjacent pairs are counted
// (each weighted by its word's count) together with, for each pair, the list of words that hold
// it. A max-heap yields the most frequent pair; after a merge only the words on that pair's list
// are rewritten, and each rewrite reports which neighbouring pairs it destroyed (−count) and
// created (+count). Created pairs go back on the heap with the words that gained them; entries
// whose count has changed since they were queued are re-validated when they reach the top.
// Reference: HF tokenizers models/bpe/trainer.rs (do_train) and word.rs (Word::merge), followed
// step by step, including its tie-breaking and its `max_token_length` rule.
// Not handled: nothing HF does; HF's hash-order differences are made deterministic (sorted).

/// The merge loop. One instance learns once.
struct MergeLearner {
    let configuration: BPETrainerConfiguration
    let counts: WordCounts

    struct Result {
        var vocabulary: [String: Int]
        var merges: [(String, String)]
    }

    // MARK: - State

    /// id → token and token → id.
    private var tokens: [String] = []
    private var ids: [String: Int32] = [:]
    /// Length of each token in initial symbols (characters), for `max_token_length`.
    private var tokenLengths: [Int32] = []
    /// All words' symbols, one after the other; a word occupies `wordStart[w] ..< wordStart[w] + wordLength[w]`.
    private var symbols: [Int32] = []
    private var wordStart: [Int] = []
    private var wordLength: [Int32] = []
    private var wordCount: [Int] = []
    /// Weighted count of every pair (HF `pair_counts`).
    private var pairCounts = PairTable()
    /// Word lists referenced by queue entries (HF keeps them inside `Merge.pos`).
    private var wordLists: [[Int32]] = []
    private var freeLists: [Int32] = []

    init(configuration: BPETrainerConfiguration, counts: WordCounts) {
        self.configuration = configuration
        self.counts = counts
    }

    // MARK: - Learning

    mutating func learn(onMerge: ((BPETrainer.MergeEvent) -> Void)?) -> Result {
        addSpecialTokens()
        let alphabet = computeAlphabet()
        loadWords(alphabet: alphabet)
        var queue = countPairs()

        let total = max(0, configuration.vocabularySize - tokens.count)
        let progress = ProgressReporter(label: "learning merges", total: Double(total), unit: "merges", enabled: configuration.showProgress)
        let maximumLength = configuration.maxTokenLength ?? Int.max
        var merges: [(left: Int32, right: Int32)] = []
        var pending = PendingPairs()

        while tokens.count < configuration.vocabularySize, var top = queue.pop() {
            let current = pairCounts.signedValue(for: top.pair)
            if top.count != current {
                top.count = current  // stale: re-queue with the true count
                queue.push(top)
                continue
            }
            if top.count < 1 || configuration.minimumFrequency > top.count { break }

            let left = Int32(truncatingIfNeeded: top.pair >> 32), right = Int32(truncatingIfNeeded: top.pair)
            var rightPart = tokens[Int(right)]
            if let prefix = configuration.continuingSubwordPrefix, rightPart.hasPrefix(prefix) { rightPart.removeFirst(prefix.count) }
            let mergedToken = tokens[Int(left)] + rightPart
            let merged: Int32
            if let existing = ids[mergedToken] {
                merged = existing
            } else {
                merged = Int32(tokens.count)
                tokens.append(mergedToken)
                ids[mergedToken] = merged
                tokenLengths.append(tokenLengths[Int(left)] + tokenLengths[Int(right)])
            }
            merges.append((left, right))
            onMerge?(BPETrainer.MergeEvent(index: merges.count - 1, left: tokens[Int(left)], right: tokens[Int(right)],
                                           merged: mergedToken, mergedID: Int(merged), count: top.count))

            // Rewrite the words on this entry's list; collect the pairs they gained.
            pending.reset()
            let words = wordLists[Int(top.words)]
            releaseList(top.words)
            let mergedLength = Int(tokenLengths[Int(merged)])
            symbols.withUnsafeMutableBufferPointer { symbols in
                wordLength.withUnsafeMutableBufferPointer { wordLength in
                    tokenLengths.withUnsafeBufferPointer { tokenLengths in
                        for word in words {
                            MergeLearner.mergeWord(Int(word), left: left, right: right, merged: merged, mergedLength: mergedLength,
                                                   maximumLength: maximumLength, symbols: symbols, start: wordStart[Int(word)],
                                                   length: wordLength, count: wordCount[Int(word)], tokenLengths: tokenLengths,
                                                   pairCounts: &pairCounts, pending: &pending)
                        }
                    }
                }
            }
            // Queue every gained pair that still occurs, with the words that gained it (sorted for determinism).
            for (pair, list) in pending.sortedEntries() {
                let count = pairCounts.signedValue(for: pair)
                if count > 0 { queue.push(MergeCandidate(count: count, pair: pair, words: storeList(list))) }
            }
            progress.update(done: Double(merges.count))
        }
        progress.finish(done: Double(merges.count))

        var vocabulary: [String: Int] = [:]
        for (id, token) in tokens.enumerated() { vocabulary[token] = id }
        return Result(vocabulary: vocabulary, merges: merges.map { (tokens[Int($0.left)], tokens[Int($0.right)]) })
    }

    /// HF `Word::merge` on word `word`: replaces each (left, right) by `merged`, left to right,
    /// and updates the pair counts of the neighbours: the old neighbouring pairs lose the word's
    /// count; the new ones gain it unless the new token would reach `maximumLength` characters.
    @inline(__always)
    private static func mergeWord(_ word: Int, left: Int32, right: Int32, merged: Int32, mergedLength: Int, maximumLength: Int,
                                  symbols: UnsafeMutableBufferPointer<Int32>, start: Int, length: UnsafeMutableBufferPointer<Int32>,
                                  count: Int, tokenLengths: UnsafeBufferPointer<Int32>,
                                  pairCounts: inout PairTable, pending: inout PendingPairs) {
        var read = start, write = start
        let end = start + Int(length[word])
        while read < end {
            let symbol = symbols[read]
            guard symbol == left, read + 1 < end, symbols[read + 1] == right else {
                symbols[write] = symbol
                write += 1
                read += 1
                continue
            }
            if write > start {  // a symbol before the pair (already rewritten, as in HF)
                let before = symbols[write - 1]
                pairCounts.add(-count, to: PairTable.key(before, left))
                if Int(tokenLengths[Int(before)]) + mergedLength < maximumLength {
                    let pair = PairTable.key(before, merged)
                    pairCounts.add(count, to: pair)
                    pending.insert(pair, word: Int32(word))
                }
            }
            if read + 2 < end {  // a symbol after the pair (not yet looked at)
                let after = symbols[read + 2]
                pairCounts.add(-count, to: PairTable.key(right, after))
                if Int(tokenLengths[Int(after)]) + mergedLength < maximumLength {
                    let pair = PairTable.key(merged, after)
                    pairCounts.add(count, to: pair)
                    pending.insert(pair, word: Int32(word))
                }
            }
            symbols[write] = merged
            write += 1
            read += 2
        }
        length[word] = Int32(write - start)
    }

    // MARK: - Word lists

    private mutating func storeList(_ list: [Int32]) -> Int32 {
        if let index = freeLists.popLast() {
            wordLists[Int(index)] = list
            return index
        }
        wordLists.append(list)
        return Int32(wordLists.count - 1)
    }

    private mutating func releaseList(_ index: Int32) {
        wordLists[Int(index)] = []
        freeLists.append(index)
    }
}

// MARK: - Setup: special tokens, alphabet, words, pairs

extension MergeLearner {
    /// Adds `token` unless present; returns its id.
    @discardableResult
    private mutating func addToken(_ token: String, length: Int32 = 1) -> Int32 {
        if let id = ids[token] { return id }
        let id = Int32(tokens.count)
        tokens.append(token)
        ids[token] = id
        tokenLengths.append(length)
        return id
    }

    /// HF step 1: special tokens first.
    private mutating func addSpecialTokens() {
        for token in configuration.specialTokens where !token.isEmpty { addToken(token) }
    }

    /// HF step 2: the characters of all words (weighted by count) plus the initial alphabet,
    /// optionally limited to the most frequent, then added in code point order.
    private mutating func computeAlphabet() -> Set<UInt32> {
        var frequency: [UInt32: Int] = [:]
        var byteFrequency = [Int](repeating: 0, count: 256)
        for word in 0..<counts.byteLevel.count {
            let count = counts.byteLevel.counts[word]
            for byte in counts.byteLevel.word(word) { byteFrequency[Int(byte)] += count }
        }
        for byte in 0..<256 where byteFrequency[byte] > 0 {
            frequency[ByteLevelAlphabet.scalars[byte].value, default: 0] += byteFrequency[byte]
        }
        for word in 0..<counts.plain.count {
            let count = counts.plain.counts[word]
            for scalar in String(decoding: counts.plain.word(word), as: UTF8.self).unicodeScalars {
                frequency[scalar.value, default: 0] += count
            }
        }
        for character in configuration.initialAlphabet {
            if let scalar = character.unicodeScalars.first { frequency[scalar.value] = Int.max }
        }
        var kept = frequency.map { (scalar: $0.key, count: $0.value) }
        if let limit = configuration.limitAlphabet, kept.count > limit {
            kept.sort { $0.count != $1.count ? $0.count < $1.count : $0.scalar < $1.scalar }
            kept.removeFirst(kept.count - limit)
        }
        kept.sort { $0.scalar < $1.scalar }
        for entry in kept {
            if let scalar = Unicode.Scalar(entry.scalar) { addToken(String(Character(scalar))) }
        }
        return Set(kept.map(\.scalar))
    }

    /// HF step 3: every word as symbol ids (characters outside the alphabet are dropped;
    /// prefix/suffix variants of characters become tokens of their own).
    private mutating func loadWords(alphabet: Set<UInt32>) {
        let simple = configuration.continuingSubwordPrefix == nil && configuration.endOfWordSuffix == nil
        var byteIDs = [Int32](repeating: -1, count: 256)
        for byte in 0..<256 where alphabet.contains(ByteLevelAlphabet.scalars[byte].value) {
            byteIDs[byte] = ids[ByteLevelAlphabet.strings[byte]] ?? -1
        }
        symbols.reserveCapacity(counts.byteLevel.arena.count + counts.plain.arena.count)
        for (counter, isByteLevel) in [(counts.byteLevel, true), (counts.plain, false)] {
            for word in 0..<counter.count {
                let start = symbols.count
                wordStart.append(start)
                wordCount.append(counter.counts[word])
                let characters: [UInt32] = isByteLevel
                    ? counter.word(word).map { ByteLevelAlphabet.scalars[Int($0)].value }
                    : String(decoding: counter.word(word), as: UTF8.self).unicodeScalars.map(\.value)
                for (position, character) in characters.enumerated() {
                    guard alphabet.contains(character), let scalar = Unicode.Scalar(character) else { continue }
                    if simple, isByteLevel, let byte = ByteLevelAlphabet.byte(for: scalar), byteIDs[Int(byte)] >= 0 {
                        symbols.append(byteIDs[Int(byte)])
                        continue
                    }
                    var text = String(Character(scalar))
                    if position > 0, let prefix = configuration.continuingSubwordPrefix { text = prefix + text }
                    if position == characters.count - 1, let suffix = configuration.endOfWordSuffix { text += suffix }
                    symbols.append(addToken(text))
                }
                wordLength.append(Int32(symbols.count - start))
            }
        }
    }

    /// HF step 4: pair counts and, per pair, the words holding it; one queue entry per pair.
    private mutating func countPairs() -> MergeQueue {
        var lists: [UInt64: [Int32]] = [:]
        pairCounts = PairTable(expected: 1 << 16)
        for word in 0..<wordStart.count {
            let start = wordStart[word], length = Int(wordLength[word])
            guard length > 1 else { continue }
            for position in start..<(start + length - 1) {
                let pair = PairTable.key(symbols[position], symbols[position + 1])
                pairCounts.add(wordCount[word], to: pair)
                if lists[pair, default: []].last != Int32(word) { lists[pair, default: []].append(Int32(word)) }
            }
        }
        var queue = MergeQueue()
        queue.reserve(lists.count * 2)
        for pair in lists.keys.sorted() {
            let count = pairCounts.signedValue(for: pair)
            if count > 0, let list = lists[pair] { queue.push(MergeCandidate(count: count, pair: pair, words: storeList(list))) }
        }
        return queue
    }
}

/// The pairs gained during one merge and the words that gained them (HF's `where_to_update`
/// between two merges). Cleared in O(1) by moving to a new generation.
struct PendingPairs {
    private var slots: [Int32] = []       // index into `pairs`, valid when `stamps` matches
    private var stamps: [UInt32] = []
    private var generation: UInt32 = 0
    private var mask = 0
    private var pairs: [UInt64] = []
    private var lists: [[Int32]] = []

    mutating func reset() {
        generation &+= 1
        if generation == 0 { stamps = [UInt32](repeating: 0, count: stamps.count); generation = 1 }
        pairs.removeAll(keepingCapacity: true)
        lists.removeAll(keepingCapacity: true)
        if slots.isEmpty { resize(1 << 10) }
    }

    mutating func insert(_ pair: UInt64, word: Int32) {
        var index = Int(truncatingIfNeeded: (pair &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
        while stamps[index] == generation {
            let entry = Int(slots[index])
            if pairs[entry] == pair {
                if lists[entry].last != word { lists[entry].append(word) }
                return
            }
            index = (index + 1) & mask
        }
        stamps[index] = generation
        slots[index] = Int32(pairs.count)
        pairs.append(pair)
        lists.append([word])
        if pairs.count * 2 > slots.count { rehash() }
    }

    func sortedEntries() -> [(UInt64, [Int32])] {
        pairs.indices.sorted { pairs[$0] < pairs[$1] }.map { (pairs[$0], lists[$0]) }
    }

    private mutating func resize(_ size: Int) {
        slots = [Int32](repeating: 0, count: size)
        stamps = [UInt32](repeating: 0, count: size)
        mask = size - 1
        generation = 1
    }

    private mutating func rehash() {
        resize(slots.count * 2)
        for (entry, pair) in pairs.enumerated() {
            var index = Int(truncatingIfNeeded: (pair &* 0x9E37_79B9_7F4A_7C15) >> 20) & mask
            while stamps[index] == generation { index = (index + 1) & mask }
            stamps[index] = generation
            slots[index] = Int32(entry)
        }
    }
}
