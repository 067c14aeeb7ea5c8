// The GPT-2 split rule, checked on hand-derived cases: each expected list below is worked out from
// the regex 's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+ by hand.
import Testing
@testable import Tokenization

@Suite struct GPT2SplitTests {
    @Test(arguments: [
        // Letters take one leading space; the space before "world" joins it.
        ("Hello world", ["Hello", " world"]),
        // Two spaces before a letter: \s+(?!\S) takes the run minus its last space, which then
        // joins "world" through " ?\p{L}+".
        ("Hello  world", ["Hello", " ", " world"]),
        // Contractions are their own pieces; "'S" is not a contraction (case-sensitive), so the
        // apostrophe is "other" and "S" a letter run.
        ("it's we'll 'S", ["it", "'s", " we", "'ll", " '", "S"]),
        // Digits and letters never share a piece; punctuation runs stay together with one space.
        ("abc123 ...!!", ["abc", "123", " ...!!"]),
        // A tab is whitespace but not the optional space: one tab alone before a letter is rule 6.
        ("\tx", ["\t", "x"]),
        // A whitespace run at the end is taken whole (nothing follows it).
        ("x \n\n", ["x", " \n\n"]),
        // Newline then space then letter: the run "\n " minus its last character, then " y".
        ("x\n y", ["x", "\n", " y"]),
        // U+3000 (ideographic space) is White_Space, 3 bytes long: backtracking is by character.
        ("a\u{3000}\u{3000}b", ["a", "\u{3000}", "\u{3000}", "b"]),
        // Chinese characters are letters (Lo); the full-width comma is other.
        ("中文，好", ["中文", "，", "好"]),
        // Emoji are "other" (So); a ZWJ sequence stays in one piece with its joiners (Cf).
        ("hi 👨‍👩‍👧", ["hi", " 👨‍👩‍👧"]),
        // A combining accent (Mn) is neither letter nor number: it separates from its base.
        ("e\u{301}t\u{e9}", ["e", "\u{301}", "t\u{e9}"]),
        ("", []),
    ])
    func splitsLikeTheRegex(text: String, expected: [String]) {
        #expect(GPT2Split.pieces(of: text) == expected)
    }

    @Test func piecesCoverTheTextExactly() {
        let text = "Mixed: 12 apples, 3½ pears;\t日本語 — done!!  \n"
        #expect(GPT2Split.pieces(of: text).joined() == text)
    }
}
