// Tests of the shared word rule against Python's re.split(r"[^\w']+", line.lower()) (golden file
// from Scripts/wordvectors/make_fixtures.py), and of the ASCII fast path against the Unicode path.

import Foundation
import Testing
import TestSupport
@testable import WordVectors

@Test func tokenizerMatchesPythonOnTrickyLines() throws {
    let cases = try #require(try fixtureJSON("tokenize-golden.json") as? [[String: Any]])
    #expect(cases.count >= 25)
    for entry in cases {
        let line = try #require(entry["line"] as? String)
        let expected = try #require(entry["words"] as? [String])
        #expect(WordTokenizer.words(in: line) == expected, "line: \(line.debugDescription)")
    }
}

@Test func asciiFastPathAgreesWithUnicodePath() throws {
    // "é" forces the Unicode path for the whole line; the words around it must not change.
    let ascii = "It's A_B test-case, DON'T 42x"
    let withAccent = ascii + " é"
    #expect(WordTokenizer.words(in: ascii) == ["it's", "a_b", "test", "case", "don't", "42x"])
    #expect(WordTokenizer.words(in: withAccent) == WordTokenizer.words(in: ascii) + ["é"])
}

@Test func finalSigmaFollowsPython() {
    // Σ after a cased letter and before no cased letter is ς; alone it is σ.
    #expect(WordTokenizer.words(in: "ΟΔΟΣ") == ["οδος"])
    #expect(WordTokenizer.words(in: "Σ") == ["σ"])
    #expect(WordTokenizer.words(in: "ΣΑ") == ["σα"])
}

@Test func invalidUTF8IsReportedWithItsOffset() {
    let bytes: [UInt8] = Array("abc ".utf8) + [0xC3, 0x28] + Array(" d".utf8)
    var scratch: [UInt8] = []
    var caught: WordTokenizer.InvalidUTF8?
    bytes.withUnsafeBufferPointer { buffer in
        do { try WordTokenizer.forEachWord(in: buffer, scratch: &scratch) { _ in } } catch let error as WordTokenizer.InvalidUTF8 { caught = error } catch {}
    }
    #expect(caught?.byteOffset == 4)
}
