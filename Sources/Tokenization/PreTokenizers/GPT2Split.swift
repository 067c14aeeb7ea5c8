// GPT2Split: the GPT-2 pre-tokenisation rule, written as a hand-made scanner instead of a regex.
// The rule is the regular expression
//     's|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+
// matched repeatedly from the left, taking the first alternative that matches (Oniguruma's
// backtracking semantics, as in HF tokenizers). The scanner reproduces it exactly, in one pass.
// Reference: OpenAI gpt-2 src/encoder.py; HF tokenizers pre_tokenizers/byte_level.rs.
// Not handled: other split patterns (GPT-4's cl100k rule, Llama 3's); they would be new scanners.

/// Splits UTF-8 text into GPT-2 pre-tokens.
///
/// How each alternative becomes code, at a position whose character is `c`:
/// 1. `'s 't 're 've 'm 'll 'd`: an apostrophe followed by one of these lowercase endings.
/// 2–4. ` ?\p{L}+`, ` ?\p{N}+`, ` ?[^\s\p{L}\p{N}]+`: an optional single space U+0020, then a
///    maximal run of letters, of numbers, or of "other" characters (not space, letter or number).
/// 5. `\s+(?!\S)`: a run of whitespace that is not directly followed by a non-space. Greedy
///    matching takes the whole run; if a non-space follows, the regex backtracks one *character*,
///    so the match is the run minus its last character (which then starts the next pre-token,
///    usually as the optional space of rule 2).
/// 6. `\s+`: otherwise (a run of one whitespace character before a non-space).
///
/// ```swift
/// GPT2Split.pieces(of: "Hello  world's")   // ["Hello", " ", " world", "'s"]
/// ```
/// - Complexity: O(n); each byte is classified once (ASCII by table, others by `ScalarClass`).
public enum GPT2Split: Sendable {
    /// Calls `body` with the byte range of each pre-token of `bytes[range]` (well-formed UTF-8), in order.
    @inline(__always)
    static func forEachPiece(in bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>, _ body: (Range<Int>) -> Void) {
        // The table is fetched once per call, not once per character (a global's lazy
        // initialisation check costs an atomic load on every access).
        asciiKinds.withUnsafeBufferPointer { table in
            var position = range.lowerBound
            let end = range.upperBound
            while position < end {
                let stop = pieceEnd(from: position, end: end, in: bytes, table: table)
                body(position..<stop)
                position = stop
            }
        }
    }

    /// The pre-tokens of `text`, as strings (for tests and teaching; the tokenizer uses ranges).
    public static func pieces(of text: String) -> [String] {
        var text = text
        return text.withUTF8 { bytes in
            var result: [String] = []
            forEachPiece(in: bytes, range: 0..<bytes.count) { piece in
                result.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[piece]), as: UTF8.self))
            }
            return result
        }
    }

    // MARK: - The scanner

    private static let letter: UInt8 = 0, number: UInt8 = 1, other: UInt8 = 2, space: UInt8 = 3

    /// Classes of the ASCII bytes (a table: the classes alternate too irregularly for branches).
    private static let asciiKinds: [UInt8] = (0..<128).map { kind(ofScalar: UInt32($0)) }

    private static func kind(ofScalar scalar: UInt32) -> UInt8 {
        let flags = ScalarClass.of(scalar)
        if flags.contains(.whitespace) { return space }
        if flags.contains(.letter) { return letter }
        if flags.contains(.number) { return number }
        return other
    }

    /// The class of the character at `index` and its length in bytes.
    @inline(__always)
    private static func kind(at index: Int, in bytes: UnsafeBufferPointer<UInt8>, table: UnsafeBufferPointer<UInt8>) -> (kind: UInt8, length: Int) {
        let lead = bytes[index]
        if lead < 0x80 { return (table[Int(lead)], 1) }
        let (scalar, length) = UTF8Validation.decode(at: index, in: bytes)
        return (kind(ofScalar: scalar), length)
    }

    /// The end of the pre-token that starts at `start`.
    @inline(__always)
    static func pieceEnd(from start: Int, end: Int, in bytes: UnsafeBufferPointer<UInt8>, table: UnsafeBufferPointer<UInt8>) -> Int {
        let lead = bytes[start]
        // 1. Contractions: 's 't 'm 'd, then 're 've 'll.
        if lead == UInt8(ascii: "'"), start + 1 < end {
            let next = bytes[start + 1]
            switch next {
            case UInt8(ascii: "s"), UInt8(ascii: "t"), UInt8(ascii: "m"), UInt8(ascii: "d"):
                return start + 2
            default:
                if start + 2 < end {
                    let third = bytes[start + 2]
                    if (next == UInt8(ascii: "r") && third == UInt8(ascii: "e"))
                        || (next == UInt8(ascii: "v") && third == UInt8(ascii: "e"))
                        || (next == UInt8(ascii: "l") && third == UInt8(ascii: "l")) {
                        return start + 3
                    }
                }
            }
        }
        // 2–4 with the optional leading space: " " followed by a letter, number or other.
        if lead == UInt8(ascii: " "), start + 1 < end {
            let (nextKind, nextLength) = kind(at: start + 1, in: bytes, table: table)
            if nextKind != space {
                return runEnd(of: nextKind, from: start + 1 + nextLength, end: end, in: bytes, table: table)
            }
        }
        let (firstKind, firstLength) = kind(at: start, in: bytes, table: table)
        if firstKind != space {
            // 2–4 without the space.
            return runEnd(of: firstKind, from: start + firstLength, end: end, in: bytes, table: table)
        }
        // 5–6: a whitespace run [start, runEnd); remember where its last character begins.
        var lastStart = start
        var position = start + firstLength
        while position < end {
            let (nextKind, nextLength) = kind(at: position, in: bytes, table: table)
            if nextKind != space { break }
            lastStart = position
            position += nextLength
        }
        if position == end { return end }          // 5: nothing follows the run
        if lastStart > start { return lastStart }  // 5: backtrack one character before the non-space
        return position                            // 6: a single whitespace character
    }

    /// The end of the maximal run of characters of class `kind` that continues at `position`.
    @inline(__always)
    private static func runEnd(of kind: UInt8, from position: Int, end: Int, in bytes: UnsafeBufferPointer<UInt8>, table: UnsafeBufferPointer<UInt8>) -> Int {
        var position = position
        while position < end {
            let (nextKind, nextLength) = self.kind(at: position, in: bytes, table: table)
            if nextKind != kind { break }
            position += nextLength
        }
        return position
    }
}
