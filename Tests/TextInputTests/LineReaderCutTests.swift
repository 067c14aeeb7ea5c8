// LineReader with `maximumLineBytes`: a longer line comes back as its first bytes, cut at a scalar
// boundary, and the rest is read, checked and dropped, so the next line, the line numbers and the
// byte offsets of errors are those of the whole input. Expected values are counted by hand from
// the bytes written.
// Not handled: memory (Docs/Reliability.md measures a 50 MB line through `tinyencoder embed`).

import Foundation
import Testing
import TestSupport
@testable import TextInput

@Suite struct LineReaderCutTests {
    @Test func cutsAtAScalarBoundaryAndGoesOn() throws {
        // Line 1 "short"; line 2 is 7 × "é" (14 bytes) + CRLF: a limit of 5 falls inside the third
        // "é", so the line is cut after two (4 bytes); line 3 is exactly 5 bytes + CRLF (not cut);
        // line 4 has no final newline and is cut.
        let bytes = Array("short\n".utf8) + Array(String(repeating: "é", count: 7).utf8) + [0x0D, 0x0A]
            + Array("fiver\r\nlast line\n".utf8).dropLast()
        let reader = try LineReader(path: try temporaryTextFile(bytes, name: "cut.txt").path, policy: .refuse)
        reader.maximumLineBytes = 5
        var seen: [(String, Bool, Int)] = []
        while let line = try reader.next() { seen.append((line, reader.lastLineWasCut, reader.lineNumber)) }
        #expect(seen.map(\.0) == ["short", "éé", "fiver", "last "])
        #expect(seen.map(\.1) == [false, true, false, true])
        #expect(seen.map(\.2) == [2, 3, 4, 5])      // the number of the next line
    }

    /// 3 MiB of "中" (3 bytes each, so characters straddle the 1 MiB block edges), cut at 10 bytes.
    func longLine(badAt bad: Int? = nil) -> [UInt8] {
        var line = Array(String(repeating: "中", count: 1 << 20).utf8)
        if let bad { line[bad] = 0xFF }
        return Array("first\n".utf8) + line + Array("\nthird\n".utf8)
    }

    @Test func skipsACutLineAcrossBlocks() throws {
        let reader = try LineReader(path: try temporaryTextFile(longLine(), name: "long.txt").path, policy: .refuse)
        reader.maximumLineBytes = 10
        #expect(try reader.next() == "first")
        #expect(try reader.next() == "中中中" && reader.lastLineWasCut)
        #expect(try reader.next() == "third" && !reader.lastLineWasCut)
        #expect(try reader.next() == nil)
    }

    @Test func badBytesInTheDroppedPartAreNamedOrReplaced() throws {
        // The 0xFF replaces the first byte of character 700,000 of line 2: byte 6 + 3 · 700,000.
        let url = try temporaryTextFile(longLine(badAt: 3 * 700_000), name: "bad.txt")
        let refusing = try LineReader(path: url.path, policy: .refuse)
        refusing.maximumLineBytes = 10
        #expect(try refusing.next() == "first")
        #expect(throws: InvalidUTF8Error(source: url.path, byteOffset: 6 + 3 * 700_000, line: 2)) { try refusing.next() }
        let replacing = try LineReader(path: url.path, policy: .replace)
        replacing.maximumLineBytes = 10
        #expect(try replacing.next() == "first")
        #expect(try replacing.next() == "中中中")
        #expect(try replacing.next() == "third")
    }

    @Test func aBadByteInTheKeptPartIsNamedBeforeOneInTheDroppedPart() throws {
        // Line 1 "ab\xFFcd…" with a second bad byte far into the dropped part: byte 2 is named.
        let url = try temporaryTextFile(Array("ab".utf8) + [0xFF] + Array(repeating: 0x63, count: 5000) + [0xFE, 0x0A], name: "two-bad.txt")
        let reader = try LineReader(path: url.path, policy: .refuse)
        reader.maximumLineBytes = 10
        #expect(throws: InvalidUTF8Error(source: url.path, byteOffset: 2, line: 1)) { try reader.next() }
    }

    @Test func sequenceStartFindsOnlyACharacterThatRunsPastTheCut() {
        let text: [UInt8] = Array("aé中😘".utf8)           // a | C3 A9 | E4 B8 AD | F0 9F 98 98
        let straddling = (0...text.count).map { UTF8Check.sequenceStart(straddling: $0, in: text, from: 0) }
        #expect(straddling == [nil, nil, 1, nil, 3, 3, nil, 6, 6, 6, nil])
        #expect(UTF8Check.sequenceStart(straddling: 2, in: text, from: 2) == nil)   // the lead lies before `from`
        #expect(UTF8Check.sequenceStart(straddling: 4, in: [0x80, 0x80, 0x80, 0x80, 0x80], from: 0) == nil)
    }

    @Test func aWholeCharacterBeforeAStrayByteAtTheLimitIsKept() throws {
        // Found by fuzz-lines: "😘" (F0 9F 98 98) then a stray 0x80 at the 4-byte limit. The cut
        // must keep the emoji (it ends at the limit) and name the 0x80 (byte 4), as the whole reader does.
        let bytes: [UInt8] = [0xF0, 0x9F, 0x98, 0x98, 0x80, 0x20, 0x65, 0x0A]
        let url = try temporaryTextFile(bytes, name: "stray.txt")
        let refusing = try LineReader(path: url.path, policy: .refuse)
        refusing.maximumLineBytes = 4
        #expect(throws: InvalidUTF8Error(source: url.path, byteOffset: 4, line: 1)) { try refusing.next() }
        let replacing = try LineReader(path: url.path, policy: .replace)
        replacing.maximumLineBytes = 4
        #expect(try replacing.next() == "😘" && replacing.lastLineWasCut)
    }

    @Test func aSequenceCutAtTheLastBlockEdgeIsCheckedWhole() throws {
        // "中" = E4 B8 AD. The file ends inside a character of the dropped part: E4 B8 then the end.
        let url = try temporaryTextFile(Array("ab".utf8) + Array(String(repeating: "中", count: 400_000).utf8) + [0xE4, 0xB8], name: "end.txt")
        let reader = try LineReader(path: url.path, policy: .refuse)
        reader.maximumLineBytes = 4
        #expect(throws: InvalidUTF8Error(source: url.path, byteOffset: 2 + 3 * 400_000, line: 1)) { try reader.next() }
    }
}
