// The WordPiece model and decoder on hand-made vocabularies: greedy longest match with "##",
// the unknown token for unsplittable and over-long words, the trie walk against the textbook
// loop (BERT's WordpieceTokenizer) on random words, canonically equivalent tokens kept apart,
// byte-level words, the decoder's prefix and cleanup rules, and bad model settings.
import Foundation
import Testing
import TestSupport
@testable import Tokenization

@Suite struct WordPieceModelTests {
    /// ids: [UNK] 0, un 1, ##aff 2, ##able 3, a 4, ##a 5, ##ff 6, aff 7, ##un 8
    static let vocabulary = ["[UNK]": 0, "un": 1, "##aff": 2, "##able": 3, "a": 4, "##a": 5, "##ff": 6, "aff": 7, "##un": 8]

    @Test func greedyLongestMatchFirst() throws {
        let model = try WordPiece(vocabulary: Self.vocabulary)
        // "unaffable": from 0 the longest entry is "un"; from 2, "##aff" (not "##a"); then "##able".
        #expect(model.tokenize("unaffable") == [ModelToken(id: 1, range: 0..<2), ModelToken(id: 2, range: 2..<5),
                                                 ModelToken(id: 3, range: 5..<9)])
        // "affun": "aff" from 0 (a word start uses the plain token), then "##un".
        #expect(model.tokenize("affun").map(\.id) == [7, 8])
        // "aa": "a" then "##a"; "aaff": "a", then "##aff" beats "##a" + "##ff".
        #expect(model.tokenize("aa").map(\.id) == [4, 5])
        #expect(model.tokenize("aaff").map(\.id) == [4, 2])
    }

    @Test func unsplittableWordsAreOneUnknownToken() throws {
        let model = try WordPiece(vocabulary: Self.vocabulary)
        // "unx": "un" matches, but nothing matches at "x": HF drops "un" and returns [UNK] for all 3 bytes.
        #expect(model.tokenize("unx") == [ModelToken(id: 0, range: 0..<3)])
        #expect(model.tokenize("é") == [ModelToken(id: 0, range: 0..<2)])
        #expect(model.tokenize("").isEmpty)
    }

    /// `max_input_chars_per_word` counts characters (Unicode scalars), not bytes, and allows equality.
    @Test func overLongWordsAreUnknown() throws {
        let model = try WordPiece(vocabulary: ["[UNK]": 0, "a": 1, "##a": 2, "é": 3, "##é": 4], maxInputCharactersPerWord: 3)
        #expect(model.tokenize("aaa").map(\.id) == [1, 2, 2])
        #expect(model.tokenize("aaaa") == [ModelToken(id: 0, range: 0..<4)])
        #expect(model.tokenize("ééé").map(\.id) == [3, 4, 4])  // 6 bytes, 3 characters: allowed
    }

    @Test func trieWalkEqualsTheTextbookLoop() throws {
        // A vocabulary over a small alphabet, so random words hit many prefixes and many failures.
        var state: UInt64 = 0x5EED
        func next(_ bound: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(bound))
        }
        let alphabet = ["a", "b", "c", "é", "中"]
        func randomWord(_ length: Int) -> String { (0..<length).map { _ in alphabet[next(alphabet.count)] }.joined() }
        var vocabulary = ["[UNK]": 0]
        for _ in 0..<60 {
            let piece = randomWord(1 + next(3))
            let token = next(3) == 0 ? piece : "##" + piece
            if vocabulary[token] == nil { vocabulary[token] = vocabulary.count }
        }
        for letter in alphabet.prefix(3) where vocabulary[letter] == nil { vocabulary[letter] = vocabulary.count }
        let model = try WordPiece(vocabulary: vocabulary, maxInputCharactersPerWord: 12)
        for _ in 0..<500 {
            let word = randomWord(1 + next(14))
            #expect(model.tokenize(word) == model.referenceTokenize(word), "\(word)")
        }
    }

    /// "é" and "e\u{301}" are equal Swift Strings but different tokens for HF (byte comparison).
    @Test func canonicallyEquivalentTokensStayApart() throws {
        let model = try WordPiece(tokens: [("[UNK]", 0), ("é", 1), ("e\u{301}", 2)])
        #expect(model.tokenize("é").map(\.id) == [1])
        #expect(model.tokenize("e\u{301}").map(\.id) == [2])
        #expect(model.token(forID: 2)?.unicodeScalars.count == 2)
    }

    /// With a byte-level pre-tokeniser the model sees the byte-level spelling ("Ġ" for a space),
    /// and the pieces map back to the word's bytes.
    @Test func byteLevelWords() throws {
        let model = try WordPiece(vocabulary: ["[UNK]": 0, "Ġa": 1, "##b": 2])
        #expect(model.tokenize(" ab", isByteLevel: true) == [ModelToken(id: 1, range: 0..<2), ModelToken(id: 2, range: 2..<3)])
    }

    @Test func badSettingsAreTypedErrors() {
        #expect(throws: TokenizationError.self) { try WordPiece(vocabulary: ["a": 0]) }  // no [UNK]
        #expect(throws: TokenizationError.self) { try WordPiece(vocabulary: ["[UNK]": 0], maxInputCharactersPerWord: 0) }
        #expect(throws: TokenizationError.self) { try WordPiece(vocabulary: ["[UNK]": -1]) }
    }

    // MARK: - Decoder

    @Test func decoderGluesPiecesAndCleansUp() {
        let decoder = WordPieceDecoder()
        // "##" pieces attach; others get a space; then each token alone is cleaned (" ." → "."),
        // so patterns that span tokens, such as " n't", never apply (HF cleans token by token).
        #expect(decoder.decodeChain(["hello", "wo", "##rld", "!"]).joined() == "hello world!")
        #expect(decoder.decodeChain(["i", "do", "n", "'", "t", "know", "."]).joined() == "i do n ' t know.")
        #expect(decoder.decodeChain(["it", "'", "s", "ok", "?"]).joined() == "it ' s ok?")
        #expect(decoder.decodeChain(["##x", "y"]).joined() == "##x y")  // the first token keeps its prefix
        #expect(WordPieceDecoder(cleanup: false).decodeChain(["a", ".", "b"]).joined() == "a . b")
        #expect(WordPieceDecoder.cleanUp(" do not go") == " don't go")
    }

    // MARK: - Documentation snippets (the doc comments of the BERT/WordPiece types)

    @Test func documentationSnippetsHold() throws {
        #expect(BertNormalizer().normalize("Héllo\tWORLD 北京") == "hello world  北  京 ")
        #expect(BertPreTokenizer().words(of: "Hey friend!  How are you?!") == ["Hey", "friend", "!", "How", "are", "you", "?", "!"])
        let model = try WordPiece(vocabulary: ["[UNK]": 0, "un": 1, "##aff": 2, "##able": 3])
        #expect(model.tokenize("unaffable").map(\.id) == [1, 2, 3])
        #expect(model.tokenize("xyz").map(\.id) == [0])
        #expect(WordPieceDecoder().decodeChain(["hello", "wo", "##rld", "!"]).joined() == "hello world!")
        let tokenizer = try Tokenizer.bert(vocabulary: fixtureURL("HuggingFace/bert-vocab-subset.txt"))
        #expect(try tokenizer.encode("Hello!").tokens == ["[CLS]", "hello", "!", "[SEP]"])
    }
}
