// Regression tests for traps found by auditing the command line's file readers (Docs/Reliability.md):
// each minimised input is committed under Tests/Fixtures/Regression/ (made by
// Scripts/fuzz/make_regression_fixtures.py) and must now give a FileError naming file and field.
// Not handled: the CLI's output on success (covered by the modules' own tests).
import Foundation
import TensorCore
import Testing
import TestSupport
@testable import TinyEncoderCLI

@Suite struct RegressionCLITests {
    /// `probe --features FILE`'s error for `fixture`.
    func probeError(_ fixture: String) throws -> FileError? {
        let path = fixtureURL("Regression/\(fixture)").path
        var arguments = try Arguments(command: "probe", ["--features", path], flagNames: ProbeCommand.flagNames)
        do {
            try ProbeCommand.run(&arguments)
            return nil
        } catch let error as FileError {
            #expect(error.file == path)
            return error
        }
    }

    /// A NaN label trapped in Int(Float) ("Float value cannot be converted to Int").
    @Test func nanLabelIsRefused() throws {
        let error = try probeError("probe-features-nan-label.safetensors")
        #expect(error?.field == "test.y")
        #expect(error?.problem.contains("nan") == true)
    }

    /// [N, 0] vectors trapped in LogisticRegression (reshaping a [2, 0] product).
    @Test func vectorsWithoutDimensionsAreRefused() throws {
        let error = try probeError("probe-features-no-dimensions.safetensors")
        #expect(error?.field == "train.x")
        #expect(error?.kind == .malformed)
    }

    /// Test vectors 3 wide against training vectors 2 wide trapped in Tensor(shape:scalars:).
    @Test func testWidthDifferentFromTrainingIsRefused() throws {
        let error = try probeError("probe-features-width-mismatch.safetensors")
        #expect(error?.field == "test.x")
        #expect(error?.kind == .mismatch)
        #expect(error?.problem == "has 3 dimensions but train.x has 2")
    }

    /// `embed --modle DIR` (Scripts/bad-inputs.py): the commands resolved the default model before
    /// checking for unknown options, so a misspelt --model read "the shipped model is missing".
    @Test(arguments: ["embed", "similarity", "export", "trace"])
    func misspeltModelOptionIsNamed(command: String) throws {
        let type = try #require(allCommands.first { $0.name == command })
        // --out names a file in a fresh temporary folder (never a shared path such as /tmp/x,
        // which may exist as a folder and be refused before the unknown option is seen).
        let out = FileManager.default.temporaryDirectory
            .appendingPathComponent("misspelt-model-\(command)-\(UInt32.random(in: 0...UInt32.max))").appendingPathComponent("out").path
        try expectUnknownOption("modle", type, ["--modle", "/nonexistent", "--text", "a", "--out", out, "a", "b"])
    }

    /// Runs `type` in process on `raw` and expects the unknown-option error for `--name`.
    func expectUnknownOption(_ name: String, _ type: Command.Type, _ raw: [String]) throws {
        var arguments = try Arguments(command: type.name, raw, flagNames: type.flagNames)
        do {
            try type.run(&arguments)
            Issue.record("\(type.name) ran with --\(name)")
        } catch let error as CLIError {
            #expect(error.message.contains("unknown option --\(name)"), "\(type.name): \(error.message)")
        }
    }

    /// A misspelt option beside an output that already exists: the commands check the output
    /// before they have read every option, and used to report the existing file, hiding the typo.
    @Test(arguments: [("embed", "out", []), ("trace", "out", ["--text", "a"]), ("whiten", "out", ["--corpus", "c.txt"]),
                      ("probe", "save-features", ["--train", "t.tsv", "--test", "t.tsv"]),
                      ("contextuality", "plot", ["--corpus", "c.txt"]), ("pretrain", "out", ["--corpus", "c.txt"])])
    func aMisspeltOptionIsNamedBeforeABadOutput(command: String, output: String, required: [String]) throws {
        let type = try #require(allCommands.first { $0.name == command })
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("misspelt-\(command)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let existing = folder.appendingPathComponent("already-there")
        try Data("mine".utf8).write(to: existing)
        try expectUnknownOption("bogus-option", type, ["--bogus-option", "1", "--\(output)", existing.path] + required + ["a"])
        #expect(try String(contentsOf: existing, encoding: .utf8) == "mine")
    }
}
