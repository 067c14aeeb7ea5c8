// SentenceCache: one thread's sentences as word indices, kept after the first pass over its byte
// range so that later epochs skip reading, tokenising and hashing the text again. It holds 4 bytes
// a known token (7.1 M tokens → 28 MB), and is only used while the whole run's cache stays under a
// budget; past it, epochs stream the file as the first one did (word2vec.c and fastText always do).
// Reference: gensim trains from in-memory token lists; this is the compact equivalent.
// Not handled: sharing one cache between threads (each thread owns the sentences of its range).

/// Sentences of word indices, appended during the first epoch and replayed afterwards.
struct SentenceCache {
    private(set) var words: [Int32] = []
    private(set) var lengths: [Int32] = []
    private(set) var tokens: [Int32] = []
    /// False once the cache was abandoned for exceeding its budget.
    private(set) var isComplete = true
    let budgetBytes: Int

    init(budgetBytes: Int) { self.budgetBytes = budgetBytes }

    var byteCount: Int { words.count * 4 + lengths.count * 8 }

    /// Records one sentence (or abandons the cache when it would pass the budget).
    mutating func append(_ sentence: UnsafeBufferPointer<Int32>, tokens read: Int) {
        guard isComplete else { return }
        if byteCount + sentence.count * 4 + 8 > budgetBytes || read > Int(Int32.max) {
            isComplete = false
            words = []; lengths = []; tokens = []
            return
        }
        words.append(contentsOf: sentence)
        lengths.append(Int32(sentence.count))
        tokens.append(Int32(read))
    }

    /// Replays every sentence in order.
    func forEach(_ body: (UnsafeBufferPointer<Int32>, Int) -> Void) {
        words.withUnsafeBufferPointer { all in
            var start = 0
            for index in lengths.indices {
                let length = Int(lengths[index])
                body(UnsafeBufferPointer(rebasing: all[start..<(start + length)]), Int(tokens[index]))
                start += length
            }
        }
    }
}

extension TextCorpus {
    /// Runs `epochs` passes over `range`: the first streams the file and fills `cache`, the others
    /// replay the cache when it is complete and stream again otherwise.
    func forEachSentence(
        in range: Range<Int>, table: WordTable, maxSentenceLength: Int, epochs: Int, cacheBudget: Int,
        _ body: (UnsafeBufferPointer<Int32>, Int) -> Void
    ) throws {
        var cache = SentenceCache(budgetBytes: cacheBudget)
        for epoch in 0..<epochs {
            if epoch > 0 && cache.isComplete && cacheBudget > 0 {
                cache.forEach(body)
                continue
            }
            try forEachSentence(in: range, table: table, maxSentenceLength: maxSentenceLength) { sentence, read in
                if epoch == 0 && epochs > 1 && cacheBudget > 0 { cache.append(sentence, tokens: read) }
                body(sentence, read)
            }
        }
    }
}
