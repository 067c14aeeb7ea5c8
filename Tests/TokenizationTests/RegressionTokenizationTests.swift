// Regression tests for crashes found by fuzzing and auditing the tokenizer file readers
// (Scripts/fuzz, Docs/Reliability.md). Each input is the minimised file committed under
// Tests/Fixtures/Regression/; each test checks the typed error that replaced the trap.
// Not handled: the fuzzing itself (Scripts/fuzz/run.sh, never part of `swift test`).
import Foundation
import Testing
import TestSupport
@testable import Tokenization

@Suite struct RegressionTokenizationTests {
    /// The loader's error for a minimised file, which must name the file and the field.
    func loadError(_ name: String) throws -> TokenizationError? {
        let url = fixtureURL("Regression/\(name)")
        do {
            _ = try Tokenizer(contentsOf: url)
            return nil
        } catch let error as TokenizationError {
            #expect(error.description.contains(url.path))
            return error
        }
    }

    /// padding {"Fixed": 10¹¹}: every encoding was padded to 10¹¹ tokens, and the first one died
    /// allocating them.
    @Test func hugeFixedPaddingIsRefused() throws {
        guard case let .invalidField(_, path, reason) = try loadError("tokenizer-padding-fixed-huge.json") else {
            Issue.record("padding of 10¹¹ tokens loaded"); return
        }
        #expect(path == "padding.strategy")
        #expect(reason.contains("1048576"))
    }

    /// pad_to_multiple_of 2·10⁹ (inside the old 0…Int32.max range): the same allocation.
    @Test func hugePaddingMultipleIsRefused() throws {
        guard case let .invalidField(_, path, reason) = try loadError("tokenizer-padding-multiple-huge.json") else {
            Issue.record("padding to a multiple of 2·10⁹ loaded"); return
        }
        #expect(path == "padding.pad_to_multiple_of")
        #expect(reason.contains("between 0 and 1048576"))
    }

    /// The limit itself still loads and pads (1,048,576 tokens of one id: a few hundred MB would be
    /// too slow for a test, so check a small fixed length and the boundary value separately).
    @Test func paddingAtTheLimitLoads() throws {
        let json = try JSONParser.parse(Array(#"{"model":{"type":"BPE","vocab":{"a":0},"merges":[]},"padding":{"strategy":{"Fixed":1048576}}}"#.utf8), source: "limit")
        let tokenizer = try Tokenizer(json: json, source: "limit")
        #expect(tokenizer.padding?.strategy == .fixed(1_048_576))
        var small = tokenizer
        small.padding?.strategy = .fixed(3)
        #expect(try small.encode("a").ids == [0, 0, 0])
    }

    /// A `bpe-train` killed while saving left ".tokenizer.json.tmp-PID" behind for good (and, with
    /// the PID alone in the name, a later writer with the same PID would have reused it). Saving
    /// removes temporaries whose writer is gone and keeps a live one's.
    @Test func savingRemovesTemporariesOfKilledWriters() throws {
        let manager = FileManager.default
        let folder = manager.temporaryDirectory.appendingPathComponent("te-tok-stale-\(UInt32.random(in: 0...UInt32.max))")
        try manager.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? manager.removeItem(at: folder) }
        let dead = ".tokenizer.json.tmp-\(Int32.max)-3", live = ".tokenizer.json.tmp-1-3"
        for name in [dead, live] { try Data("{\"trunc".utf8).write(to: folder.appendingPathComponent(name)) }
        let url = folder.appendingPathComponent("tokenizer.json")
        try Tokenizer(contentsOf: fixtureURL("Tokenization/small-bpe.json")).save(to: url)
        #expect(try manager.contentsOfDirectory(atPath: folder.path).sorted() == [live, "tokenizer.json"])
        _ = try Tokenizer(contentsOf: url)
    }

    /// fuzz-tokenizer-json: truncation with max_length 14 and stride 2 (LongestFirst) and a pair of
    /// 8 KB texts. Both texts overflow, and every window of one was combined with every window of
    /// the other (HF's merge): about 3 · 230 · 230 windows, over 2 GB, then out of memory.
    @Test func pairWhoseWindowsMultiplyIsRefused() throws {
        let tokenizer = try Tokenizer(contentsOf: fixtureURL("Regression/tokenizer-truncation-pair-windows.json"))
        let long = String(repeating: "hello world, the quick brown fox. ", count: 240)  // 8 KB
        do {
            _ = try tokenizer.encode(long, pair: long)
            Issue.record("a pair of 8 KB texts with 14-token windows was encoded")
        } catch let TokenizationError.invalidConfiguration(component, field, reason) {
            #expect(component == "truncation" && field == "max_length")
            #expect(reason.contains("OnlyFirst"))
        }
        // Short pairs, and one long text with a short one, still give every window.
        let short = String(repeating: "hello world ", count: 8)
        let pair = try tokenizer.encode(short, pair: short)
        #expect(!pair.overflowing.isEmpty)  // (the fixture also pads to a fixed 18)
        let single = try tokenizer.encode(long)
        #expect(single.overflowing.count > 100)
    }
}
