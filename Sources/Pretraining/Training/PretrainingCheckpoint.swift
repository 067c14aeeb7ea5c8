// Checkpoints: one folder that is both a model folder (config.json, model.safetensors in F32,
// tokenizer.json, sentence-transformers pooling files: `--model DIR` works on it) and the rest of
// the training state, as HF Trainer's checkpoint-N folders are:
//   optimizer.safetensors   AdamW's moments, "NAME.exp_avg" and "NAME.exp_avg_sq" per parameter
//   trainer_state.json      TrainerState (step, epoch, batch index, generator), the configuration,
//                           the corpus fingerprint, and the evaluations so far
//   static_layer.safetensors  S, R and P of the static layer, for runs that train through one
// The folder is filled under a temporary name and renamed into place (Encoder's AtomicFolder), so
// a kill at any moment leaves the previous checkpoint or the new one; `recover` finishes or undoes
// a swap that was interrupted between its two renames, and removes leftover temporary folders.
// Not handled: keeping several checkpoints (each save replaces the folder); concurrent writers.

import Encoder
import Foundation
import StaticVectorInitialization
import TensorCore

/// trainer_state.json.
public struct CheckpointManifest: Codable, Equatable, Sendable, CheckpointManifestFile {
    public var format = PretrainingCheckpoint.format
    public var version = 1
    public var state: TrainerState
    /// AdamW's step count (equals state.step).
    public var optimizerStep: Int
    public var configuration: PretrainingConfiguration
    public var corpus: CorpusFingerprint
    /// Every evaluation so far, in order: the held-out curve.
    public var evaluations: [EvaluationReport]
}

/// What a resumed run checks to be sure it trains on the same sequences.
public struct CorpusFingerprint: Codable, Equatable, Sendable {
    public var trainSequences: Int
    public var trainTokens: Int
    /// `PackedSequences.fingerprint`, as 16 hex digits.
    public var trainHash: String
    public var evaluationSequences: Int
    public var evaluationHash: String

    public init(_ corpus: PretrainingCorpus) {
        trainSequences = corpus.train.count
        trainTokens = corpus.train.tokenCount
        trainHash = String(corpus.train.fingerprint, radix: 16)
        evaluationSequences = corpus.evaluation.count
        evaluationHash = String(corpus.evaluation.fingerprint, radix: 16)
    }
}

/// Writing, reading and repairing checkpoint folders.
public enum PretrainingCheckpoint: Sendable {
    public static let format = "tinyencoder-pretraining-checkpoint"
    public static let stateFileName = "trainer_state.json"
    public static let optimizerFileName = "optimizer.safetensors"

    /// Whether `url` holds a complete checkpoint (trainer_state.json is written last).
    public static func exists(at url: URL) -> Bool {
        FileManager.default.fileExists(atPath: url.appendingPathComponent(stateFileName).path)
    }

    /// Reads trainer_state.json.
    public static func manifest(at url: URL) throws -> CheckpointManifest {
        try readCheckpointManifest(CheckpointManifest.self, at: url, stateFileName: stateFileName, format: format, command: "pretrain")
    }

    // MARK: - Recovery

    /// Repairs what a kill during `AtomicFolder.write(to: url)` can leave behind:
    /// - between its two renames, `url` is missing and the previous checkpoint sits in
    ///   ".NAME.old-…": it is renamed back;
    /// - temporary ".NAME.tmp-…" folders (and the ones ModelFolder.save nests inside them) and a
    ///   superseded ".NAME.old-…" are deleted once `url` is complete.
    /// - Returns: whether `url` now holds a complete checkpoint.
    @discardableResult
    public static func recover(_ url: URL) throws -> Bool {
        let manager = FileManager.default
        let parent = url.deletingLastPathComponent()
        let name = url.lastPathComponent
        let leftovers = ((try? manager.contentsOfDirectory(atPath: parent.path)) ?? []).filter {
            $0.hasPrefix(".\(name).tmp-") || $0.hasPrefix(".\(name).old-") || $0.hasPrefix("..\(name).tmp-")
        }
        if !exists(at: url) {
            // The newest complete checkpoint set aside, if any, becomes the checkpoint again.
            let candidates = leftovers.filter { $0.hasPrefix(".\(name).old-") }.map { parent.appendingPathComponent($0) }
                .filter { exists(at: $0) }
                .compactMap { candidate in (try? manifest(at: candidate)).map { (candidate, $0.state.step) } }
            if let best = candidates.max(by: { $0.1 < $1.1 }) {
                if manager.fileExists(atPath: url.path) { try? manager.removeItem(at: url) }
                guard rename(best.0.path, url.path) == 0 else {
                    throw FileError(.writeFailed, file: url.path, field: "(folder)", problem: "cannot restore the previous checkpoint from \(best.0.lastPathComponent)",
                                    fix: "Rename \(best.0.path) to \(url.path) by hand")
                }
            }
        }
        guard exists(at: url) else { return false }
        for leftover in leftovers where manager.fileExists(atPath: parent.appendingPathComponent(leftover).path) {
            try? manager.removeItem(at: parent.appendingPathComponent(leftover))
        }
        return true
    }
}

// MARK: - Saving and resuming

extension PretrainingTrainer {
    /// Writes a complete checkpoint of this run to `url`, atomically.
    ///
    /// - Parameters:
    ///   - tokenizerJSON: the bytes of the tokenizer.json to store with the model.
    public func saveCheckpoint(to url: URL, tokenizerJSON: Data?) throws {
        let manifest = CheckpointManifest(state: state, optimizerStep: optimizer.step, configuration: configuration,
                                          corpus: CorpusFingerprint(corpus), evaluations: evaluations)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let stateData = try encoder.encode(manifest)
        try AtomicFolder.write(to: url) { folder in
            try ModelFolder.save(model, pooling: Pooling(.mean), tokenizerJSON: tokenizerJSON, to: folder, dtype: .float32,
                                 metadata: ["pretraining_step": "\(state.step)"])
            let moments = optimizer.stateTensors() + (embeddingOptimizer?.stateTensors() ?? [])
            var metadata = ["step": "\(optimizer.step)"]
            if let embeddingOptimizer { metadata["embedding_step"] = "\(embeddingOptimizer.step)" }
            try Safetensors.write(moments, metadata: metadata, to: folder.appendingPathComponent(PretrainingCheckpoint.optimizerFileName))
            try staticLayer?.save(in: folder)
            try AtomicFile.write(stateData, to: folder.appendingPathComponent(PretrainingCheckpoint.stateFileName))
        }
    }

    /// A trainer that continues the run checkpointed at `url`, exactly where it stopped.
    ///
    /// - Parameters:
    ///   - corpus, masker: rebuilt from the same files and tokenizer (checked by fingerprint).
    ///   - configuration: nil to use the saved one; otherwise it must equal the saved one except
    ///     for `steps`, `evaluateEvery` and `checkpointEvery` (a longer or shorter run, other cadence).
    /// - Throws: `PretrainingError.checkpointMismatch` naming the field that differs; `FileError`
    ///   for missing or damaged files.
    public static func resume(from url: URL, corpus: PretrainingCorpus, masker: DynamicMasker,
                              configuration: PretrainingConfiguration? = nil) throws -> PretrainingTrainer {
        try PretrainingCheckpoint.recover(url)
        let manifest = try PretrainingCheckpoint.manifest(at: url)
        var chosen = manifest.configuration
        if let configuration {
            var comparable = configuration
            comparable.steps = chosen.steps
            comparable.evaluateEvery = chosen.evaluateEvery
            comparable.checkpointEvery = chosen.checkpointEvery
            if let field = try firstDifference(comparable, chosen) {
                throw PretrainingError.checkpointMismatch(path: url.path, field: field, problem: "differs from the value the run was started with")
            }
            chosen = configuration
        }
        let fingerprint = CorpusFingerprint(corpus)
        if fingerprint != manifest.corpus {
            throw PretrainingError.checkpointMismatch(path: url.path, field: "corpus",
                problem: "the corpus now gives \(fingerprint.trainSequences) training sequences (\(fingerprint.trainTokens) tokens, hash \(fingerprint.trainHash)); the checkpoint was made on \(manifest.corpus.trainSequences) (\(manifest.corpus.trainTokens) tokens, hash \(manifest.corpus.trainHash))")
        }
        let folder = try ModelFolder.load(url)
        guard folder.hasTrainedHead else {
            throw PretrainingError.checkpointMismatch(path: url.path, field: "model.safetensors", problem: "holds no masked-LM head (cls.*)")
        }
        let table = folder.model.encoder.embeddings.token.weight.shape
        let staticLayer = (chosen.staticLayer ?? false) ? try StaticEmbeddingLayer.load(from: url, vocabularySize: table[0], width: table[1]) : nil
        let trainer = try PretrainingTrainer(model: folder.model, corpus: corpus, masker: masker, configuration: chosen, state: manifest.state,
                                             staticLayer: staticLayer)
        let optimizerURL = url.appendingPathComponent(PretrainingCheckpoint.optimizerFileName)
        let moments = try Safetensors.read(optimizerURL)
        try trainer.optimizer.restore(step: manifest.optimizerStep, tensors: moments.tensors, file: optimizerURL.path)
        try trainer.embeddingOptimizer?.restore(step: trainer.embeddingUpdates(after: manifest.state.step), tensors: moments.tensors, file: optimizerURL.path)
        trainer.evaluations = manifest.evaluations
        return trainer
    }

    /// The dotted path of the first field where two configurations differ, by their JSON forms.
    static func firstDifference(_ a: PretrainingConfiguration, _ b: PretrainingConfiguration) throws -> String? {
        func flatten(_ value: Any, _ path: String, into result: inout [String: String]) {
            if let dictionary = value as? [String: Any] {
                for (key, inner) in dictionary { flatten(inner, path.isEmpty ? key : path + "." + key, into: &result) }
            } else {
                result[path] = "\(value)"
            }
        }
        var left: [String: String] = [:], right: [String: String] = [:]
        flatten(try JSONSerialization.jsonObject(with: JSONEncoder().encode(a)), "", into: &left)
        flatten(try JSONSerialization.jsonObject(with: JSONEncoder().encode(b)), "", into: &right)
        return Set(left.keys).union(right.keys).sorted().first { left[$0] != right[$0] }
    }
}
