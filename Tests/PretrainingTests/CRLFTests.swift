// CRLF copies of the Pretraining inputs read as their LF originals: the probe's label<TAB>text
// files, static word vectors for `probe --vectors`, and the pretraining/distillation corpus.
// Before TextInput, a CRLF probe file of four labelled lines read as one example.
// Not handled: binary inputs (safetensors features, .bin vectors).

import Foundation
import Testing
import TensorCore
import TestSupport
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
