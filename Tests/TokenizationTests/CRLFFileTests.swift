// CRLF versions of the line-based tokenizer files (GPT-2 merges.txt, BERT vocab.txt) must load as
// the LF files do: HF's readers split at "\n" and strip the "\r". Before TextInput, a CRLF
// merges.txt loaded with 0 merges and a CRLF vocab.txt as one token.
// Not handled: tokenizer.json (JSON treats "\r\n" as whitespace; its parser is tested elsewhere).

import Foundation
import Testing
import TestSupport
@testable import Tokenization

@Suite struct CRLFFileTests {
    static let texts = ["Hello world, this is a test.", "tokenization of CRLF files", "naïve café 中文"]

    func crlfCopy(of url: URL) throws -> URL {
        let text = String(decoding: try Data(contentsOf: url), as: UTF8.self)
        return try temporaryTextFile(crlfBytes(text), name: url.lastPathComponent)
    }

    @Test func crlfMergesLoadAsLF() throws {
        let folder = fixtureURL("Tokenization/small-gpt2")
        let vocabulary = folder.appendingPathComponent("vocab.json"), merges = folder.appendingPathComponent("merges.txt")
        let lf = try Tokenizer.gpt2(vocabulary: vocabulary, merges: merges)
        let crlfMerges = try crlfCopy(of: merges)
        #expect(try Data(contentsOf: crlfMerges).contains(0x0D))
        let crlf = try Tokenizer.gpt2(vocabulary: vocabulary, merges: crlfMerges)
        let lfCount = try #require(lf.model as? BPE).savedMerges.count
        #expect(lfCount > 0)
        #expect(try #require(crlf.model as? BPE).savedMerges.count == lfCount)
        for text in Self.texts { #expect(try crlf.encode(text).ids == lf.encode(text).ids, "\(text)") }
    }

    @Test func crlfVocabTxtLoadsAsLF() throws {
        let url = fixtureURL("HuggingFace/bert-vocab-subset.txt")
        let lf = try Tokenizer.bert(vocabulary: url)
        let crlf = try Tokenizer.bert(vocabulary: try crlfCopy(of: url))
        #expect(crlf.vocabularySize == lf.vocabularySize)
        for text in Self.texts { #expect(try crlf.encode(text).ids == lf.encode(text).ids, "\(text)") }
    }
}
