// Vocabulary: words counted over a corpus (in parallel, one table per byte range, then merged),
// filtered by a minimum count and sorted by descending frequency, so index = frequency rank as in
// word2vec.c, gensim, GloVe and fastText. Also the two per-word quantities trainers need from
// counts: the subsampling keep probability and the unigram^power noise distribution.
// Reference: Mikolov et al. 2013, "Distributed Representations of Words and Phrases" §2.3.
// Not handled: max-vocab-size pruning while counting (word2vec.c's ReduceVocab); phrases.

import Foundation
import TensorCore

/// Words sorted by descending count (ties: first seen first), with their counts.
///
/// ```swift
/// let vocabulary = try Vocabulary.count(TextCorpus(contentsOf: URL(fileURLWithPath: "corpus.txt")), minCount: 5)
/// vocabulary.words[0]   // the most frequent word, "the"
/// ```
public struct Vocabulary: Sendable {
    /// The words, most frequent first.
    public let words: [String]
    /// `counts[i]` is how often `words[i]` occurs.
    public let counts: [Int]
    /// Word bytes → index (= rank).
    public let table: WordTable
    /// Every token read, including those dropped by `minCount`.
    public let corpusTokens: Int
    /// The number of lines (sentences) read.
    public let corpusLines: Int

    /// Tokens of retained words: Σ counts.
    public var retainedTokens: Int { counts.reduce(0, +) }
    /// The number of words.
    public var count: Int { words.count }

    /// A vocabulary from explicit words and counts (kept in the order given).
    public init(words: [String], counts: [Int], corpusTokens: Int? = nil, corpusLines: Int = 0) {
        precondition(words.count == counts.count, "Vocabulary: \(words.count) words but \(counts.count) counts")
        let table = WordTable(expectedWords: words.count)
        for (word, count) in zip(words, counts) { table.add(word, amount: count) }
        precondition(table.count == words.count, "Vocabulary: duplicate words")
        self.words = words
        self.counts = counts
        self.table = table
        self.corpusTokens = corpusTokens ?? counts.reduce(0, +)
        self.corpusLines = corpusLines
    }

    // MARK: - Counting

    /// Counts every word of `corpus` over `Threads.count` threads and keeps those seen at least
    /// `minCount` times, most frequent first.
    ///
    /// - Throws: `WordVectorsError.emptyCorpus` when nothing survives, `.io`; `InvalidUTF8Error` (TextInput) for ill-formed UTF-8 under `.refuse`.
    /// - Complexity: one pass over the file; memory O(distinct words).
    public static func count(
        _ corpus: TextCorpus, minCount: Int, threads: Int? = nil, progress: TrainingProgress? = nil
    ) throws -> Vocabulary {
        guard minCount >= 1 else { throw WordVectorsError.invalidOption(name: "minCount", detail: "must be at least 1, got \(minCount)") }
        let ranges = corpus.byteRanges(parts: max(1, threads ?? Threads.count))
        let tables = (0..<ranges.count).map { _ in WordTable(expectedWords: 1 << 16) }
        var tokens = [Int](repeating: 0, count: ranges.count)
        var lines = [Int](repeating: 0, count: ranges.count)
        try tokens.withUnsafeMutableBufferPointer { tokenCounts in
            try lines.withUnsafeMutableBufferPointer { lineCounts in
                try runWorkers(threads: ranges.count) { part in
                    let table = tables[part]
                    var seen = 0
                    var lineCount = 0
                    defer {
                        tokenCounts[part] = seen
                        lineCounts[part] = lineCount
                    }
                    try corpus.forEachWord(in: ranges[part], word: { bytes in
                        table.add(bytes)
                        seen += 1
                    }, lineEnd: {
                        lineCount += 1
                        if part == 0, lineCount & 4095 == 0 {
                            progress?.update(done: Double(seen), total: Double(corpus.byteCount) / 6.2)
                        }
                    })
                }
            }
        }
        // Merge in part order so that first-seen order (the tie-break) is the file's order.
        let merged = tables[0]
        for table in tables.dropFirst() {
            for index in 0..<table.count { merged.add(table.bytes(at: index), amount: table.counts[index]) }
        }
        var kept: [(index: Int, count: Int)] = []
        for index in 0..<merged.count where merged.counts[index] >= minCount {
            kept.append((index, merged.counts[index]))
        }
        kept.sort { $0.count != $1.count ? $0.count > $1.count : $0.index < $1.index }
        let totalTokens = tokens.reduce(0, +)
        guard !kept.isEmpty else {
            throw WordVectorsError.emptyCorpus(
                path: corpus.path,
                detail: totalTokens == 0
                    ? "the corpus has no words; give a UTF-8 text file with one sentence per line"
                    : "no word occurs \(minCount) times or more (\(totalTokens) tokens, \(merged.count) distinct); lower --min-count or use a larger corpus")
        }
        return Vocabulary(
            words: kept.map { merged.word(at: $0.index) }, counts: kept.map { $0.count },
            corpusTokens: totalTokens, corpusLines: lines.reduce(0, +))
    }

    // MARK: - Subsampling

    /// word2vec's keep probability for frequent words (`-sample`), as a 32-bit threshold:
    /// keep a token of word w when a uniform 32-bit draw is ≤ threshold[w].
    ///
    /// With t = sample · Σcounts and c = count(w): P(keep) = min(1, (√(c/t) + 1) · t/c)
    /// (word2vec.c and gensim; not the paper's 1 − √(t/f)). `sample == 0` keeps everything.
    public func word2vecKeepThresholds(sample: Double) -> [UInt32] {
        guard sample > 0 else { return [UInt32](repeating: .max, count: count) }
        let threshold = sample * Double(retainedTokens)
        return counts.map { count in
            let c = Double(count)
            let probability = min(1, ((c / threshold).squareRoot() + 1) * threshold / c)
            return UInt32(min(Double(UInt32.max), (probability * 4_294_967_296).rounded()))
        }
    }

    /// fastText's keep probability (`-t`): with f = c / Σcounts, P(keep) = √(t/f) + t/f, as a
    /// 32-bit threshold like `word2vecKeepThresholds`.
    public func fastTextKeepThresholds(t: Double) -> [UInt32] {
        let total = Double(retainedTokens)
        return counts.map { count in
            let frequency = Double(count) / total
            let probability = min(1, (t / frequency).squareRoot() + t / frequency)
            return UInt32(min(Double(UInt32.max), (probability * 4_294_967_296).rounded()))
        }
    }
}
