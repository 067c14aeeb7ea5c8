// UTF8Validation: checks that bytes are well-formed UTF-8 (Unicode 15, table 3-7: no overlongs,
// no surrogates, nothing above U+10FFFF) and decodes one scalar at a byte position. Every text that
// enters the tokenizer or the trainer passes through here, so bad bytes become a typed error.
// Follows the Unicode Standard §3.9 (well-formed UTF-8 byte sequences).
// Validation itself is TextInput's UTF8Check; the policy (refuse or replace) is InvalidUTF8Policy.
// Not handled: repairing bad input here (readers apply InvalidUTF8Policy before text gets here).

import TextInput

/// The offset of the first byte of `bytes` that starts an ill-formed UTF-8 sequence, or nil.
///
/// ```swift
/// firstInvalidUTF8Byte(in: [0x61, 0xFF])   // 1
/// ```
public func firstInvalidUTF8Byte(in bytes: [UInt8]) -> Int? { UTF8Validation.firstInvalidByte(in: bytes) }

enum UTF8Validation {
    /// The offset of the first byte that starts an ill-formed sequence (TextInput's UTF8Check, the
    /// one validator of the package), or nil if all is well-formed.
    static func firstInvalidByte(in bytes: UnsafeBufferPointer<UInt8>) -> Int? { UTF8Check.firstInvalidByte(in: bytes) }

    static func firstInvalidByte(in bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { firstInvalidByte(in: $0) }
    }

    /// Decodes the scalar at `index` of well-formed UTF-8, returning it and its byte length.
    @inline(__always)
    static func decode(at index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (scalar: UInt32, length: Int) {
        let lead = UInt32(bytes[index])
        if lead < 0x80 { return (lead, 1) }
        if lead < 0xE0 {
            return ((lead & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F), 2)
        }
        if lead < 0xF0 {
            return ((lead & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F), 3)
        }
        return ((lead & 0x07) << 18 | UInt32(bytes[index + 1] & 0x3F) << 12
                | UInt32(bytes[index + 2] & 0x3F) << 6 | UInt32(bytes[index + 3] & 0x3F), 4)
    }

    /// The byte length of a scalar whose lead byte is `lead` (well-formed input only).
    @inline(__always)
    static func length(ofLead lead: UInt8) -> Int {
        lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
    }

    /// Whether `byte` continues a multi-byte sequence (10xxxxxx).
    @inline(__always)
    static func isContinuation(_ byte: UInt8) -> Bool { byte & 0xC0 == 0x80 }

    /// The number of scalars (Python `len(str)`) in well-formed UTF-8.
    static func scalarCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        for byte in bytes where byte & 0xC0 != 0x80 { count += 1 }
        return count
    }

    /// 1-based line of byte `offset` (for error messages).
    static func line(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int { UTF8Check.line(of: offset, in: bytes) }
}
