// `embed` reads a standard-input line over 4 MiB as its first 4 MiB when they decide its tokens
// (LineReader.maximumLineBytes + SentenceEmbedder.prefixDecidesTokens), so memory does not grow
// with the line: the vectors must be those of the same text given short, the refusal without
// --truncate must stay, and a line whose first 4 MiB give too few tokens is refused by name.
// Not handled: the memory itself (Docs/Reliability.md measures a 50 MB line with /usr/bin/time).

import Foundation
import Testing
import TestSupport

@Suite struct LongLineCommandTests {
    /// 5 MiB of one sentence repeated, on line 1; a short line 2.
    static let sentence = "The bank by the river was closed. "
    static let long = String(repeating: sentence, count: (5 << 20) / sentence.utf8.count)

    @Test func aCutLineEmbedsAsTheSameTextGivenShort() throws {
        let cut = try CLI.run(["embed", "--truncate", "--format", "tsv"], input: Data((Self.long + "\nsecond line\n").utf8))
        // The first 100,000 bytes hold far more than the model's 256 tokens, so they decide them too.
        let short = String(Self.long.utf8.prefix(100_000))!
        let reference = try CLI.run(["embed", "--truncate", "--format", "tsv"], input: Data((short + "\nsecond line\n").utf8))
        #expect(cut.status == 0 && reference.status == 0, "\(cut.stderr)\(reference.stderr)")
        #expect(cut.lines.count == 2 && cut.stdout == reference.stdout)
    }

    @Test func withoutTruncateTheLineIsStillRefused() throws {
        // tiny-bert's BertModel files alone: no sentence-transformers max_seq_length (which always cuts).
        let model = try CLI.temporaryFolder()
        for name in ["config.json", "model.safetensors", "tokenizer.json"] {
            try FileManager.default.copyItem(at: fixtureURL("HuggingFace/tiny-bert/" + name), to: model.appendingPathComponent(name))
        }
        let result = try CLI.run(["embed", "--model", model.path, "--format", "tsv"], input: Data((Self.long + "\n").utf8))
        #expect(result.status == 1)
        #expect(result.stderr.contains("--truncate"), "\(result.stderr)")
    }

    @Test func aLineOfSpacesIsRefusedByName() throws {
        let spaces = String(repeating: " ", count: 5 << 20) + "word\n"
        let result = try CLI.run(["embed", "--truncate", "--format", "tsv"], input: Data(spaces.utf8))
        #expect(result.status == 1)
        #expect(result.stderr.contains("standard input line 1 is longer than 4 MiB") && result.stderr.contains("split it into shorter lines"),
                "\(result.stderr)")
    }
}
