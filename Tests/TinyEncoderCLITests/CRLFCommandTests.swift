// Standard input of `tokenize` and `embed` with CRLF line endings gives the output of the LF
// input, and both commands share one UTF-8 policy: refuse by default (naming byte and line),
// replace with `--invalid-utf8 replace`. Before TextInput, `tokenize` printed one line for three
// CRLF lines, and `embed` silently replaced bad bytes.
// Not handled: JSON input (--json, --input jsonl), where "\r" is JSON whitespace.

import Foundation
import Testing
import TestSupport

@Suite struct CRLFCommandTests {
    static let text = "Hello world.\nA second line\n\nnaïve café 中文\n"
    static let tokenizer = fixtureURL("Tokenization/small-bpe.json").path

    @Test func tokenizeReadsCRLFStandardInputAsLF() throws {
        let lf = try CLI.run(["tokenize", "--tokenizer", Self.tokenizer], input: Data(Self.text.utf8))
        let crlf = try CLI.run(["tokenize", "--tokenizer", Self.tokenizer], input: Data(crlfBytes(Self.text)))
        #expect(lf.status == 0 && crlf.status == 0, "\(lf.stderr) \(crlf.stderr)")
        #expect(lf.lines.count == 4)
        #expect(crlf.stdout == lf.stdout)
    }

    @Test func embedReadsCRLFStandardInputAsLF() throws {
        let lf = try CLI.run(["embed"], input: Data(Self.text.utf8))
        let crlf = try CLI.run(["embed"], input: Data(crlfBytes(Self.text)))
        #expect(lf.status == 0 && crlf.status == 0, "\(lf.stderr) \(crlf.stderr)")
        #expect(lf.lines.count == 4)
        #expect(crlf.stdout == lf.stdout)
    }

    @Test(arguments: [["tokenize", "--tokenizer", tokenizer], ["embed"]])
    func invalidUTF8IsRefusedUnlessReplacementIsAsked(command: [String]) throws {
        let bytes = Array("ok\r\nbad ".utf8) + [0xFF] + Array("\n".utf8)
        let refused = try CLI.run(command, input: Data(bytes))
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("invalid UTF-8 at byte 8 (line 2)") && refused.stderr.contains("--invalid-utf8 replace"),
                "\(refused.stderr)")
        let replaced = try CLI.run(command + ["--invalid-utf8", "replace"], input: Data(bytes))
        #expect(replaced.status == 0, "\(replaced.stderr)")
        #expect(replaced.lines.count == 2)
    }

    @Test func anOptionDoesNotSwallowTheNextOption() throws {
        let result = try CLI.run(["trace", "--bogus", "--out", "x.safetensors"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("--bogus is followed by the option --out"), "\(result.stderr)")
    }
}
