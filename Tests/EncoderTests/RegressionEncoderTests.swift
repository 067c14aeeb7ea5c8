// Regression tests for crashes found by fuzzing and auditing the Encoder's file readers
// (Scripts/fuzz, Docs/Reliability.md). Each input is the minimised file committed under
// Tests/Fixtures/Regression/; each test checks the typed error that replaced the trap.
// Not handled: the fuzzing itself (Scripts/fuzz/run.sh, never part of `swift test`).
@testable import Encoder
import Foundation
import Testing
import TensorCore
import TestSupport

@Suite struct RegressionEncoderTests {
    /// config.json asked for vocab 10⁷ × width 65,536 (2.6 TB) next to a 16-byte weights file: the
    /// model was allocated before any tensor was read, and the process died allocating it.
    @Test func configLargerThanItsWeightsIsRefusedBeforeAllocating() throws {
        let folder = fixtureURL("Regression/model-folder-size-bomb")
        do {
            _ = try ModelFolder.load(folder)
            Issue.record("a 16-byte weights file loaded as a 2.6 TB model")
        } catch let error as FileError {
            #expect(error.kind == .mismatch)
            #expect(error.file.hasSuffix("model-folder-size-bomb/config.json"))
            #expect(error.description.contains("model.safetensors holds only 0"))
        }
    }

    /// The count the check relies on, by hand for the pre-LN sinusoidal fixture's shape
    /// (V 45, C 16, L 2, F 32, P 32, T 2):
    ///   C·(V + P + T + 2) = 16·81 = 1296; per layer 4·16² + 2·16·32 + 9·16 + 32 = 2224, twice 4448;
    ///   final LayerNorm 2·16 = 32; head 16² + 3·16 + 45 = 349; total 6125,
    /// which is the model's parameters plus the fixed [32, 16] sinusoidal table (512 values).
    @Test func allocatedValueCountByHand() {
        let config = EncoderConfig(vocabularySize: 45, width: 16, layerCount: 2, headCount: 4, intermediateSize: 32,
                                   maxPositions: 32, positionEmbeddingType: .sinusoidal, preLayerNorm: true)
        #expect(config.allocatedValueCount == 6125)
        #expect(MaskedLanguageModel(config: config).parameterCount + 32 * 16 == 6125)
        var learned = config
        learned.positionEmbeddingType = .learned
        learned.preLayerNorm = false
        #expect(learned.allocatedValueCount == 6125 - 32)
        #expect(MaskedLanguageModel(config: learned).parameterCount == 6125 - 32)
    }

    /// Replacing a folder used two renames (old aside, new in): a kill between them left no folder
    /// at the path. Where the system can, the two folders are now swapped in one step.
    @Test func replacingAFolderSwapsInOneStep() throws {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("te-folder-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: parent) }
        let (first, second) = (parent.appendingPathComponent("a"), parent.appendingPathComponent("b"))
        for (folder, name) in [(first, "a.txt"), (second, "b.txt")] {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data().write(to: folder.appendingPathComponent(name))
        }
        #if os(Linux) || canImport(Darwin)
        #expect(AtomicFolder.exchange(first.path, second.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: first.path) == ["b.txt"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: second.path) == ["a.txt"])
        #endif
        let target = parent.appendingPathComponent("model")
        for name in ["old.txt", "new.txt"] {
            try AtomicFolder.write(to: target) { folder in try Data().write(to: folder.appendingPathComponent(name)) }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: target.path).sorted() == [OutputMarker.fileName, "new.txt"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path).sorted() == ["a", "b", "model"])
    }

    /// A swap never removes what TinyEncoder did not write: entries the old folder's marker does
    /// not list are carried into the new folder; one the new folder also writes stops the swap.
    @Test func replacingAFolderKeepsTheUsersEntries() throws {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("te-folder-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: parent) }
        let target = parent.appendingPathComponent("model")
        try AtomicFolder.write(to: target) { folder in try Data("1".utf8).write(to: folder.appendingPathComponent("weights.bin")) }
        #expect(OutputMarker.listedEntries(in: target) == ["weights.bin"])
        try Data("mine".utf8).write(to: target.appendingPathComponent("notes.md"))
        try FileManager.default.createDirectory(at: target.appendingPathComponent("plots"), withIntermediateDirectories: true)
        try Data("png".utf8).write(to: target.appendingPathComponent("plots/loss.png"))
        try AtomicFolder.write(to: target) { folder in try Data("2".utf8).write(to: folder.appendingPathComponent("weights.bin")) }
        #expect(try String(contentsOf: target.appendingPathComponent("weights.bin"), encoding: .utf8) == "2")
        #expect(try String(contentsOf: target.appendingPathComponent("notes.md"), encoding: .utf8) == "mine")
        #expect(try String(contentsOf: target.appendingPathComponent("plots/loss.png"), encoding: .utf8) == "png")
        #expect(OutputMarker.listedEntries(in: target) == ["weights.bin"])
        #expect(throws: FileError.self) {
            try AtomicFolder.write(to: target) { folder in try Data("3".utf8).write(to: folder.appendingPathComponent("notes.md")) }
        }
        #expect(try String(contentsOf: target.appendingPathComponent("weights.bin"), encoding: .utf8) == "2")
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["model"])
    }
}
