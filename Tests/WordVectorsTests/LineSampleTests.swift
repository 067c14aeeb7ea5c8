// TextCorpus.sampleLines: a seeded uniform sample of non-blank lines, in file order (Algorithm R).
// By hand: blank lines never drawn, every line when the file has fewer than asked, the same seed
// the same lines, and each line drawn about count/lines of the time over many seeds.

import Foundation
import Testing
import TestSupport
import WordVectors

@Suite struct LineSampleTests {
    func corpus(_ text: String) throws -> TextCorpus {
        try TextCorpus(contentsOf: URL(fileURLWithPath: temporaryFile(text)))
    }

    @Test func fewerLinesThanAskedGivesThemAllWithoutBlanks() throws {
        #expect(try corpus("a\n\n  \nb\r\nc").sampleLines(count: 10, seed: 1) == ["a", "b", "c"])
    }

    @Test func theSameSeedGivesTheSameLinesInFileOrder() throws {
        let text = (0..<100).map { "line \($0)" }.joined(separator: "\n")
        let file = try corpus(text)
        let first = try file.sampleLines(count: 10, seed: 7)
        #expect(first.count == 10)
        #expect(first == (try file.sampleLines(count: 10, seed: 7)))
        let numbers = first.map { Int($0.dropFirst(5))! }
        #expect(numbers == numbers.sorted())
        #expect(first != (try file.sampleLines(count: 10, seed: 8)))
    }

    @Test func everyLineIsAboutEquallyLikely() throws {
        // 10 lines, samples of 3 over 2,000 seeds: each line is drawn 600 times in expectation
        // (binomial, standard deviation √(2000 · 0.3 · 0.7) ≈ 20.5); ±100 is ~5 deviations.
        let file = try corpus((0..<10).map { "w\($0)" }.joined(separator: "\n") + "\n")
        var counts = [String: Int]()
        for seed in 0..<2000 { for line in try file.sampleLines(count: 3, seed: UInt64(seed)) { counts[line, default: 0] += 1 } }
        #expect(counts.count == 10)
        #expect(counts.values.allSatisfy { abs($0 - 600) < 100 }, "\(counts)")
    }
}
