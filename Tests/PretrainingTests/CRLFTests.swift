// CRLF copies of the Pretraining inputs read as their LF originals: the probe's label<TAB>text
// files, static word vectors for `probe --vectors`, and the pretraining/distillation corpus.
// Before TextInput, a CRLF probe file of four labelled lines read as one example.
// Not handled: binary inputs (safetensors features, .bin vectors).

import Foundation
import Testing
import TensorCore
import TestSupport
import TextInput
@testable import Pretraining

@Suite struct PretrainingCRLFTests {
    @Test func crlfProbeFileReadsAsLF() throws {
        let text = "noun.animal\tadult male deer\nnoun.person\ta messenger\n\nverb.motion\truns fast\nnoun.animal\ta cat\n"
        let lf = try LinearProbe.readExamples(try temporaryTextFile(Array(text.utf8), name: "lf.tsv"))
        let crlf = try LinearProbe.readExamples(try temporaryTextFile(crlfBytes(text), name: "crlf.tsv"))
        #expect(lf.count == 4)
        #expect(crlf == lf)
        #expect(crlf.last == ProbeExample(label: "noun.animal", text: "a cat"))
    }

    @Test func crlfStaticVectorsReadAsLF() throws {
        let text = "2 2\nthe 1 0\ncat 0 1\n"
        let vectors = try StaticWordVectors.read(try temporaryTextFile(crlfBytes(text), name: "v.txt"))
        #expect(vectors.words == ["the", "cat"] && vectors.vector(for: "cat") == [0, 1])
    }

    @Test func staticVectorsFollowTheUTF8Policy() throws {
        // "2 2\r\n" is 5 bytes, "the 1 0\r\n" 9: the 0xFF of "ca\xFF" is byte 16, on line 3.
        let text = try temporaryTextFile(Array("2 2\r\nthe 1 0\r\nca".utf8) + [0xFF] + Array(" 0 1\r\n".utf8), name: "bad.txt")
        #expect(throws: InvalidUTF8Error(source: text.path, byteOffset: 16, line: 3)) { _ = try StaticWordVectors.read(text, policy: .refuse) }
        let replaced = try StaticWordVectors.read(text, policy: .replace)
        #expect(replaced.words == ["the", "ca\u{FFFD}"] && replaced.vector(for: "ca\u{FFFD}") == [0, 1])
        // Binary: "1 2\n" then the word "a\xFF", a space and two float32s (1, 2).
        let binary = try temporaryTextFile(Array("1 2\na".utf8) + [0xFF, 0x20, 0, 0, 0x80, 0x3F, 0, 0, 0, 0x40], name: "bad.bin")
        #expect(throws: InvalidUTF8Error(source: binary.path, byteOffset: 5, line: 2)) { _ = try StaticWordVectors.read(binary, policy: .refuse) }
        #expect(try StaticWordVectors.read(binary, policy: .replace).vector(for: "a\u{FFFD}") == [1, 2])
    }

    @Test func distillationLinesFollowTheLineRuleAndRefuseInvalidUTF8() throws {
        let crlf = try temporaryTextFile(crlfBytes("first line\n  \nsecond\rline\nthird\n"), name: "distill-crlf.txt")
        #expect(try DistillationData.usableLines(of: crlf) == ["first line", "second\rline", "third"])
        let bad = try temporaryTextFile(Array("ok\r\n".utf8) + [0xE0, 0x80, 0x0A], name: "distill-bad.txt")
        #expect(throws: InvalidUTF8Error(source: bad.path, byteOffset: 4, line: 2)) { _ = try DistillationData.usableLines(of: bad) }
    }

    @Test func crlfCorpusPacksAsLF() throws {
        let lines = syntheticCorpus(lines: 200)
        let text = lines.joined(separator: "\n") + "\n"
        let tokenizer = ToyTokenizer(texts: lines)
        let options = CorpusOptions(sequenceLength: 32, packing: .sentences, evaluationFraction: 0.1, maximumEvaluationSequences: 10_000)
        let lf = try PretrainingCorpus.load(files: [try temporaryTextFile(Array(text.utf8), name: "lf.txt")], tokenizer: tokenizer, options: options)
        let crlf = try PretrainingCorpus.load(files: [try temporaryTextFile(crlfBytes(text), name: "crlf.txt")], tokenizer: tokenizer,
                                              options: options, blockBytes: 97)
        #expect(lf.lineCount == 200 && crlf.lineCount == 200)
        #expect(crlf.train == lf.train && crlf.evaluation == lf.evaluation)
    }

    @Test func invalidUTF8IsRefusedNamingTheLineAfterCRLF() throws {
        // The default policy (refuse); --invalid-utf8 replace is TextInput's own test, since the
        // policy is process-wide and tests run in parallel.
        let file = try temporaryTextFile([0x6F, 0x6B, 0x0D, 0x0A, 0x6F, 0xFF, 0x0A], name: "bad.txt")
        #expect { try PretrainingCorpus.decodeLines(try Data(contentsOf: file), file: file.path, firstLine: 0) } throws: { error in
            (error as? FileError)?.field == "line 2"
        }
    }
}
