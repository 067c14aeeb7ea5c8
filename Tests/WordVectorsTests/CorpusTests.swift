// Tests of TextCorpus (lines, byte ranges for threads, sentences), Vocabulary (counts, min-count,
// order, the two subsampling formulas) and AliasSampler (the noise distribution).

import Foundation
import Testing
import TestSupport
import TensorCore
import TextInput
@testable import WordVectors

private func lines(_ corpus: TextCorpus, parts: Int) throws -> [String] {
    var result: [String] = []
    for range in corpus.byteRanges(parts: parts) {
        try corpus.forEachLine(in: range) { line, _ in result.append(String(decoding: line, as: UTF8.self)) }
    }
    return result
}

@Test func linesEndAtNewlineWithoutTheirCarriageReturn() throws {
    // TextLines (gensim's LineSentence): "\n" ends a line, "\r\n" loses its "\r", a lone "\r"
    // stays inside the line; a missing final newline is fine.
    let corpus = try TextCorpus(contentsOf: URL(fileURLWithPath: temporaryFile("a b\r\nc\rd e\n\nf")))
    #expect(try lines(corpus, parts: 1) == ["a b", "c\rd e", "", "f"])
}

@Test(arguments: [1, 2, 3, 7, 64])
func byteRangesCoverEveryLineOnce(parts: Int) throws {
    var text = ""
    for index in 0..<200 { text += String(repeating: "w\(index) ", count: index % 7) + "\n" }
    let corpus = try TextCorpus(contentsOf: URL(fileURLWithPath: temporaryFile(text)))
    let expected = text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
    #expect(try lines(corpus, parts: parts) == expected)
}

@Test func longLinesAreCutIntoSentences() throws {
    let corpus = try TextCorpus(contentsOf: URL(fileURLWithPath: temporaryFile(Array(repeating: "a", count: 25).joined(separator: " ") + "\nb\n")))
    let vocabulary = Vocabulary(words: ["a", "b"], counts: [25, 1])
    var lengths: [Int] = []
    var tokens = 0
    try corpus.forEachSentence(in: 0..<corpus.byteCount, table: vocabulary.table, maxSentenceLength: 10) { sentence, read in
        lengths.append(sentence.count)
        tokens += read
    }
    #expect(lengths == [10, 10, 5, 1])
    #expect(tokens == 26)
}

@Test func invalidUTF8InTheCorpusIsTextInputsError() throws {
    // TextInput's error: file, byte, line, and the hint (iconv, --invalid-utf8 replace).
    let path = temporaryFile(bytes: Array("good line\nbad ".utf8) + [0xFF] + Array(" here\n".utf8), name: "bad.txt")
    #expect(throws: InvalidUTF8Error(source: path, byteOffset: 14, line: 2)) {
        _ = try Vocabulary.count(TextCorpus(contentsOf: URL(fileURLWithPath: path)), minCount: 1)
    }
}

private func words(_ corpus: TextCorpus, parts: Int, policy: InvalidUTF8Policy) throws -> [String] {
    var result: [String] = []
    for range in corpus.byteRanges(parts: parts) {
        try corpus.forEachWord(in: range, policy: policy, word: { result.append(String(decoding: $0, as: UTF8.self)) })
    }
    return result
}

@Test(arguments: [1, 2, 3])
func invalidUTF8AfterCRLFNamesByteAndLineFromAnyThreadRange(parts: Int) throws {
    // "one two\r\n" is 9 bytes, "three\r\n" 7: the 0xFF is byte 18, on line 3.
    let path = temporaryFile(bytes: Array("one two\r\nthree\r\nba".utf8) + [0xFF] + Array("d\r\nfour\r\n".utf8), name: "bad-crlf.txt")
    let corpus = try TextCorpus(contentsOf: URL(fileURLWithPath: path))
    #expect(throws: InvalidUTF8Error(source: path, byteOffset: 18, line: 3)) { _ = try words(corpus, parts: parts, policy: .refuse) }
    // Replaced: U+FFFD is not a word character, so it splits "ba?d" in two, as Python's errors="replace" then \w.
    #expect(try words(corpus, parts: parts, policy: .replace) == ["one", "two", "three", "ba", "d", "four"])
}

@Test func crlfCorpusGivesTheWordsOfItsLFCopy() throws {
    let text = "The cat\nsat on\n\nthe MAT\n"
    let lf = try TextCorpus(contentsOf: URL(fileURLWithPath: temporaryFile(text, name: "lf.txt")))
    let crlf = try TextCorpus(contentsOf: URL(fileURLWithPath: temporaryFile(text.replacingOccurrences(of: "\n", with: "\r\n"), name: "crlf.txt")))
    #expect(try words(crlf, parts: 2, policy: .refuse) == ["the", "cat", "sat", "on", "the", "mat"])
    #expect(try words(crlf, parts: 2, policy: .refuse) == words(lf, parts: 2, policy: .refuse))
}

@Test func sampledLinesFollowTheLineRuleAndThePolicy() throws {
    let crlf = try TextCorpus(contentsOf: URL(fileURLWithPath: temporaryFile("a b\r\n\r\nc\r\n", name: "sample-crlf.txt")))
    #expect(try crlf.sampleLines(count: 10, seed: 1, policy: .refuse) == ["a b", "c"])
    let path = temporaryFile(bytes: Array("ok\r\nx".utf8) + [0xC3] + Array("\r\n".utf8), name: "sample-bad.txt")
    let bad = try TextCorpus(contentsOf: URL(fileURLWithPath: path))
    #expect(throws: InvalidUTF8Error(source: path, byteOffset: 5, line: 2)) { _ = try bad.sampleLines(count: 10, seed: 1, policy: .refuse) }
    #expect(try bad.sampleLines(count: 10, seed: 1, policy: .replace) == ["ok", "x\u{FFFD}"])
}

@Test func emptyCorpusAndMissingFileAreTypedErrors() throws {
    let empty = temporaryFile("  \n\n ,,, \n")
    #expect(throws: WordVectorsError.self) { _ = try Vocabulary.count(TextCorpus(contentsOf: URL(fileURLWithPath: empty)), minCount: 1) }
    do {
        _ = try Word2Vec.train(corpus: TextCorpus(contentsOf: URL(fileURLWithPath: empty)), config: .skipGram)
        Issue.record("an empty corpus must not train")
    } catch let error as WordVectorsError {
        guard case .emptyCorpus = error else { Issue.record("wrong error \(error)"); return }
    }
    #expect(throws: WordVectorsError.self) { _ = try TextCorpus(contentsOf: URL(fileURLWithPath: "/nonexistent/corpus.txt")) }
    let rare = temporaryFile("a b c\n")
    #expect(throws: WordVectorsError.self) { _ = try Vocabulary.count(TextCorpus(contentsOf: URL(fileURLWithPath: rare)), minCount: 2) }
}

@Test(arguments: [1, 2, 3])
func vocabularyCountsSortsAndFilters(threads: Int) throws {
    // the: 4, cat: 3, sat: 2 (first seen before "mat"), mat: 2, on: 1 (dropped by minCount 2).
    let corpus = try TextCorpus(contentsOf: URL(fileURLWithPath: temporaryFile("The cat sat\non the mat\nthe cat, the CAT sat mat\n")))
    let vocabulary = try Vocabulary.count(corpus, minCount: 2, threads: threads)
    #expect(vocabulary.words == ["the", "cat", "sat", "mat"])
    #expect(vocabulary.counts == [4, 3, 2, 2])
    #expect(vocabulary.corpusTokens == 12)
    #expect(vocabulary.corpusLines == 3)
    #expect(vocabulary.table.index(of: "mat") == 3)
    #expect(vocabulary.table.index(of: "on") == nil)
}

@Test func word2vecSubsamplingFormula() {
    // t = sample · Σc = 1e-3 · 1_000_000 = 1000. For c = 100_000: P = (√(100) + 1) · 1000/100000
    // = 11 · 0.01 = 0.11. For c = 500: (√0.5 + 1) · 2 > 1, so P = 1.
    let vocabulary = Vocabulary(words: ["a", "b", "c"], counts: [100_000, 899_500, 500])
    let thresholds = vocabulary.word2vecKeepThresholds(sample: 1e-3)
    #expect(abs(Double(thresholds[0]) / 4_294_967_296 - 0.11) < 1e-9)
    let pB = ((899_500.0 / 1000).squareRoot() + 1) * 1000 / 899_500
    #expect(abs(Double(thresholds[1]) / 4_294_967_296 - pB) < 1e-9)
    #expect(thresholds[2] == UInt32.max)
    #expect(vocabulary.word2vecKeepThresholds(sample: 0) == [UInt32.max, UInt32.max, UInt32.max])
}

@Test func fastTextSubsamplingFormula() {
    // f = 0.25, t = 1e-4: P = √(4e-4) + 4e-4 = 0.02 + 0.0004 = 0.0204.
    let vocabulary = Vocabulary(words: ["a", "b"], counts: [250, 750])
    let thresholds = vocabulary.fastTextKeepThresholds(t: 1e-4)
    #expect(abs(Double(thresholds[0]) / 4_294_967_296 - 0.0204) < 1e-9)
}

@Test func aliasSamplerReproducesUnigramToTheThreeQuarters() {
    // counts 16, 1, 81 → weights 8, 1, 27 (x^0.75) → probabilities 8/36, 1/36, 27/36.
    let sampler = AliasSampler(counts: [16, 1, 81], power: 0.75)
    #expect(abs(sampler.probabilities[0] - 8.0 / 36) < 1e-12)
    #expect(abs(sampler.probabilities[2] - 27.0 / 36) < 1e-12)
    // The tables encode the distribution exactly: P(i) = (keep_i + Σ_{j: alias_j = i, j≠i} (1 − keep_j)) / n.
    var reconstructed = [Double](repeating: 0, count: 3)
    for column in 0..<3 {
        let keep = Double(sampler.keep[column]) / 4_294_967_296
        reconstructed[column] += keep / 3
        reconstructed[Int(sampler.alias[column])] += (1 - keep) / 3
    }
    for index in 0..<3 { #expect(abs(reconstructed[index] - sampler.probabilities[index]) < 1e-8) }
    // And draws follow it.
    var random = TrainingRandom(seed: 3)
    var histogram = [0, 0, 0]
    for _ in 0..<360_000 { histogram[sampler.sample(random.next())] += 1 }
    #expect(abs(Double(histogram[1]) / 360_000 - 1.0 / 36) < 0.002)
    #expect(abs(Double(histogram[2]) / 360_000 - 27.0 / 36) < 0.005)
}

@Test func wordTableGrowsAndFindsEveryWord() {
    let table = WordTable(expectedWords: 4)
    for index in 0..<5000 { table.add("w\(index)", amount: index) }
    #expect(table.count == 5000)
    for index in stride(from: 0, to: 5000, by: 97) {
        #expect(table.index(of: "w\(index)") == index)
        #expect(table.counts[index] == index)
        #expect(table.word(at: index) == "w\(index)")
    }
    #expect(table.index(of: "w5000") == nil)
}

@Test func byteLimitReadsOnlyLinesStartingBeforeIt() throws {
    // "aa bb\n" is 6 bytes: a limit of 7 takes the second line (it starts at byte 6) whole.
    let path = temporaryFile("aa bb\ncc dd\nee\n")
    let limited = try TextCorpus(contentsOf: URL(fileURLWithPath: path), byteLimit: 7)
    #expect(try lines(limited, parts: 1) == ["aa bb", "cc dd"])
    #expect(try lines(TextCorpus(contentsOf: URL(fileURLWithPath: path), byteLimit: 6), parts: 1) == ["aa bb"])
}
