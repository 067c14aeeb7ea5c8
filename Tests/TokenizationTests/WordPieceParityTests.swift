// Parity with HF tokenizers on all-MiniLM-L6-v2's tokenizer (BertNormalizer, BertPreTokenizer,
// WordPiece, TemplateProcessing "[CLS] $A [SEP]", WordPiece decoder, truncation 128, padding to
// 128). The fixture holds MiniLM's tokenizer.json with only the vocabulary entries the texts can
// reach (ids unchanged; the generator checks that HF gives identical encodings with it and with
// the full file). Every text must give HF's ids, type ids, tokens, byte and character offsets,
// word ids and masks: as the file says, without truncation and padding, and for pairs.
// Fixtures: Scripts/huggingface/make_wordpiece_fixtures.py.
import Foundation
import Testing
import TestSupport
@testable import Tokenization

@Suite struct WordPieceParityTests {
    let tokenizer: Tokenizer
    let texts: [String]
    let pairs: [[String]]
    let records: JSONValue

    init() throws {
        tokenizer = try Tokenizer(contentsOf: fixtureURL("HuggingFace/minilm-tokenizer-subset.json"))
        let input = try Fixtures.json("../HuggingFace/wordpiece-texts.json")
        texts = Fixtures.strings(input["texts"])
        pairs = (input["pairs"]?.arrayValue ?? []).map { Fixtures.strings($0) }
        records = try Fixtures.json("../HuggingFace/minilm-wordpiece-hf.json")
    }

    @Test func textsCoverTheIssueList() {
        #expect(texts.count >= 25 && pairs.count >= 3)
        #expect(texts.contains(""))
        #expect(texts.contains { $0.count == 5000 })                          // a very long word
        #expect(texts.contains { $0.unicodeScalars.count == 101 })            // just past max_input_chars_per_word
        #expect(texts.contains { $0.contains("北京") })                        // Chinese
        #expect(texts.contains { $0.contains("café") })                       // accents
        #expect(texts.contains { $0.contains("👨‍👩‍👧‍👦") })                       // emoji with joiners
        #expect(texts.contains { $0.contains("...!!!") })                     // punctuation runs
        #expect(texts.contains { $0.unicodeScalars.contains("\u{7}") })       // control characters
    }

    @Test func theFileLoadsAsMiniLMs() throws {
        #expect(tokenizer.model is WordPiece)
        #expect(tokenizer.normalizer as? BertNormalizer == BertNormalizer(cleanText: true, handleChineseCharacters: true, stripAccents: nil, lowercase: true))
        #expect(tokenizer.preTokenizer is BertPreTokenizer)
        #expect(tokenizer.decoder as? WordPieceDecoder == WordPieceDecoder(prefix: "##", cleanup: true))
        #expect(tokenizer.truncation == Truncation(maxLength: 128))
        #expect(tokenizer.padding == Padding(strategy: .fixed(128), padID: 0, padToken: "[PAD]"))
    }

    @Test func encodingsEqualHFAsTheFileSays() throws {
        for (index, (text, record)) in zip(texts, records["texts"]?.arrayValue ?? []).enumerated() {
            expectMatchesHF(try tokenizer.encode(text), record, "text \(index) \(text.prefix(20).debugDescription)")
        }
    }

    @Test func encodingsEqualHFWithoutTruncationOrPadding() throws {
        var plain = tokenizer
        plain.truncation = nil
        plain.padding = nil
        let plainRecords = records["plain"]?.arrayValue ?? []
        #expect(plainRecords.count == texts.count)
        for (index, (text, record)) in zip(texts, plainRecords).enumerated() {
            expectMatchesHF(try plain.encode(text), record, "text \(index) \(text.prefix(20).debugDescription)")
        }
        // The batch path gives the same, in order.
        let batch = try plain.encode(batch: texts, threads: 2)
        for (index, encoding) in batch.enumerated() { #expect(encoding == (try plain.encode(texts[index])), "batch \(index)") }
    }

    /// Pairs: "[CLS] A [SEP] B [SEP]" with type ids 0 then 1, longest-first truncation to 128.
    @Test func pairsEqualHF() throws {
        for (index, (pair, record)) in zip(pairs, records["pairs"]?.arrayValue ?? []).enumerated() {
            expectMatchesHF(try tokenizer.encode(pair[0], pair: pair[1]), record, "pair \(index)")
        }
        let encoding = try tokenizer.encode("a", pair: "b")
        #expect(encoding.typeIds.prefix(5) == [0, 0, 0, 1, 1])
    }

    @Test func decodingEqualsHF() throws {
        var plain = tokenizer
        plain.truncation = nil
        plain.padding = nil
        for (index, (text, expected)) in zip(texts, Fixtures.strings(records["decoded"])).enumerated() {
            let ids = try plain.encode(text).ids
            #expect(try plain.decode(ids, skipSpecialTokens: true) == expected, "text \(index)")
        }
    }
}
