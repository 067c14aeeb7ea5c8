// TextLines: the one rule for cutting text into lines, used by every reader of the package.
// A line ends at "\n"; a "\r" just before it is dropped (so CRLF files read as LF files); a lone
// "\r" does not end a line (gensim's LineSentence and HF's vocab/merges readers split at "\n" only).
// The last line needs no "\n"; a final "\n" does not make an empty last line.
// Swift treats "\r\n" as one Character, so `String.split(separator: "\n")` never splits CRLF text:
// cutting is done on bytes, before decoding.
// Not handled: other line separators (U+2028, NEL, form feed): they stay inside the line.

import Foundation

public enum TextLines: Sendable {
    /// Calls `body` with the byte range of every line of `bytes` (without "\n" or "\r\n") and its
    /// 1-based number, in order.
    /// - Complexity: O(n) (memchr for each "\n").
    public static func forEachLine(in bytes: UnsafeBufferPointer<UInt8>, _ body: (Range<Int>, Int) throws -> Void) rethrows {
        guard let base = bytes.baseAddress else { return }
        var start = 0
        var number = 1
        while start < bytes.count {
            let end: Int
            let next: Int
            if let newline = memchr(base + start, 0x0A, bytes.count - start) {
                end = base.distance(to: newline.assumingMemoryBound(to: UInt8.self))
                next = end + 1
            } else {
                end = bytes.count
                next = bytes.count
            }
            try body(start..<contentEnd(base, start, end), number)
            number += 1
            start = next
        }
    }

    /// `end`, less one when the line ends in "\r".
    @inline(__always)
    static func contentEnd(_ base: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Int {
        end > start && base[end - 1] == 0x0D ? end - 1 : end
    }

    /// The lines of `bytes` as strings, decoded under `policy` (errors name `source`, the byte and
    /// the line; `firstByte` and `firstLine` place the bytes in a larger input).
    public static func strings(_ bytes: UnsafeBufferPointer<UInt8>, source: String, policy: InvalidUTF8Policy = .current,
                               firstByte: Int = 0, firstLine: Int = 1) throws -> [String] {
        if policy == .refuse, let bad = UTF8Check.firstInvalidByte(in: bytes) {
            throw InvalidUTF8Error(source: source, byteOffset: firstByte + bad, line: firstLine + UTF8Check.line(of: bad, in: bytes) - 1)
        }
        var lines: [String] = []
        forEachLine(in: bytes) { range, _ in
            lines.append(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self))
        }
        return lines
    }

    public static func strings(_ bytes: [UInt8], source: String, policy: InvalidUTF8Policy = .current) throws -> [String] {
        try bytes.withUnsafeBufferPointer { try strings($0, source: source, policy: policy) }
    }

    /// The lines of a String (already decoded): the same rule, for texts that arrive as Strings.
    public static func strings(of text: String) -> [String] {
        var text = text
        return text.withUTF8 { buffer in
            var lines: [String] = []
            forEachLine(in: buffer) { range, _ in lines.append(String(decoding: UnsafeBufferPointer(rebasing: buffer[range]), as: UTF8.self)) }
            return lines
        }
    }
}
