// TokenCorpusStatistics: what a corpus says about each token of a tokenizer, for the static-vector
// bridge: how often it occurs (the coverage report's "share of corpus tokens"), how often it is a
// whole word, begins or ends a word (which tokens are words; fastText's boundary marks), and in
// which words it occurs, how often (the frequency-weighted mean that gives a sub-word token a
// vector). A "word" is one pre-token of the tokenizer (GPT-2's split: " cat", "'s", ","), and its
// static word is that text under the shared word rule when it is exactly one word.
// Reference: the counting of fastText's Dictionary::readFromFile, applied to tokenizer pre-tokens.
// Not handled: special tokens (the counts are of text only); pre-tokens that hold several words.

import Foundation
import TextInput
import TensorCore
import Tokenization

/// Per-token counts over a corpus. Legend: V ids, W distinct static words.
///
/// ```swift
/// let statistics = try TokenCorpusStatistics.count(files: [corpusURL], tokenizer: tokenizer)
/// statistics.tokenCounts[id]          // occurrences of token `id`
/// statistics.words(containing: id)    // [(word, count)], the words token `id` occurs in
/// ```
public struct TokenCorpusStatistics: Sendable {
    /// Where the counts come from (file names), for the report.
    public var source: String
    /// [V] occurrences of each token.
    public var tokenCounts: [Int]
    /// [V] occurrences as a whole pre-token (a word made of this one token).
    public var wholeWordCounts: [Int]
    /// [V] occurrences as the first / last token of a pre-token that is one static word.
    public var wordStartCounts: [Int]
    public var wordEndCounts: [Int]
    /// [W] the static words seen (lowercase, the shared word rule) and their counts.
    public var words: [String]
    public var wordCounts: [Int]
    /// Token t occurs in words `pairWords[pairStarts[t]..<pairStarts[t+1]]`, `pairCounts` times each.
    public var pairStarts: [Int]
    public var pairWords: [Int32]
    public var pairCounts: [Int]
    /// Lines and bytes read.
    public var lineCount: Int
    public var byteCount: Int

    /// Σ tokenCounts.
    public var totalTokens: Int { tokenCounts.reduce(0, +) }

    /// The words token `id` occurs in, with how often.
    public func words(containing id: Int) -> [(word: String, count: Int)] {
        guard id >= 0, id + 1 < pairStarts.count else { return [] }
        return (pairStarts[id]..<pairStarts[id + 1]).map { (words[Int(pairWords[$0])], pairCounts[$0]) }
    }

    // MARK: - Counting

    /// Counts the lines of `texts` (tests and small inputs).
    public static func count(texts: [String], tokenizer: Tokenizer, source: String = "texts") throws -> TokenCorpusStatistics {
        var counter = PreTokenCounter()
        try counter.add(texts, tokenizer: tokenizer, threads: 1)
        return counter.statistics(tokenizer: tokenizer, source: source, lines: texts.count, bytes: texts.reduce(0) { $0 + $1.utf8.count })
    }

    /// Counts the lines of `files` (UTF-8 text, one sentence or paragraph per line).
    ///
    /// - Parameters:
    ///   - maximumBytes: stop after this many bytes of each file (nil: all).
    ///   - threads: tokenizer threads.
    ///   - progress: called now and then with (bytes done, bytes in total).
    /// - Throws: `FileError` for a file that cannot be read; `InvalidUTF8Error` (byte, line) under
    ///   the process's InvalidUTF8Policy `.refuse`; the tokenizer's errors.
    /// - Complexity: one tokenisation of the text, plus one pass over the distinct pre-tokens.
    public static func count(files: [URL], tokenizer: Tokenizer, maximumBytes: Int? = nil, threads: Int = Threads.count,
                             progress: ((Int, Int) -> Void)? = nil) throws -> TokenCorpusStatistics {
        var plain = tokenizer
        plain.truncation = nil
        plain.padding = nil
        plain.specialTokenPolicy = .treatAsText
        var counter = PreTokenCounter()
        var lines = 0, bytesRead = 0
        let sizes = files.map { (try? FileManager.default.attributesOfItem(atPath: $0.path)[.size] as? Int) ?? 0 }
        let total = zip(sizes, files).reduce(0) { $0 + min($1.0, maximumBytes ?? Int.max) }
        for url in files {
            let data: Data
            do {
                data = try Data(contentsOf: url, options: .alwaysMapped)
            } catch {
                throw FileError(.unreadable, file: url.path, field: "(file)", problem: "cannot be read (counting the corpus's tokens): \(TextFile.readFailureCause(url.path))",
                                fix: "Check the --corpus path")
            }
            let limit = min(data.count, maximumBytes ?? Int.max)
            var batch: [String] = []
            var fileBytes = 0
            try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
                let bytes = raw.bindMemory(to: UInt8.self)
                var start = 0
                var lineInFile = 1
                while start < limit {
                    var end = start
                    while end < bytes.count && bytes[end] != 0x0A { end += 1 }
                    // TextInput's rule: a "\r" before the "\n" is dropped; bad UTF-8 follows the policy.
                    let contentEnd = end > start && bytes[end - 1] == 0x0D ? end - 1 : end
                    let line = try UTF8Check.string(UnsafeBufferPointer(rebasing: bytes[start..<contentEnd]), source: url.path,
                                                    firstByte: start, firstLine: lineInFile)
                    lineInFile += 1
                    if !line.isEmpty { batch.append(line) }
                    lines += 1
                    fileBytes = min(end + 1, bytes.count)
                    start = end + 1
                    if batch.count == 4096 {
                        try counter.add(batch, tokenizer: plain, threads: threads)
                        batch.removeAll(keepingCapacity: true)
                        progress?(bytesRead + fileBytes, total)
                    }
                }
            }
            try counter.add(batch, tokenizer: plain, threads: threads)
            bytesRead += fileBytes
            progress?(bytesRead, total)
        }
        let names = files.map(\.lastPathComponent).joined(separator: ", ")
        return counter.statistics(tokenizer: plain, source: names, lines: lines, bytes: bytesRead)
    }
}

/// Counts distinct pre-tokens (as id sequences); the per-token statistics are derived once per
/// distinct pre-token at the end.
struct PreTokenCounter {
    var counts: [[Int32]: Int] = [:]

    mutating func add(_ texts: [String], tokenizer: Tokenizer, threads: Int) throws {
        guard !texts.isEmpty else { return }
        let encodings = try tokenizer.encode(batch: texts, addSpecialTokens: false, threads: threads)
        var word: [Int32] = []
        for encoding in encodings {
            var current: Int? = nil
            for (position, id) in encoding.ids.enumerated() {
                let index = encoding.wordIndices[position]
                if index != current || index == nil {
                    if !word.isEmpty { counts[word, default: 0] += 1 }
                    word.removeAll(keepingCapacity: true)
                    current = index
                }
                word.append(Int32(truncatingIfNeeded: id))
            }
            if !word.isEmpty { counts[word, default: 0] += 1 }
            word.removeAll(keepingCapacity: true)
        }
    }

    func statistics(tokenizer: Tokenizer, source: String, lines: Int, bytes: Int) -> TokenCorpusStatistics {
        let V = tokenizer.vocabularySize
        let vocabulary = (0..<V).map { tokenizer.token(forID: $0) ?? "" }
        let special = Set(tokenizer.addedVocabulary.tokens.filter(\.special).map(\.id))
        let spelling = TokenSpelling.detect(vocabulary: vocabulary, special: special)
        var tokenCounts = [Int](repeating: 0, count: V), whole = tokenCounts, starts = tokenCounts, ends = tokenCounts
        var wordIndex: [String: Int] = [:]
        var words: [String] = [], wordCounts: [Int] = []
        var pairs: [[Int: Int]] = Array(repeating: [:], count: V)
        // Sorted, so that the result does not depend on the dictionary's hash order.
        for (ids, count) in counts.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            let valid = ids.filter { $0 >= 0 && Int($0) < V }.map { Int($0) }
            for id in valid { tokenCounts[id] += count }
            guard valid.count == ids.count, let text = spelling.text(ofWord: valid.map { vocabulary[$0] }),
                  let word = TokenSpelling.singleWord(text) else { continue }
            if valid.count == 1 { whole[valid[0]] += count }
            starts[valid[0]] += count
            ends[valid[valid.count - 1]] += count
            let index: Int
            if let known = wordIndex[word] {
                index = known
            } else {
                index = words.count
                wordIndex[word] = index
                words.append(word)
                wordCounts.append(0)
            }
            wordCounts[index] += count
            for id in valid { pairs[id][index, default: 0] += count }
        }
        var pairStarts = [0], pairWords: [Int32] = [], pairCounts: [Int] = []
        for id in 0..<V {
            for (word, count) in pairs[id].sorted(by: { $0.key < $1.key }) {
                pairWords.append(Int32(word))
                pairCounts.append(count)
            }
            pairStarts.append(pairWords.count)
        }
        return TokenCorpusStatistics(source: source, tokenCounts: tokenCounts, wholeWordCounts: whole, wordStartCounts: starts,
                                     wordEndCounts: ends, words: words, wordCounts: wordCounts, pairStarts: pairStarts,
                                     pairWords: pairWords, pairCounts: pairCounts, lineCount: lines, byteCount: bytes)
    }
}
