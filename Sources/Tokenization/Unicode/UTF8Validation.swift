// UTF8Validation: checks that bytes are well-formed UTF-8 (Unicode 15, table 3-7: no overlongs,
// no surrogates, nothing above U+10FFFF) and decodes one scalar at a byte position. Every text that
// enters the tokenizer or the trainer passes through here, so bad bytes become a typed error.
// Follows the Unicode Standard §3.9 (well-formed UTF-8 byte sequences).
// Not handled: repairing bad input (we refuse it; `String(decoding:)` is the place for repair).

/// The offset of the first byte of `bytes` that starts an ill-formed UTF-8 sequence, or nil.
///
/// ```swift
/// firstInvalidUTF8Byte(in: [0x61, 0xFF])   // 1
/// ```
public func firstInvalidUTF8Byte(in bytes: [UInt8]) -> Int? { UTF8Validation.firstInvalidByte(in: bytes) }

enum UTF8Validation {
    /// The offset of the first byte that starts an ill-formed sequence, or nil if all is well-formed.
    /// - Complexity: O(n), with an eight-bytes-at-a-time ASCII fast path.
    static func firstInvalidByte(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let count = bytes.count
        guard let base = bytes.baseAddress else { return nil }
        var index = 0
        while index < count {
            // Skip ASCII eight bytes at a time.
            if index + 8 <= count {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 { index += 8; continue }
            }
            let lead = base[index]
            if lead < 0x80 { index += 1; continue }
            let length = sequenceLength(at: index, in: bytes)
            if length == 0 { return index }
            index += length
        }
        return nil
    }

    static func firstInvalidByte(in bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { firstInvalidByte(in: $0) }
    }

    /// The length (1…4) of the well-formed sequence starting at `index`, or 0 if it is ill-formed.
    @inline(__always)
    static func sequenceLength(at index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        let lead = bytes[index]
        let remaining = bytes.count - index
        func continuation(_ offset: Int) -> Bool { bytes[index + offset] & 0xC0 == 0x80 }
        switch lead {
        case 0x00...0x7F:
            return 1
        case 0xC2...0xDF:
            return remaining >= 2 && continuation(1) ? 2 : 0
        case 0xE0...0xEF:
            guard remaining >= 3, continuation(1), continuation(2) else { return 0 }
            let second = bytes[index + 1]
            if lead == 0xE0 && second < 0xA0 { return 0 }  // overlong
            if lead == 0xED && second > 0x9F { return 0 }  // surrogate
            return 3
        case 0xF0...0xF4:
            guard remaining >= 4, continuation(1), continuation(2), continuation(3) else { return 0 }
            let second = bytes[index + 1]
            if lead == 0xF0 && second < 0x90 { return 0 }  // overlong
            if lead == 0xF4 && second > 0x8F { return 0 }  // above U+10FFFF
            return 4
        default:
            return 0
        }
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
    static func line(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var line = 1
        for position in 0..<min(offset, bytes.count) where bytes[position] == 0x0A { line += 1 }
        return line
    }
}
