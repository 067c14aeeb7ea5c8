// InvalidUTF8Policy: what every reader of text does with bytes that are not well-formed UTF-8.
// One process-wide setting, so `embed`, `tokenize`, the trainers and the evaluation files all
// behave alike: refuse by default (an error naming the source, byte and line, with a hint), or
// replace each ill-formed sequence with U+FFFD when asked (`--invalid-utf8 replace` on the command
// line), as Python's `errors="replace"` does. Validation follows Unicode 15 §3.9, table 3-7.
// Not handled: guessing another encoding (Latin-1, UTF-16); convert the file first.

/// Refuse ill-formed UTF-8 (the default) or replace it with U+FFFD.
public enum InvalidUTF8Policy: String, CaseIterable, Sendable {
    case refuse, replace

    /// The policy of this process. The command line sets it once, before any file is read.
    /// Reads and writes go through a lock, so setting it while other threads read is safe.
    public static var current: InvalidUTF8Policy {
        get { setting.current }
        set { setting.withLock { $0 = newValue } }
    }

    private static let setting = Locked(InvalidUTF8Policy.refuse)
}

/// Text that could not be read as UTF-8.
public struct InvalidUTF8Error: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file path, "standard input", or another name of where the bytes came from.
    public let source: String
    /// Offset of the first bad byte in the whole input.
    public let byteOffset: Int
    /// 1-based line of that byte.
    public let line: Int

    public init(source: String, byteOffset: Int, line: Int) {
        self.source = source
        self.byteOffset = byteOffset
        self.line = line
    }

    public var description: String {
        "\(source): invalid UTF-8 at byte \(byteOffset) (line \(line)); convert the input to UTF-8 "
            + "(for example `iconv -f LATIN1 -t UTF-8`), or pass --invalid-utf8 replace to read bad bytes as U+FFFD"
    }
}

/// Well-formedness of UTF-8 bytes.
public enum UTF8Check: Sendable {
    /// The offset of the first byte that starts an ill-formed sequence, or nil if all is well-formed.
    /// - Complexity: O(n), with an eight-bytes-at-a-time ASCII fast path.
    public static func firstInvalidByte(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let count = bytes.count
        guard let base = bytes.baseAddress else { return nil }
        var index = 0
        while index < count {
            if index + 8 <= count {
                let word = UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)
                if word & 0x8080_8080_8080_8080 == 0 { index += 8; continue }
            }
            if base[index] < 0x80 { index += 1; continue }
            let length = sequenceLength(at: index, in: bytes)
            if length == 0 { return index }
            index += length
        }
        return nil
    }

    public static func firstInvalidByte<Bytes: Collection>(in bytes: Bytes) -> Int? where Bytes.Element == UInt8 {
        if let answer = bytes.withContiguousStorageIfAvailable({ firstInvalidByte(in: $0) }) { return answer }
        return Array(bytes).withUnsafeBufferPointer { firstInvalidByte(in: $0) }
    }

    /// The length (1…4) of the well-formed sequence starting at `index`, or 0 if it is ill-formed.
    @inline(__always)
    public static func sequenceLength(at index: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
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

    /// Where to cut `bytes` at `cut` without splitting a character: the position of the lead byte
    /// (within the 3 bytes before `cut`, not before `floor`) whose sequence runs past `cut`, or nil
    /// when no sequence straddles `cut` (the byte there starts one, or is a stray continuation byte
    /// that no cut could keep whole). Only the lead byte's announced length is read; whether the
    /// sequence is well-formed is the validator's question.
    public static func sequenceStart(straddling cut: Int, in bytes: [UInt8], from floor: Int) -> Int? {
        var lead = cut - 1
        while lead >= max(floor, cut - 3) {
            let byte = bytes[lead]
            if byte & 0xC0 != 0x80 {
                let length = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
                return lead + length > cut ? lead : nil
            }
            lead -= 1
        }
        return nil
    }

    /// 1-based line of byte `offset` (lines end at "\n").
    public static func line(of offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Int {
        var line = 1
        for position in 0..<min(offset, bytes.count) where bytes[position] == 0x0A { line += 1 }
        return line
    }

    /// `bytes` as a String under `policy`: refused (naming `source`, the byte and the line) or
    /// repaired with U+FFFD. `firstByte` and `firstLine` place the bytes in a larger input.
    public static func string(_ bytes: UnsafeBufferPointer<UInt8>, source: String, policy: InvalidUTF8Policy = .current,
                              firstByte: Int = 0, firstLine: Int = 1) throws -> String {
        if policy == .refuse, let bad = firstInvalidByte(in: bytes) {
            throw InvalidUTF8Error(source: source, byteOffset: firstByte + bad, line: firstLine + line(of: bad, in: bytes) - 1)
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
