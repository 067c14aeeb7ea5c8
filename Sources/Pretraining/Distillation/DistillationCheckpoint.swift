// Distillation checkpoints: one folder that is both the student's model folder (config.json,
// model.safetensors in F32 with its masked-LM head, tokenizer.json, the sentence-transformers
// files with the projection as a Dense module: `--model DIR` works on it) and the rest of the run:
//   optimizer.safetensors      AdamW's moments, "NAME.exp_avg" and "NAME.exp_avg_sq"
//   distillation_state.json    step, epoch, batch index, generator, the configuration, the data
//                              and teacher fingerprints, and the held-out evaluations so far
// The folder is filled under a temporary name and swapped in (AtomicFolder), so a kill leaves the
// old checkpoint or the new one; `PretrainingCheckpoint.recover` repairs an interrupted swap.
// Not handled: several checkpoints kept side by side (each save replaces the folder).

import Encoder
import Foundation
import NeuralNetwork
import TensorCore

/// distillation_state.json.
public struct DistillationManifest: Codable, Equatable, Sendable, CheckpointManifestFile {
    public static let format = "tinyencoder-distillation-checkpoint"
    public var format: String = DistillationManifest.format
    public var version = 1
    public var state: TrainerState
    public var optimizerStep: Int
    public var configuration: DistillationConfiguration
    /// `DistillationData.fingerprint`: the same split and ids.
    public var data: String
    /// The teacher vectors' identity (teacher and corpus hashes).
    public var teacherHash: String
    public var corpusHash: String
    public var evaluations: [DistillationEvaluation]
}

/// What a checkpoint stores besides the student (the files a model folder needs).
public struct StudentFiles: Sendable {
    /// tokenizer.json's bytes.
    public var tokenizerJSON: Data?
    /// sentence_bert_config.json's settings (the length texts are cut at, lowercasing).
    public var textSettings: SentenceTransformersFiles.TextSettings
    /// Whether the sentence vectors are L2-normalised (the teacher's choice).
    public var normalize: Bool

    public init(tokenizerJSON: Data?, textSettings: SentenceTransformersFiles.TextSettings, normalize: Bool) {
        self.tokenizerJSON = tokenizerJSON
        self.textSettings = textSettings
        self.normalize = normalize
    }
}

public enum DistillationCheckpoint: Sendable {
    public static let stateFileName = "distillation_state.json"
    public static let optimizerFileName = "optimizer.safetensors"

    /// Whether `url` holds a complete distillation checkpoint (the state file is written last).
    public static func exists(at url: URL) -> Bool {
        FileManager.default.fileExists(atPath: url.appendingPathComponent(stateFileName).path)
    }

    /// Writes the student alone as a model folder (no optimiser or run state): what a run's
    /// checkpoints also are, minus the training state.
    public static func saveModel(_ student: SentenceStudent, files: StudentFiles, to folder: URL, dtype: SafetensorsDType = .float32,
                                 metadata: [String: String] = [:], includeHead: Bool = true) throws {
        try ModelFolder.save(student.model, pooling: Pooling(.mean, normalize: files.normalize), tokenizerJSON: files.tokenizerJSON,
                             to: folder, dtype: dtype, metadata: metadata, dense: student.denseModules, includeHead: includeHead)
        try SentenceTransformersFiles.writeTextSettings(files.textSettings, folder: folder)
    }

    /// The manifest of the checkpoint at `url`.
    public static func manifest(at url: URL) throws -> DistillationManifest {
        try readCheckpointManifest(DistillationManifest.self, at: url, stateFileName: stateFileName,
                                   format: DistillationManifest.format, command: "distill")
    }

    /// A trainer that continues the run checkpointed at `url`, exactly where it stopped.
    ///
    /// - Parameters:
    ///   - configuration: nil for the saved one; otherwise it may differ in `steps`, `evaluateEvery`
    ///     and `checkpointEvery` only.
    /// - Throws: `PretrainingError.checkpointMismatch` naming what differs (data, teacher,
    ///   configuration); `FileError` for missing or damaged files.
    public static func resume(from url: URL, data: DistillationData, teacher: TeacherVectors, masker: DynamicMasker?,
                              configuration: DistillationConfiguration? = nil) throws -> DistillationTrainer {
        try PretrainingCheckpoint.recover(url)
        let manifest = try manifest(at: url)
        var chosen = manifest.configuration
        if var requested = configuration {
            let (steps, evaluate, save) = (requested.steps, requested.evaluateEvery, requested.checkpointEvery)
            requested.steps = chosen.steps
            requested.evaluateEvery = chosen.evaluateEvery
            requested.checkpointEvery = chosen.checkpointEvery
            guard requested == chosen else {
                throw PretrainingError.checkpointMismatch(path: url.path, field: "configuration", problem: "differs from the one the run was started with (only --steps and the cadences may change)")
            }
            chosen.steps = steps
            chosen.evaluateEvery = evaluate
            chosen.checkpointEvery = save
        }
        guard manifest.data == data.fingerprint else {
            throw PretrainingError.checkpointMismatch(path: url.path, field: "corpus", problem: "the corpus or tokenizer now gives other training lines (fingerprint \(data.fingerprint), checkpoint \(manifest.data))")
        }
        guard manifest.teacherHash == teacher.identity.teacherHash, manifest.corpusHash == teacher.identity.corpusHash else {
            throw PretrainingError.checkpointMismatch(path: url.path, field: "teacher", problem: "the teacher vectors come from another teacher or corpus")
        }
        let folder = try ModelFolder.load(url)
        let projection = SentenceStudent.projection(from: folder.dense, width: folder.config.width)
        let student = SentenceStudent(model: folder.model, projection: projection)
        let trainer = try DistillationTrainer(student: student, data: data, teacher: teacher, configuration: chosen, masker: masker,
                                              state: manifest.state)
        let optimizerURL = url.appendingPathComponent(optimizerFileName)
        let moments = try Safetensors.read(optimizerURL)
        try trainer.optimizer.restore(step: manifest.optimizerStep, tensors: moments.tensors, file: optimizerURL.path)
        trainer.evaluations = manifest.evaluations
        return trainer
    }
}

extension DistillationTrainer {
    /// Writes a complete checkpoint of this run to `url`, atomically.
    public func saveCheckpoint(to url: URL, files: StudentFiles) throws {
        let manifest = DistillationManifest(state: state, optimizerStep: optimizer.step, configuration: configuration, data: data.fingerprint,
                                            teacherHash: teacher.identity.teacherHash, corpusHash: teacher.identity.corpusHash,
                                            evaluations: evaluations)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let stateData = try encoder.encode(manifest)
        try AtomicFolder.write(to: url) { folder in
            try DistillationCheckpoint.saveModel(student, files: files, to: folder, metadata: ["distillation_step": "\(state.step)"])
            try Safetensors.write(optimizer.stateTensors(), metadata: ["step": "\(optimizer.step)"],
                                  to: folder.appendingPathComponent(DistillationCheckpoint.optimizerFileName))
            try AtomicFile.write(stateData, to: folder.appendingPathComponent(DistillationCheckpoint.stateFileName))
        }
    }
}
