// `distill` and `distill-static` refuse bad input with a clear error before any long work: a teacher
// folder that does not load, a corpus with no usable line, a cache of another teacher or corpus
// passed by name, a --dim wider than the teacher; and a small run writes a model folder that
// `embed` loads.
import Encoder
import Foundation
import Pretraining
import TensorCore
import Testing
import TestSupport
@testable import TinyEncoderCLI

@Suite(.serialized) struct DistillCommandTests {
    let teacher = fixtureURL("HuggingFace/tiny-bert").path

    func folder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("distill-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func run(_ command: Command.Type, _ words: [String]) throws {
        var arguments = try Arguments(command: command.name, words, flagNames: command.flagNames)
        try command.run(&arguments)
    }

    /// The message of the error `body` throws.
    func message(_ body: () throws -> Void) -> String {
        do { try body(); return "" } catch { return "\(error)" }
    }

    @Test func teacherThatDoesNotLoadIsNamed() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = dir.appendingPathComponent("c.txt")
        try "a line\n".write(to: corpus, atomically: true, encoding: .utf8)
        let text = message { try run(DistillCommand.self, ["--teacher", dir.path, "--corpus", corpus.path, "--out", dir.appendingPathComponent("o").path]) }
        #expect(text.contains("--teacher") && text.contains("does not load"), "\(text)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("o").path))
    }

    @Test func corpusWithoutUsableLinesIsRefusedFirst() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let corpus = dir.appendingPathComponent("blank.txt")
        try "\n   \n\t\n".write(to: corpus, atomically: true, encoding: .utf8)
        let text = message { try run(DistillCommand.self, ["--teacher", teacher, "--corpus", corpus.path, "--out", dir.appendingPathComponent("o").path]) }
        #expect(text.contains("0 usable lines"), "\(text)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("o.teacher-vectors.safetensors").path))
    }

    /// A named cache made from another corpus is an error; the default cache beside --out is ours
    /// to recompute. Then a second run reuses it.
    @Test func cacheOfAnotherCorpusIsAnErrorWhenNamed() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let lines = try DistillationData.usableLines(of: fixtureURL("Pretraining/corpus-slice.txt"))
        let first = dir.appendingPathComponent("a.txt"), second = dir.appendingPathComponent("b.txt")
        try lines.prefix(120).joined(separator: "\n").write(to: first, atomically: true, encoding: .utf8)
        try lines.dropFirst(120).prefix(120).joined(separator: "\n").write(to: second, atomically: true, encoding: .utf8)
        let cache = dir.appendingPathComponent("cache.safetensors").path
        let common = ["--teacher", teacher, "--preset", "tiny", "--steps", "2", "--batch", "8", "--eval-lines", "10",
                      "--max-length", "32", "--teacher-cache", cache, "--quiet"]
        try run(DistillCommand.self, common + ["--corpus", first.path, "--out", dir.appendingPathComponent("s1").path])
        #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("s1/2_Dense/model.safetensors").path))
        let text = message { try run(DistillCommand.self, common + ["--corpus", second.path, "--out", dir.appendingPathComponent("s2").path]) }
        #expect(text.contains("corpus_hash") && text.contains(cache), "\(text)")
        #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("s2").path))
    }

    /// --export writes the final student alone (no optimiser or run state), in float16 with
    /// --float16, and it embeds as the checkpoint folder does (to float16 rounding).
    @Test func exportWritesTheStudentAloneInFloat16() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let lines = try DistillationData.usableLines(of: fixtureURL("Pretraining/corpus-slice.txt"))
        let corpus = dir.appendingPathComponent("c.txt")
        try lines.prefix(120).joined(separator: "\n").write(to: corpus, atomically: true, encoding: .utf8)
        let out = dir.appendingPathComponent("s"), export = dir.appendingPathComponent("e")
        try run(DistillCommand.self, ["--teacher", teacher, "--preset", "tiny", "--steps", "2", "--batch", "8", "--eval-lines", "10",
                                      "--max-length", "32", "--corpus", corpus.path, "--out", out.path, "--quiet",
                                      "--export", export.path, "--float16"])
        let files = Set(try FileManager.default.contentsOfDirectory(atPath: export.path))
        #expect(files.contains("model.safetensors") && files.contains("tokenizer.json") && files.contains("modules.json"))
        #expect(!files.contains("optimizer.safetensors") && !files.contains("distillation_state.json"), "\(files)")
        let stored = try Safetensors.read(export.appendingPathComponent("model.safetensors"))
        #expect(!stored.storedTypes.isEmpty && stored.storedTypes.values.allSatisfy { $0 == .float16 })
        // No masked-LM term: the head was never trained, so the export is a BertModel folder without it.
        #expect(!stored.storedTypes.keys.contains { $0.hasPrefix("cls.") }, "\(stored.storedTypes.keys.sorted())")
        #expect(try ModelFolder.load(export).hasTrainedHead == false)
        let config = try String(contentsOf: export.appendingPathComponent("config.json"), encoding: .utf8)
        #expect(config.contains("\"BertModel\"") && !config.contains("BertForMaskedLM"), "\(config)")
        let a = try SentenceEmbedder(folder: out).embed(["a small test"])[0], b = try SentenceEmbedder(folder: export).embed(["a small test"])[0]
        #expect(zip(a, b).map { abs($0 - $1) }.max()! < 2e-2 * (a.map { abs($0) }.max()! + 1e-6))
        let refused = message { try run(DistillCommand.self, ["--teacher", teacher, "--corpus", corpus.path, "--out", dir.appendingPathComponent("other").path, "--float16"]) }
        #expect(refused.contains("--float16 applies to --export"), "\(refused)")
    }

    @Test func staticFoldersLoadInSimilarityAndAreNamedByEmbed() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let model = dir.appendingPathComponent("static").path
        try run(DistillStaticCommand.self, ["--teacher", teacher, "--out", model, "--dim", "8", "--quiet"])
        // Before static folders were recognised, this threw "config.json does not exist".
        try run(SimilarityCommand.self, ["--model", model, "a small test", "another small test"])
        let word = message { try run(SimilarityCommand.self, ["--model", model, "--word", "small", "a small test", "small"]) }
        #expect(word.contains("static model") && word.contains("--word"), "\(word)")
        let embed = message { try run(EmbedCommand.self, ["--model", model, "a small test"]) }
        #expect(embed.contains("static model") && embed.contains("similarity, probe or agreement"), "\(embed)")
    }

    @Test func staticDimensionWiderThanTheTeacherIsRefused() throws {
        let dir = try folder()
        defer { try? FileManager.default.removeItem(at: dir) }
        let text = message { try run(DistillStaticCommand.self, ["--teacher", teacher, "--out", dir.appendingPathComponent("s").path, "--dim", "64"]) }
        #expect(text.contains("--dim 64") && text.contains("32"), "\(text)")
    }
}
