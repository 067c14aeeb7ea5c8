// Offsets of one long non-ASCII line: ScalarCounter walks back as well as forward, so a byte-level
// token inside a multi-byte character no longer rescans the line from byte 0 (that made a line of
// N CJK characters O(N²)). Checked against the counting-from-zero reference, and against the
// same text encoded in short pieces (offsets shifted by each piece's start).
// Not handled: speed (bench tokenize-long measures it; timing never goes in a test).

import Foundation
import Testing
import TestSupport
@testable import Tokenization

@Suite struct LongLineOffsetTests {
    @Test func scalarCounterMatchesTheReferenceInAnyOrder() {
        let text = Array("a中é😀b文\u{301}".utf8)  // 1 + 3 + 2 + 4 + 1 + 3 + 2 bytes
        text.withUnsafeBufferPointer { bytes in
            var counter = ScalarCounter(bytes)
            // Forward, back into a character, far back, past the end.
            for target in [0, 4, 2, 1, 9, 5, 16, 3, 0, 20, 8] {
                #expect(counter.characterIndex(ofByte: target) == ScalarCounter.scalarIndexReference(ofByte: target, in: bytes), "byte \(target)")
            }
            // By hand: bytes 0..<1 "a", 1..<4 "中", 4..<6 "é", 6..<10 "😀" → byte 10 starts scalar 4.
            #expect(counter.characterIndex(ofByte: 10) == 4)
        }
    }

    @Test func steppingBackInsideCharactersStaysLinear() {
        // Byte-level tokens of one CJK line: every token of a character asks for the character's
        // range, so the offset moves 3 bytes forward, then back, then forward. Walking from the
        // last position steps 2 × 3 bytes per token; rescanning from byte 0 on each step back
        // would walk about n²/2 bytes (4.5 million for these 3,000 bytes).
        let text = Array(String(repeating: "中", count: 1000).utf8)
        text.withUnsafeBufferPointer { bytes in
            var counter = ScalarCounter(bytes)
            for character in 0..<1000 {
                for _ in 0..<3 {
                    #expect(counter.characterRange(of: (3 * character)..<(3 * character + 3)) == character..<(character + 1))
                }
            }
            #if DEBUG
            #expect(counter.bytesWalked <= 6 * 3 * bytes.count, "walked \(counter.bytesWalked) bytes for \(bytes.count)")
            #endif
        }
    }

    @Test(arguments: ["hf-bpe-8k.json"])  // byte-level BPE: a CJK run is one pre-token, split into bytes
    func longCJKLineHasTheOffsetsOfItsPieces(name: String) throws {
        var tokenizer = try Fixtures.tokenizer(name)
        tokenizer.truncation = nil
        tokenizer.padding = nil
        let piece = String(repeating: "中文字", count: 50)  // 150 characters, no word boundary
        let line = String(repeating: piece + " ", count: 20)
        let long = try tokenizer.encode(line, addSpecialTokens: false)
        let single = try tokenizer.encode(piece + " ", addSpecialTokens: false)
        try #require(long.count == 20 * single.count)
        for repeatIndex in [0, 7, 19] {
            for (k, offset) in single.characterOffsets.enumerated() {
                let shift = repeatIndex * 151
                #expect(long.characterOffsets[repeatIndex * single.count + k] == (offset.lowerBound + shift)..<(offset.upperBound + shift))
            }
        }
        // Every character offset lies inside the 3020 characters, and they never go backwards.
        #expect(long.characterOffsets.last?.upperBound ?? 0 <= 3020)
        for (previous, next) in zip(long.characterOffsets, long.characterOffsets.dropFirst()) { #expect(previous.lowerBound <= next.lowerBound) }
    }
}
