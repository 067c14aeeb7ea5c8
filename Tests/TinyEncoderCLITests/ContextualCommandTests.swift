// The contextual-embedding commands on the tiny BERT fixture: `contextuality` prints the table the
// NumPy reference gives (Tests/Fixtures/Contextual/contextuality.json) and draws its plot without
// clobbering files; `probe --layer all` prints one line per layer, its last layer scoring as the
// plain probe does; and the bad inputs (a layer past the depth, a word not in the text, a corpus
// with no word in K contexts, an empty corpus) are clear errors that name the fix.
import Encoder
import Evaluation
import Foundation
import Testing
import TestSupport
@testable import TinyEncoderCLI

@Suite(.serialized) struct ContextualCommandTests {
    let model = fixtureURL("HuggingFace/tiny-bert").path

    func run(_ command: Command.Type, _ words: [String]) throws {
        var arguments = try Arguments(command: command.name, words, flagNames: command.flagNames)
        try command.run(&arguments)
    }

    /// The message of the error `body` throws ("" when it throws none).
    func message(_ body: () throws -> Void) -> String {
        do { try body(); return "" } catch { return "\(error)" }
    }

    /// A scratch folder two levels down (never a real folder), removed by the caller.
    func scratch() throws -> URL {
        let url = try CLI.temporaryFolder().appendingPathComponent("outer/work")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func reference() throws -> [String: Any] {
        let data = try Data(contentsOf: fixtureURL("Contextual/contextuality.json"))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        return try #require(root["tiny_bert"] as? [String: Any])
    }

    @Test func contextualityPrintsTheNumPyTableAndDrawsThePlot() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent().deletingLastPathComponent()) }
        let reference = try reference()
        let corpus = folder.appendingPathComponent("corpus.txt")
        try ((reference["sentences"] as? [String] ?? []).joined(separator: "\n") + "\n\n").write(to: corpus, atomically: true, encoding: .utf8)
        let plot = folder.appendingPathComponent("curves.svg")
        let arguments = ["contextuality", "--model", model, "--corpus", corpus.path, "--min-contexts", "3", "--quiet", "--plot", plot.path]
        let result = try CLI.run(arguments, home: folder)
        #expect(result.status == 0, "\(result.stderr)")
        try Contracts.check(result, "contextuality")
        let lines = result.lines
        #expect(lines.last?.hasPrefix("sentences=12 occurrences=82 words=10 min_contexts=3 intra_sentences=12 seed=1 word_pooling=mean most_contexts=the:10,") == true, "\(lines.last ?? "")")
        let rows = try #require(reference["layers"] as? [[String: Any]])
        for (line, row) in zip(lines.dropFirst(1), rows) {
            let cells = line.split(separator: "\t").compactMap { Double($0) }
            let value = { (key: String) in (row[key] as? NSNumber)?.doubleValue ?? .nan }
            let expected = [value("self_similarity"), value("self_similarity") - value("anisotropy"), value("intra_similarity"),
                            value("intra_similarity") - value("anisotropy"), value("anisotropy"), value("mev")]
            #expect(cells.count == 7 && cells[0] == value("layer"))
            for (ours, theirs) in zip(cells.dropFirst(), expected) { #expect(abs(ours - theirs) <= 1e-4, "\(line)") }
        }
        let svg = try String(contentsOf: plot, encoding: .utf8)
        #expect(svg.contains("<svg") && svg.hasSuffix("</svg>\n") && svg.contains("self-similarity") && svg.contains("anisotropy"))
        // The plot is never replaced without --force.
        let again = try CLI.run(arguments, home: folder)
        #expect(again.status != 0 && again.stderr.contains("--force"), "\(again.stderr)")
        let forced = try CLI.run(arguments + ["--force"], home: folder)
        #expect(forced.status == 0, "\(forced.stderr)")
    }

    @Test func aCorpusWithNoWordInKContextsIsAClearError() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent().deletingLastPathComponent()) }
        let corpus = folder.appendingPathComponent("corpus.txt")
        try "a man is playing\nsomeone plays an instrument\nthe man sat\n".write(to: corpus, atomically: true, encoding: .utf8)
        let text = message { try run(ContextualityCommand.self, ["--model", model, "--corpus", corpus.path, "--min-contexts", "5", "--quiet"]) }
        #expect(text == ContextualityError.noWordInEnoughContexts(minimum: 5, sentences: 3, mostContexts: 2).description, "\(text)")
        let blank = folder.appendingPathComponent("blank.txt")
        try "\n  \n".write(to: blank, atomically: true, encoding: .utf8)
        let empty = message { try run(ContextualityCommand.self, ["--model", model, "--corpus", blank.path, "--quiet"]) }
        #expect(empty.contains("no non-blank line"), "\(empty)")
        let plot = message { try run(ContextualityCommand.self, ["--model", model, "--corpus", corpus.path, "--plot", folder.appendingPathComponent("p.png").path]) }
        #expect(plot.contains("--plot must end in .svg"), "\(plot)")
        let few = message { try run(ContextualityCommand.self, ["--model", model, "--corpus", corpus.path, "--min-contexts", "1"]) }
        #expect(few.contains("--min-contexts"), "\(few)")
    }

    @Test func aLayerPastTheDepthIsAClearErrorInEveryCommand() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent().deletingLastPathComponent()) }
        let data = folder.appendingPathComponent("d.tsv")
        try "a\tthe river bank\nb\ta bank account\n".write(to: data, atomically: true, encoding: .utf8)
        let expected = ContextualError.layerOutOfRange(layer: 3, layerCount: 2).description
        #expect(message { try run(EmbedCommand.self, ["--model", model, "--layer", "3", "x"]) } == expected)
        #expect(message { try run(ProbeCommand.self, ["--model", model, "--layer", "3", "--train", data.path, "--test", data.path, "--quiet"]) } == expected)
        #expect(expected.contains("0...2") && expected.contains("--layer"))
        let word = message { try run(ProbeCommand.self, ["--model", model, "--layer", "last", "--train", data.path, "--test", data.path]) }
        #expect(word.contains("--layer must be a layer number"), "\(word)")
        let vectors = message { try run(ProbeCommand.self, ["--vectors", data.path, "--layer", "all", "--train", data.path, "--test", data.path]) }
        #expect(vectors.contains("--layer applies to a Transformer model folder"), "\(vectors)")
    }

    @Test func aWordNotInTheTextIsAClearError() throws {
        let text = message { try run(SimilarityCommand.self, ["--model", model, "--word", "money", "We sat on the river bank.", "She has money."]) }
        #expect(text.contains("\"money\" is not a word of text 1") && text.contains("\"bank\""), "\(text)")
        // Punctuation next to the word does not hide it; case does not matter.
        let found = message { try run(SimilarityCommand.self, ["--model", model, "--word", "Bank", "the bank, by the river", "(bank) account"]) }
        #expect(found.isEmpty, "\(found)")
    }

    @Test func probePerLayerGivesOneLinePerLayerAndTheLastMatchesThePlainProbe() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent().deletingLastPathComponent()) }
        let (train, test) = (folder.appendingPathComponent("train.tsv"), folder.appendingPathComponent("test.tsv"))
        let river = ["the river bank was steep", "a river runs through town", "water in the river", "the old river", "by the river", "river water"]
        let money = ["she went to the bank for money", "money in a bank", "he has money", "a bank loan", "the money is old", "money money"]
        try (river.map { "river\t" + $0 } + money.map { "money\t" + $0 }).joined(separator: "\n").write(to: train, atomically: true, encoding: .utf8)
        try "river\tthe river\nmoney\tthe money\nriver\ta steep river bank\nmoney\ta bank account\n".write(to: test, atomically: true, encoding: .utf8)
        let layered = try CLI.run(["probe", "--model", model, "--layer", "all", "--train", train.path, "--test", test.path, "--quiet"], home: folder)
        try Contracts.check(layered, "probe-layers")
        let plain = try CLI.run(["probe", "--model", model, "--train", train.path, "--test", test.path, "--quiet"], home: folder)
        func value(_ key: String, _ line: String) -> String? {
            line.split(separator: " ").first { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) }
        }
        let last = layered.lines[2], plainLine = try #require(plain.lines.first)
        for key in ["accuracy", "train_accuracy", "objective"] { #expect(value(key, last) == value(key, plainLine), "\(key): \(last) | \(plainLine)") }
    }
}
