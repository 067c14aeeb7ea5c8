// TokenCorpusStatistics.count(files:) reads its corpus with TextInput's rule: a CRLF file counts
// as its lines, and ill-formed UTF-8 is refused naming the file, byte and line (the default
// policy; replacement is process-wide and is tested in TextInputTests).
// Not handled: the counts themselves (StaticInitializationTests).
import Encoder
import Foundation
import TestSupport
import Testing
import TextInput
import Tokenization

@Suite struct CorpusCountLineRuleTests {
    @Test func crlfCorpusCountsAsItsLines() throws {
        let tokenizer = try tinyTokenizer()
        let file = try temporaryTextFile(crlfBytes(tinyCorpus.joined(separator: "\n") + "\n"), name: "count-crlf.txt")
        let fromFile = try TokenCorpusStatistics.count(files: [file], tokenizer: tokenizer, threads: 1)
        let fromTexts = try TokenCorpusStatistics.count(texts: tinyCorpus, tokenizer: tokenizer)
        #expect(fromFile.lineCount == 4)
        #expect(fromFile.tokenCounts == fromTexts.tokenCounts && fromFile.words == fromTexts.words)
    }

    @Test func invalidUTF8IsRefusedWithByteAndLine() throws {
        let file = try temporaryTextFile(Array("the cat\r\nca".utf8) + [0xFF] + Array("ts\r\n".utf8), name: "count-bad.txt")
        #expect(throws: InvalidUTF8Error(source: file.path, byteOffset: 11, line: 2)) {
            _ = try TokenCorpusStatistics.count(files: [file], tokenizer: try tinyTokenizer(), threads: 1)
        }
    }
}
