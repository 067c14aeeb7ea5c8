// Whole pipelines against HF: TemplateProcessing with pair templates, longest-first truncation
// with a stride (overflow windows) and padding to a multiple; RoBERTa processing with a prefix
// space, offset trimming, left truncation of the first sequence and fixed left padding;
// normalisers (NFKC + lowercase) with a Whitespace pre-tokeniser, end-of-word suffixes and
// added tokens (normalised, single-word, lstrip/rstrip); GPT-2 vocab.json + merges.txt.
// Every tokenizer and expected encoding comes from Scripts/tokenization/make_fixtures.py.
import Foundation
import Testing
@testable import Tokenization

@Suite struct PipelineFixtureTests {
    @Test func templateTruncationAndPadding() throws {
        let tokenizer = try Fixtures.tokenizer("small-template.json")
        #expect(tokenizer.truncation == Truncation(maxLength: 12, stride: 3))
        #expect(tokenizer.padding?.padToMultipleOf == 4)
        let cases = try Fixtures.json("small-template-cases.json")
        let texts = Fixtures.strings(cases["texts"])
        for (index, (text, record)) in zip(texts, cases["single"]?.arrayValue ?? []).enumerated() {
            expectMatchesHF(try tokenizer.encode(text), record, "single \(index)")
        }
        for (index, (text, record)) in zip(texts, cases["no_special"]?.arrayValue ?? []).enumerated() {
            expectMatchesHF(try tokenizer.encode(text, addSpecialTokens: false), record, "no special \(index)")
        }
        for (index, (pair, record)) in zip(cases["pair_texts"]?.arrayValue ?? [], cases["pairs"]?.arrayValue ?? []).enumerated() {
            let texts = Fixtures.strings(pair)
            expectMatchesHF(try tokenizer.encode(texts[0], pair: texts[1]), record, "pair \(index)")
        }
        let batch = try tokenizer.encode(batch: texts, threads: 2)
        for (index, (encoding, record)) in zip(batch, cases["batch"]?.arrayValue ?? []).enumerated() {
            expectMatchesHF(encoding, record, "batch \(index)")
        }
    }

    @Test func robertaPrefixSpaceAndLeftTruncation() throws {
        let tokenizer = try Fixtures.tokenizer("small-roberta.json")
        let cases = try Fixtures.json("small-roberta-cases.json")
        for (index, (text, record)) in zip(Fixtures.strings(cases["texts"]), cases["single"]?.arrayValue ?? []).enumerated() {
            expectMatchesHF(try tokenizer.encode(text), record, "single \(index)")
        }
        for (index, (pair, record)) in zip(cases["pair_texts"]?.arrayValue ?? [], cases["pairs"]?.arrayValue ?? []).enumerated() {
            let texts = Fixtures.strings(pair)
            expectMatchesHF(try tokenizer.encode(texts[0], pair: texts[1]), record, "pair \(index)")
        }
    }

    @Test func normalizersWhitespaceSuffixAndAddedTokens() throws {
        let tokenizer = try Fixtures.tokenizer("small-normalized.json")
        let cases = try Fixtures.json("small-normalized-cases.json")
        for (index, (text, record)) in zip(Fixtures.strings(cases["texts"]), cases["single"]?.arrayValue ?? []).enumerated() {
            expectMatchesHF(try tokenizer.encode(text), record, "text \(index) \(text.debugDescription)")
        }
    }

    /// HF's `model.save` wrote vocab.json + merges.txt of small-bpe.json; loading them gives the
    /// same model, and saving them again gives the same two files.
    @Test func gpt2FilesRoundTrip() throws {
        let folder = Fixtures.url("small-gpt2")
        let gpt2 = try Tokenizer.gpt2(vocabulary: folder.appendingPathComponent("vocab.json"),
                                      merges: folder.appendingPathComponent("merges.txt"))
        let reference = try Fixtures.tokenizer("small-bpe.json")
        for text in ["kalo minve tra den ti", "中文 😀 it's", "   spaced\n\nlines"] {
            #expect(try gpt2.encode(text).ids == (try reference.encode(text).ids), "\(text.debugDescription)")
        }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("gpt2-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: output) }
        try gpt2.saveGPT2(vocabulary: output.appendingPathComponent("vocab.json"), merges: output.appendingPathComponent("merges.txt"))
        for name in ["vocab.json", "merges.txt"] {
            #expect(try Data(contentsOf: output.appendingPathComponent(name)) == (try Data(contentsOf: folder.appendingPathComponent(name))), "\(name)")
        }
    }

    /// Every fixture tokenizer written by HF is written back byte for byte.
    @Test(arguments: ["hf-bpe-8k.json", "small-bpe.json", "small-bpe-maxlen4.json", "small-whitespace-suffix.json",
                      "small-template.json", "small-roberta.json", "small-normalized.json"])
    func savedFileIsByteIdenticalToHF(name: String) throws {
        let tokenizer = try Fixtures.tokenizer(name)
        let original = [UInt8](try Data(contentsOf: Fixtures.url(name)))
        #expect(JSONWriter.bytes(tokenizer.json, pretty: true) == original)
    }
}
