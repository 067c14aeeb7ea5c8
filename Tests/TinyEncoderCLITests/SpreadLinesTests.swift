// `spreadLines` (pretrain --distill-center-lines): whole lines taken at evenly spaced byte offsets,
// never a line twice, never a piece of a line, and a typed error for a missing file.
import Foundation
import Testing
@testable import TinyEncoderCLI

@Suite struct SpreadLinesTests {
    @Test func takesWholeLinesSpreadOverTheFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("spread-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: url) }
        // 100 lines "line 00" … "line 99", 8 bytes each: 800 bytes.
        try (0..<100).map { String(format: "line %02d\n", $0) }.joined().write(to: url, atomically: true, encoding: .utf8)
        // Offsets 0, 200, 400, 600 are line starts: lines 0, 25, 50, 75.
        #expect(try spreadLines(of: url, count: 4) == ["line 00", "line 25", "line 50", "line 75"])
        // Offsets 0, 266, 533: line 0, then the first whole lines after bytes 266 and 533 (34 and 67).
        #expect(try spreadLines(of: url, count: 3) == ["line 00", "line 34", "line 67"])
        // More requested than there are lines: every line once, in order.
        let all = try spreadLines(of: url, count: 1000)
        #expect(all == (0..<100).map { String(format: "line %02d", $0) })
    }

    @Test func aMissingFileIsATypedError() {
        #expect(throws: CLIError.self) { try spreadLines(of: URL(fileURLWithPath: "/nonexistent/corpus.txt"), count: 10) }
    }
}
