// ByteLevelAlphabet: GPT-2's reversible map from the 256 byte values to 256 printable Unicode
// characters. Bytes that are already visible Latin-1 characters ('!'…'~', '¡'…'¬', '®'…'ÿ') map
// to themselves; the other 68 (controls, space, DEL, NBSP, soft hyphen…) map, in byte order, to
// U+0100, U+0101, …, so the space 0x20 becomes 'Ġ' (U+0120) and the newline 0x0A becomes 'Ċ'.
// Reference: OpenAI gpt-2 src/encoder.py `bytes_to_unicode`; HF tokenizers `bytes_char`.
// Not handled: nothing; the map is total and fixed.

/// The byte ↔ character map of byte-level BPE.
///
/// ```swift
/// ByteLevelAlphabet.character(for: 0x20)        // "Ġ"
/// ByteLevelAlphabet.byte(for: "Ġ")               // 0x20
/// ```
public enum ByteLevelAlphabet: Sendable {
    /// `scalars[b]` is the character that stands for byte `b`.
    public static let scalars: [Unicode.Scalar] = {
        var result = [Unicode.Scalar](repeating: " ", count: 256)
        var next: UInt32 = 256
        for byte in 0..<256 {
            if isPrintable(UInt8(byte)) {
                result[byte] = Unicode.Scalar(UInt8(byte))
            } else {
                result[byte] = Unicode.Scalar(next)!  // 256…323: always valid scalars
                next += 1
            }
        }
        return result
    }()

    /// The 256 characters as one-character strings, indexed by byte.
    public static let strings: [String] = scalars.map { String(Character($0)) }

    /// The UTF-8 encoding of each byte's character (one or two bytes), indexed by byte.
    static let utf8: [[UInt8]] = strings.map { Array($0.utf8) }

    /// Character → byte, for decoding; indexed by scalar value (all are below 324).
    private static let bytesByScalar: [Int16] = {
        var table = [Int16](repeating: -1, count: 324)
        for byte in 0..<256 { table[Int(scalars[byte].value)] = Int16(byte) }
        return table
    }()

    /// The character for `byte`.
    public static func character(for byte: UInt8) -> Unicode.Scalar { scalars[Int(byte)] }

    /// The byte that `scalar` stands for, or nil if it is not one of the 256 characters.
    public static func byte(for scalar: Unicode.Scalar) -> UInt8? {
        let value = Int(scalar.value)
        guard value < bytesByScalar.count, bytesByScalar[value] >= 0 else { return nil }
        return UInt8(bytesByScalar[value])
    }

    /// The bytes a byte-level token stands for, or nil if some character is outside the alphabet.
    public static func bytes(of token: String) -> [UInt8]? {
        var result: [UInt8] = []
        result.reserveCapacity(token.unicodeScalars.count)
        for scalar in token.unicodeScalars {
            guard let byte = byte(for: scalar) else { return nil }
            result.append(byte)
        }
        return result
    }

    /// The byte-level spelling of `bytes` ("Hello world" → "HelloĠworld").
    public static func encode<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var text = String.UnicodeScalarView()
        for byte in bytes { text.append(scalars[Int(byte)]) }
        return String(text)
    }

    private static func isPrintable(_ byte: UInt8) -> Bool {
        (0x21...0x7E).contains(byte) || (0xA1...0xAC).contains(byte) || (0xAE...0xFF).contains(byte)
    }
}
