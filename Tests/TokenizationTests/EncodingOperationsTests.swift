// Truncation windows, padding, pair concatenation and normalisers, on values worked out by hand.
import Testing
@testable import Tokenization

@Suite struct EncodingOperationsTests {
    /// Ten tokens with ids 0…9.
    func tokens(_ count: Int) -> Encoding {
        var encoding = Encoding()
        for id in 0..<count {
            encoding.append(id: id, token: "t\(id)", offsets: id..<(id + 1), characters: id..<(id + 1),
                            word: id, sequence: 0, typeId: 0, special: false)
        }
        return encoding
    }

    /// max 4, stride 1 → windows start 3 apart: [0,4) [3,7) [6,10). From the left, windows end
    /// 3 apart counting back from 10: [6,10) [3,7) [0,4).
    @Test func truncationWindowsWithStride() {
        var right = tokens(10)
        right.truncate(to: 4, stride: 1, fromLeft: false)
        #expect(right.ids == [0, 1, 2, 3])
        #expect(right.overflowing.map(\.ids) == [[3, 4, 5, 6], [6, 7, 8, 9]])
        var left = tokens(10)
        left.truncate(to: 4, stride: 1, fromLeft: true)
        #expect(left.ids == [6, 7, 8, 9])
        #expect(left.overflowing.map(\.ids) == [[3, 4, 5, 6], [0, 1, 2, 3]])
        var last = tokens(5)  // [0,3) [2,5): the second window reaches the end, so it is the last
        last.truncate(to: 3, stride: 1, fromLeft: false)
        #expect(last.overflowing.map(\.ids) == [[2, 3, 4]])
    }

    @Test func paddingLeftAndRight() {
        let padding = Padding(strategy: .fixed(5), direction: .left, padID: 9, padToken: "[PAD]")
        var encoding = tokens(3)
        padding.apply(to: &encoding, length: 5)
        #expect(encoding.ids == [9, 9, 0, 1, 2])
        #expect(encoding.attentionMask == [0, 0, 1, 1, 1])
        #expect(encoding.specialTokensMask == [1, 1, 0, 0, 0])
        #expect(encoding.wordIndices == [nil, nil, 0, 1, 2])
        var rounded = tokens(5)
        Padding(padToMultipleOf: 4).apply(to: &rounded, length: 5)   // 5 rounds up to 8
        #expect(rounded.count == 8 && rounded.attentionMask.suffix(3) == [0, 0, 0])
    }

    /// Longest-first with a pair of 3 + 10 tokens into 8: the shorter keeps min(3, …) = 3 and the
    /// longer gets max(3, 8 − 3) = 5.
    @Test func longestFirstSplitsTheBudget() throws {
        let letters = "abcdefghijklm".map(String.init)
        let model = try BPE(vocabulary: Dictionary(uniqueKeysWithValues: letters.enumerated().map { ($1, $0) }), merges: [])
        let tokenizer = Tokenizer(model: model, preTokenizer: WhitespaceSplitPreTokenizer(), truncation: Truncation(maxLength: 8))
        let encoding = try tokenizer.encode("a b c", pair: "d e f g h i j k l m")
        #expect(encoding.sequenceIndices.filter { $0 == 0 }.count == 3)
        #expect(encoding.sequenceIndices.filter { $0 == 1 }.count == 5)
        #expect(encoding.typeIds == [0, 0, 0, 1, 1, 1, 1, 1])
    }

    @Test func normalizersKeepAlignment() {
        var text = NormalizedText(Array("ÉTÉ ①".utf8), origin: 10)
        NormalizerSequence([UnicodeNormalizer(.nfkd), LowercaseNormalizer(), StripNormalizer()]).normalize(&text)
        #expect(text.string == "e\u{301}te\u{301} 1")
        // Input bytes from 10: É 10..<12, T 12..<13, É 13..<15, space 15..<16, ① 16..<19.
        // "é" (decomposed, 3 bytes) points back to the first "É"; "1" to "①".
        #expect(text.originalRange(of: 0..<3) == 10..<12)
        #expect(text.originalRange(of: (text.bytes.count - 1)..<text.bytes.count) == 16..<19)
        #expect(ReplaceNormalizer(pattern: "aa", content: "b").normalize("aaaa a") == "bb a")
        #expect(PrependNormalizer("▁").normalize("x") == "▁x")
    }
}
