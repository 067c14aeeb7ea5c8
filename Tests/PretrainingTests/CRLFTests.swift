// CRLF copies of the Pretraining inputs read as their LF originals: the distillation lines and the
// pretraining corpus. (The probe's files: EvaluationTests; word-vector files: WordVectorsTests.)
// Not handled: binary inputs (safetensors teacher caches).

import Foundation
import Testing
import TensorCore
import TestSupport
import TextInput
@testable import Pretraining

@Suite struct PretrainingCRLFTests {
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
