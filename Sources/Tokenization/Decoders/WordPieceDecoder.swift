// WordPieceDecoder: WordPiece tokens back to text. A piece that starts with the prefix ("##")
// is glued to the previous one; any other piece after the first gets a space in front. With
// `cleanup`, the spaces BERT's pre-tokeniser put before punctuation and English contractions are
// taken out again (" ." → ".", " n't" → "n't", " do not" → " don't", …), token by token.
// Reference: HF tokenizers decoders/wordpiece.rs (decode_chain and `cleanup`), which follows
// the clean_up_tokenization of HF transformers.
// Not handled: restoring case, accents or the original whitespace (the normaliser removed them).

/// The WordPiece decoder.
///
/// ```swift
/// WordPieceDecoder().decodeChain(["hello", "wo", "##rld", "!"]).joined()   // "hello world!"
/// ```
public struct WordPieceDecoder: TokenDecoder, Equatable, Sendable {
    /// The continuing-subword prefix to remove (`prefix`).
    public var prefix: String
    /// Remove the spaces before punctuation and contractions (`cleanup`).
    public var cleanup: Bool

    public init(prefix: String = "##", cleanup: Bool = true) {
        self.prefix = prefix
        self.cleanup = cleanup
    }

    public func decodeChain(_ tokens: [String]) -> [String] {
        tokens.enumerated().map { index, token in
            var piece = token
            if index > 0 {
                if !prefix.isEmpty, piece.utf8.starts(with: prefix.utf8) {
                    piece = String(decoding: piece.utf8.dropFirst(prefix.utf8.count), as: UTF8.self)
                } else {
                    piece = " " + piece
                }
            }
            return cleanup ? WordPieceDecoder.cleanUp(piece) : piece
        }
    }

    /// The replacements of `cleanup`, applied in this order, each to every occurrence.
    static let cleanupReplacements: [(String, String)] = [
        (" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"), (" n't", "n't"), (" 'm", "'m"),
        (" do not", " don't"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re"),
    ]

    /// One token's text with the cleanup replacements applied (byte-wise, left to right, no overlaps).
    static func cleanUp(_ text: String) -> String {
        guard text.utf8.contains(0x20) else { return text }  // every pattern starts with a space
        var bytes = Array(text.utf8)
        for (pattern, replacement) in cleanupReplacements {
            bytes = replacingOccurrences(of: Array(pattern.utf8), with: Array(replacement.utf8), in: bytes)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func replacingOccurrences(of pattern: [UInt8], with replacement: [UInt8], in bytes: [UInt8]) -> [UInt8] {
        guard bytes.count >= pattern.count else { return bytes }
        var result: [UInt8] = []
        result.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            if index + pattern.count <= bytes.count, bytes[index..<(index + pattern.count)].elementsEqual(pattern) {
                result += replacement
                index += pattern.count
            } else {
                result.append(bytes[index])
                index += 1
            }
        }
        return result
    }

    public var json: JSONValue {
        .object([("type", .string("WordPiece")), ("prefix", .string(prefix)), ("cleanup", .bool(cleanup))])
    }
}
