// Tests of the one line rule, the UTF-8 policy, the streaming reader, file errors and message
// text. Expected values are written by hand from the rule: "\n" ends a line, a "\r" before it is
// dropped, a lone "\r" stays, a final "\n" adds no empty line.
// Not handled: speed (bench tokenize-long measures the readers at scale).

import Foundation
import Testing
import TestSupport
@testable import TextInput

@Suite struct TextLinesTests {
    func lines(_ bytes: [UInt8]) throws -> [String] { try TextLines.strings(bytes, source: "t", policy: .refuse) }

    @Test(arguments: [
        ("a\nb\nc", ["a", "b", "c"]),
        ("a\r\nb\r\nc\r\n", ["a", "b", "c"]),
        ("a\rb\n", ["a\rb"]),             // a lone "\r" does not end a line (gensim, HF)
        ("a\n\nb\n", ["a", "", "b"]),
        ("\n", [""]),
        ("\r\n", [""]),
        ("", []),
        ("x\r", ["x"]),                   // the last line, without "\n", loses its "\r" too
        ("中文\r\né\n", ["中文", "é"]),
    ])
    func linesFollowTheRule(text: String, expected: [String]) throws {
        #expect(try lines(Array(text.utf8)) == expected)
        #expect(TextLines.strings(of: text) == expected)
    }

    @Test func invalidUTF8IsRefusedWithByteAndLine() throws {
        // "ab\r\n" (4 bytes), then 0xFF at byte 4 on line 2.
        let bytes: [UInt8] = [0x61, 0x62, 0x0D, 0x0A, 0xFF, 0x0A]
        #expect(throws: InvalidUTF8Error(source: "t", byteOffset: 4, line: 2)) { try lines(bytes) }
        let replaced = try TextLines.strings(bytes, source: "t", policy: .replace)
        #expect(replaced == ["ab", "\u{FFFD}"])
        let message = InvalidUTF8Error(source: "t", byteOffset: 4, line: 2).description
        #expect(message.contains("--invalid-utf8 replace") && message.contains("iconv"))
    }

    @Test func theGlobalPolicyIsTheDefault() throws {
        let saved = InvalidUTF8Policy.current
        defer { InvalidUTF8Policy.current = saved }
        InvalidUTF8Policy.current = .replace
        #expect(try TextLines.strings([0xC3, 0x0A], source: "t") == ["\u{FFFD}"])
        InvalidUTF8Policy.current = .refuse
        #expect(throws: InvalidUTF8Error.self) { try TextLines.strings([0xC3, 0x0A], source: "t") }
    }

    @Test func lineReaderStreamsAcrossBlocks() throws {
        // A line longer than the 1 MiB block, a CRLF split at the block edge, then short lines.
        var bytes = [UInt8](repeating: 0x61, count: (1 << 20) - 1)
        bytes += [0x0D, 0x0A] + Array("b\r\nc".utf8)
        let url = try temporaryTextFile(bytes, name: "long.txt")
        let reader = try LineReader(path: url.path)
        let first = try #require(try reader.next())
        #expect(first.utf8.count == (1 << 20) - 1 && !first.hasSuffix("\r"))
        #expect(try reader.next() == "b")
        #expect(try reader.next() == "c")
        #expect(try reader.next() == nil)
    }

    @Test func lineReaderNamesTheBadByteInTheWholeInput() throws {
        let url = try temporaryTextFile(Array("one\r\ntwo\n".utf8) + [0x80], name: "bad.txt")
        let reader = try LineReader(path: url.path, policy: .refuse)
        #expect(try reader.next() == "one")
        #expect(try reader.next() == "two")
        #expect(throws: InvalidUTF8Error(source: url.path, byteOffset: 9, line: 3)) { try reader.next() }
    }

    @Test func fileErrorsNamePathActionAndCause() throws {
        let missing = "/nonexistent-\(UUID().uuidString)/pairs.tsv"
        #expect(throws: TextFileError(path: missing, action: "reading the word pairs", cause: "no such file; check the path")) {
            try TextFile.bytes(missing, action: "reading the word pairs")
        }
        let folder = FileManager.default.temporaryDirectory.path
        #expect(throws: TextFileError(path: folder, action: "reading", cause: "it is a folder, not a file; give the path of a file")) {
            try TextFile.bytes(folder, action: "reading")
        }
    }

    @Test func messagesQuoteAtMostAboutTwoThousandCharacters() {
        let long = String(repeating: "x", count: 10_000_000)
        let quoted = quotedForMessage(long)
        #expect(quoted.count < 2100)
        #expect(quoted.contains("9998000 characters left out"))  // 10,000,000 − 1,500 − 500
        #expect(quotedForMessage("short") == "short")
    }

    @Test func rangesReadAsWords() {
        #expect(describeRange(1...Int.max) == "≥ 1")
        #expect(describeRange(Int.min...0) == "≤ 0")
        #expect(describeRange(1...9) == "between 1 and 9")
        #expect(describeRange(0.0...Double.greatestFiniteMagnitude) == "≥ 0.0")
    }
}
