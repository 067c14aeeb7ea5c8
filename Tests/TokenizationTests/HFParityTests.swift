// Parity with HF tokenizers on the 8k byte-level tokenizer that Scripts/peers/hf_bpe.py trains on
// the English corpus: the varied text set (English, CJK, Arabic, emoji with ZWJ and flags, code,
// whitespace runs, a 5,000-character word, the empty string, …) must give HF's ids, tokens and
// offsets exactly, and decoding must give back the input. Fixtures: Scripts/tokenization/make_fixtures.py.
import Foundation
import Testing
@testable import Tokenization

@Suite struct HFParityTests {
    let tokenizer: Tokenizer
    let texts: [String]
    let records: [JSONValue]

    init() throws {
        tokenizer = try Fixtures.tokenizer("hf-bpe-8k.json")
        texts = Fixtures.strings(try Fixtures.json("parity-texts.json"))
        records = try Fixtures.json("parity-hf-8k.json").arrayValue ?? []
    }

    @Test func textsCoverTheIssueList() {
        #expect(texts.count == records.count && texts.count >= 20)
        #expect(texts.contains(""))
        #expect(texts.contains { $0.count == 5000 })
        #expect(texts.contains { $0.unicodeScalars.contains("\u{200D}") })  // a ZWJ sequence
        #expect(texts.contains { $0.contains("🇫🇷") })               // a flag
    }

    @Test func encodingsEqualHF() throws {
        for (index, (text, record)) in zip(texts, records).enumerated() {
            expectMatchesHF(try tokenizer.encode(text), record, "text \(index) \(text.prefix(20).debugDescription)")
        }
    }

    @Test func batchEqualsOneByOne() throws {
        let batch = try tokenizer.encode(batch: texts, threads: 3)
        for (index, text) in texts.enumerated() {
            #expect(batch[index] == (try tokenizer.encode(text)), "text \(index)")
        }
    }

    @Test func decodingGivesBackTheInput() throws {
        for (index, (text, record)) in zip(texts, records).enumerated() {
            let ids = try tokenizer.encode(text).ids
            #expect(try tokenizer.decode(ids) == text, "text \(index)")
            // HF's Python `decode` skips special tokens by default.
            #expect(try tokenizer.decode(ids, skipSpecialTokens: true) == record["decoded"]?.stringValue, "text \(index): HF's decode")
        }
    }

    /// The streaming byte-level path must agree with the general pipeline (pre-tokenised text,
    /// then the model). Wrapping ByteLevel in a Sequence forces the general path.
    @Test func streamingPathEqualsGeneralPath() throws {
        var general = tokenizer
        general.preTokenizer = PreTokenizerSequence([ByteLevelPreTokenizer(addPrefixSpace: false)])
        for (index, text) in texts.enumerated() {
            #expect(try general.encode(text) == (try tokenizer.encode(text)), "text \(index)")
        }
    }

    /// Tokens that hold part of a character: "😀" is four bytes and the 8k vocabulary splits it;
    /// each piece reports the whole character as its offsets, and the pieces decode to the character.
    @Test func partialCharacterTokens() throws {
        let encoding = try tokenizer.encode("😀")
        #expect(encoding.count > 1)
        #expect(encoding.offsets.allSatisfy { $0 == 0..<4 })
        #expect(encoding.characterOffsets.allSatisfy { $0 == 0..<1 })
        #expect(try tokenizer.decode(encoding.ids) == "😀")
        // Decoding only the first piece gives the replacement character, never a crash.
        #expect(try tokenizer.decode([encoding.ids[0]]) == "\u{FFFD}")
    }
}
