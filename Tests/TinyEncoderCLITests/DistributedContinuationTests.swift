// DistributedContinuationTests: folders continued in PyTorch with DistributedDataParallel (two gloo
// processes of Scripts/peers/continue_pretraining_ddp.py; made by Scripts/peers/make_ddp_fixture.py
// from a tiny model exported with `export --mlm-head`) come back: `embed --model` gives the vectors
// sentence-transformers gives for them (masked-LM continuation: Transformer + mean Pooling;
// distillation: + the 24 → 32 projection as Dense + Normalize), `--pooling none` gives
// transformers' last_hidden_state, and `pretrain --init-from` starts from exactly those weights.
// Not handled: running PyTorch (the fixtures are committed; Docs/ContinuingInPyTorch.md has the run).

import Foundation
import Testing
import TestSupport
@testable import TinyEncoderCLI

@Suite(.serialized) struct DistributedContinuationTests {
    struct Reference: Decodable {
        let sentences: [String]
        let mlm: [[Float]]
        let distill: [[Float]]
        let mlm_hidden: [[[Float]]]
    }

    static let reference: Reference = {
        let data = (try? Data(contentsOf: fixtureURL("Distributed/reference.json"))) ?? Data()
        return (try? JSONDecoder().decode(Reference.self, from: data)) ?? Reference(sentences: [], mlm: [], distill: [], mlm_hidden: [])
    }()

    /// Rows of `embed --format tsv` (one per input line; with --pooling none, index columns first).
    func embed(_ model: String, _ extra: [String] = [], sentences: [String]) throws -> [[Float]] {
        let result = try CLI.run(["embed", "--model", model, "--format", "tsv"] + extra,
                                 input: Data((sentences.joined(separator: "\n") + "\n").utf8))
        #expect(result.status == 0, "\(result.stderr)")
        return result.lines.map { $0.split(separator: "\t").compactMap { Float($0) } }
    }

    /// Every vector within 1e-5 of the reference's scale, and cosine ≥ 0.99999 row by row.
    func expectClose(_ ours: [[Float]], _ theirs: [[Float]], _ what: String) {
        #expect(ours.count == theirs.count && !theirs.isEmpty, "\(what): \(ours.count) rows, reference \(theirs.count)")
        for (row, (a, b)) in zip(ours, theirs).enumerated() {
            guard a.count == b.count else { Issue.record("\(what) row \(row): width \(a.count), reference \(b.count)"); continue }
            let error = maxScaledError(a, b)
            let dot = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
            let cosine = dot / (a.reduce(0) { $0 + $1 * $1 }.squareRoot() * b.reduce(0) { $0 + $1 * $1 }.squareRoot())
            #expect(error <= 1e-5 && cosine >= 0.99999, "\(what) row \(row) (\(Self.reference.sentences[row].prefix(40))): scaled error \(error), cosine \(cosine)")
        }
    }

    @Test(arguments: ["mlm", "distill"]) func embedGivesSentenceTransformersVectors(_ name: String) throws {
        let reference = Self.reference
        let ours = try embed(fixtureURL("Distributed/continued-\(name)").path, sentences: reference.sentences)
        expectClose(ours, name == "mlm" ? reference.mlm : reference.distill, "continued-\(name)")
        if name == "distill" {
            // The 24-wide student's vectors went through the projection to the teacher's 32 and were normalised.
            #expect(ours.allSatisfy { $0.count == 32 && abs($0.reduce(0) { $0 + $1 * $1 } - 1) < 1e-5 })
        }
    }

    @Test func tokenVectorsAreTransformersHiddenStates() throws {
        let reference = Self.reference
        let rows = try embed(fixtureURL("Distributed/continued-mlm").path, ["--pooling", "none"], sentences: Array(reference.sentences.prefix(2)))
        for (line, hidden) in reference.mlm_hidden.enumerated() {
            // "LINE<TAB>TOKEN<TAB>floats": drop the two index columns.
            let ours = rows.filter { Int($0.first ?? -1) == line }.map { Array($0.dropFirst(2)) }
            #expect(ours.count == hidden.count, "line \(line): \(ours.count) tokens, transformers \(hidden.count)")
            #expect(maxScaledError(ours.flatMap { $0 }, hidden.flatMap { $0 }) <= 1e-5)
        }
    }

    /// `pretrain --init-from` the continued folder, one step at the smallest learning rate it takes (1e-9), too small
    /// to move any weight by more than ~1e-9 (AdamW's first step is about lr·sign(g)): the saved model must still give the reference vectors.
    @Test func pretrainInitFromStartsFromTheContinuedWeights() throws {
        let scratch = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("again")
        var arguments = try Arguments(command: PretrainCommand.name,
                                      ["--corpus", fixtureURL("Pretraining/corpus-slice.txt").path, "--init-from", fixtureURL("Distributed/continued-mlm").path,
                                       "--out", out.path, "--steps", "1", "--lr", "1e-9", "--warmup", "0", "--seq", "32", "--batch", "4", "--quiet"],
                                      flagNames: PretrainCommand.flagNames)
        try PretrainCommand.run(&arguments)
        // pretrain's folder has no sentence_bert_config.json (max_seq_length 64), so ask for the same cut.
        expectClose(try embed(out.path, ["--truncate"], sentences: Self.reference.sentences), Self.reference.mlm, "pretrain --init-from continued-mlm")
    }
}
