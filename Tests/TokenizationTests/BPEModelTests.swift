// The BPE model: merge order worked out by hand, the fast heap encoder against the quadratic
// reference on thousands of random words, and the unknown-character options (unk, fuse_unk,
// byte_fallback) and ignore_merges.
import Testing
@testable import Tokenization

/// SplitMix64, so the random words are the same on every run (no dependency on TensorCore).
struct TestRandom {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}

@Suite struct BPEModelTests {
    /// vocab a0 b1 c2 ab3 bc4 abc5; merges (a,b) rank 0, (b,c) rank 1, (ab,c) rank 2.
    /// "abcbc": pairs (a,b)@0 r0, (b,c)@1 r1, (b,c)@3 r1 → merge (a,b): ab c b c.
    /// Now (ab,c)@0 r2 and (b,c)@3 r1 → merge (b,c): ab c bc. Then (ab,c) r2 → abc bc. Done: [5, 4].
    @Test func mergeOrderByRank() throws {
        let bpe = try BPE(vocabulary: ["a": 0, "b": 1, "c": 2, "ab": 3, "bc": 4, "abc": 5],
                          merges: [("a", "b"), ("b", "c"), ("ab", "c")])
        let tokens = bpe.tokenize("abcbc")
        #expect(tokens.map(\.id) == [5, 4])
        #expect(tokens.map(\.range) == [0..<3, 3..<5])
    }

    /// Equal ranks merge leftmost first: "aaa" with (a,a) → "aa a", never "a aa".
    @Test func leftmostOnTies() throws {
        let bpe = try BPE(vocabulary: ["a": 0, "aa": 1], merges: [("a", "a")])
        #expect(bpe.tokenize("aaa").map(\.id) == [1, 0])
        #expect(bpe.tokenize("aaaa").map(\.id) == [1, 1])
    }

    /// A lower rank later in the word wins over a higher rank earlier: (b,c) before (a,b) gives "a bc".
    @Test func rankBeatsPosition() throws {
        let bpe = try BPE(vocabulary: ["a": 0, "b": 1, "c": 2, "ab": 3, "bc": 4], merges: [("b", "c"), ("a", "b")])
        #expect(bpe.tokenize("abc").map(\.id) == [0, 4])
    }

    @Test func fastEncoderAgreesWithQuadraticReference() throws {
        let tokenizer = try Fixtures.tokenizer("hf-bpe-8k.json")
        let bpe = try #require(tokenizer.model as? BPE)
        let workspace = bpe.makeWorkspace()
        var random = TestRandom(state: 42)
        let alphabet = Array("etaoinshrdlu ĠthequickbrownfoxÃ©中文😀".utf8)
        for trial in 0..<3000 {
            let length = 1 + random.below(trial < 2900 ? 24 : 300)
            var word: [UInt8] = []
            for _ in 0..<length {
                word.append(random.below(5) == 0 ? UInt8(random.below(256)) : alphabet[random.below(alphabet.count)])
            }
            var fast: [ModelToken] = []
            word.withUnsafeBufferPointer { bpe.tokenize(word: $0, isByteLevel: true, into: &fast, workspace: workspace) }
            // Twice: the second answer comes from the word cache.
            var cached: [ModelToken] = []
            word.withUnsafeBufferPointer { bpe.tokenize(word: $0, isByteLevel: true, into: &cached, workspace: workspace) }
            let reference = bpe.referenceTokenize(word, isByteLevel: true)
            #expect(fast == reference, "word \(trial): \(word)")
            #expect(cached == reference, "word \(trial) (cached)")
        }
    }

    /// "x" and "y" are not in the vocabulary: without an unknown token they vanish (HF); with
    /// one each becomes [UNK]; with fuse_unk a run becomes one [UNK]; byte_fallback spells the
    /// bytes as <0xXX> tokens when they exist.
    @Test func unknownCharacters() throws {
        let vocabulary = ["[UNK]": 0, "a": 1, "<0x78>": 2, "<0x79>": 3]
        let dropping = try BPE(vocabulary: vocabulary, merges: [])
        #expect(dropping.tokenize("axya").map(\.id) == [1, 1])
        let unknown = try BPE(vocabulary: vocabulary, merges: [], unknownToken: "[UNK]")
        #expect(unknown.tokenize("axya").map(\.id) == [1, 0, 0, 1])
        let fused = try BPE(vocabulary: vocabulary, merges: [], unknownToken: "[UNK]", fuseUnknown: true)
        #expect(fused.tokenize("axya").map(\.id) == [1, 0, 1])
        #expect(fused.tokenize("axya").map(\.range) == [0..<1, 1..<3, 3..<4])
        let fallback = try BPE(vocabulary: vocabulary, merges: [], unknownToken: "[UNK]", byteFallback: true)
        #expect(fallback.tokenize("axyz").map(\.id) == [1, 2, 3, 0])
    }

    /// With ignore_merges a word found whole in the vocabulary is returned whole, even when the
    /// merges would not build it ("abc" exists, but no merge makes it).
    @Test func ignoreMerges() throws {
        let vocabulary = ["a": 0, "b": 1, "c": 2, "ab": 3, "abc": 4]
        #expect(try BPE(vocabulary: vocabulary, merges: [("a", "b")]).tokenize("abc").map(\.id) == [3, 2])
        #expect(try BPE(vocabulary: vocabulary, merges: [("a", "b")], ignoreMerges: true).tokenize("abc").map(\.id) == [4])
    }

    /// A pair listed twice keeps its last rank (HF's loader builds a map, the later entry wins).
    @Test func repeatedMergeKeepsLastRank() throws {
        let vocabulary = ["a": 0, "b": 1, "c": 2, "ab": 3, "bc": 4]
        // (a,b) at ranks 0 and 2, (b,c) at rank 1: (b,c) now comes first.
        let bpe = try BPE(vocabulary: vocabulary, merges: [("a", "b"), ("b", "c"), ("a", "b")])
        #expect(bpe.tokenize("abc").map(\.id) == [0, 4])
        #expect(bpe.savedMerges.map { $0.0 + $0.1 } == ["bc", "ab"])
    }
}
