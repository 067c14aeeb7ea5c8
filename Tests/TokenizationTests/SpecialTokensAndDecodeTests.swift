// Added and special tokens (never split; recognised, treated as text, or refused), and decoding:
// exact round trips of arbitrary UTF-8, skipping special tokens, partial characters.
import Testing
@testable import Tokenization

@Suite struct SpecialTokensAndDecodeTests {
    let tokenizer: Tokenizer
    init() throws { tokenizer = try Fixtures.tokenizer("hf-bpe-8k.json") }

    /// [CLS] is id 2 and [SEP] id 3 in the 8k vocabulary (the trainer puts special tokens first).
    @Test func specialTokensAreNeverSplit() throws {
        let encoding = try tokenizer.encode("a[CLS]b [SEP]")
        #expect(encoding.tokens.contains("[CLS]") && encoding.tokens.contains("[SEP]"))
        #expect(encoding.ids.contains(2) && encoding.ids.contains(3))
        // Each special token is its own word; "a" is word 0, "[CLS]" word 1, "b" word 2, " " word 3.
        #expect(encoding.wordIndices[encoding.tokens.firstIndex(of: "[CLS]")!] == 1)
    }

    @Test func specialTokenTextCanBeTreatedAsText() throws {
        var plain = tokenizer
        plain.specialTokenPolicy = .treatAsText
        let encoding = try plain.encode("a[CLS]b")
        #expect(!encoding.ids.contains(2))
        #expect(try plain.decode(encoding.ids) == "a[CLS]b")
    }

    @Test func specialTokenTextCanBeRefused() throws {
        var strict = tokenizer
        strict.specialTokenPolicy = .refuse
        #expect(throws: TokenizationError.specialTokenInInput(token: "[SEP]", byteOffset: 6)) { try strict.encode("hello [SEP]") }
        #expect(try strict.encode("no special text").count > 0)
    }

    @Test func decodeSkipsSpecialTokensOnRequest() throws {
        let ids = try tokenizer.encode("[CLS] hi [SEP]").ids
        #expect(try tokenizer.decode(ids) == "[CLS] hi [SEP]")
        #expect(try tokenizer.decode(ids, skipSpecialTokens: true) == " hi ")
    }

    /// Random UTF-8 (every plane, controls, combining marks) encodes and decodes to itself.
    @Test func anyUTF8RoundTrips() throws {
        var random = TestRandom(state: 7)
        let ranges: [ClosedRange<UInt32>] = [0x00...0x7F, 0x80...0x7FF, 0x800...0xD7FF, 0xE000...0xFFFF, 0x10000...0x10FFFF]
        var texts: [String] = []
        for _ in 0..<200 {
            var scalars = String.UnicodeScalarView()
            for _ in 0..<(1 + random.below(40)) {
                let range = ranges[random.below(ranges.count)]
                let value = range.lowerBound + UInt32(random.below(Int(range.upperBound - range.lowerBound) + 1))
                if let scalar = Unicode.Scalar(value) { scalars.append(scalar) }
            }
            texts.append(String(scalars))
        }
        for (text, encoding) in zip(texts, try tokenizer.encode(batch: texts, threads: 2)) {
            #expect(try tokenizer.decode(encoding.ids) == text)
            // Offsets always land on character boundaries of the input.
            let utf8 = Array(text.utf8)
            for range in encoding.offsets {
                #expect(range.lowerBound == utf8.count || utf8[range.lowerBound] & 0xC0 != 0x80)
                #expect(range.upperBound == utf8.count || utf8[range.upperBound] & 0xC0 != 0x80)
            }
        }
    }

    @Test func invalidUTF8BytesAreRefused() {
        #expect(throws: TokenizationError.invalidUTF8(source: "input", byteOffset: 2, line: 1)) {
            try tokenizer.encode(utf8: [0x68, 0x69, 0xC3, 0x28])   // "hi" + a broken two-byte sequence
        }
        #expect(throws: TokenizationError.invalidUTF8(source: "input", byteOffset: 3, line: 2)) {
            try tokenizer.encode(utf8: [0x61, 0x0A, 0x62, 0xED, 0xA0, 0x80])   // an encoded surrogate
        }
    }

    @Test func decodingAnUnknownIDIsAnError() {
        #expect(throws: TokenizationError.unknownTokenID(99_999)) { try tokenizer.decode([5, 99_999]) }
    }
}

@Suite struct BatchDecodeTests {
    @Test func batchDecodeMatchesOneByOne() throws {
        let tokenizer = try Fixtures.tokenizer("small-bpe.json")
        let texts = (0..<600).map { "text number \($0) — ünïcode \($0 % 7)" }
        let ids = try tokenizer.encode(batch: texts, threads: 2).map(\.ids)
        #expect(try tokenizer.decode(batch: ids, threads: 2) == texts)
        #expect(throws: TokenizationError.unknownTokenID(123_456)) { try tokenizer.decode(batch: [[1], [123_456]], threads: 2) }
    }
}
