// The hand-written argument parser: options, flags, positionals, `--`, and the errors a user sees.
import Testing
@testable import TinyEncoderCLI

@Suite struct ArgumentsTests {
    @Test func splitsOptionsFlagsAndPositionals() throws {
        var arguments = try Arguments(
            command: "embed", ["--model", "dir", "--pooling=mean", "--json", "a text", "--", "--not-an-option"],
            flagNames: ["json"])
        let model = arguments.string("model"), pooling = arguments.string("pooling")
        let json = arguments.flag("json")
        #expect(model == "dir")
        #expect(pooling == "mean")
        #expect(json)
        #expect(arguments.positionals == ["a text", "--not-an-option"])
        try arguments.rejectUnknown()
    }

    @Test func missingValueNamesTheOption() {
        #expect(throws: CLIError.self) { try Arguments(command: "embed", ["--model"], flagNames: []) }
    }

    @Test func unknownOptionIsRejected() throws {
        var arguments = try Arguments(command: "embed", ["--modle", "x"], flagNames: [])
        _ = arguments.string("model")
        #expect(throws: CLIError.self) { try arguments.rejectUnknown() }
    }

    @Test func numbersAreRangeChecked() throws {
        var arguments = try Arguments(command: "x", ["--steps", "-3", "--rate", "nan"], flagNames: [])
        #expect(throws: CLIError.self) { try arguments.int("steps", default: 1, in: 1...100) }
        #expect(throws: CLIError.self) { try arguments.double("rate", default: 1) }
        let absent = try arguments.int("absent", default: 7)
        #expect(absent == 7)
    }
}
