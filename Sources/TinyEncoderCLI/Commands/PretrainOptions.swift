// PretrainOptions: the options of `tinyencoder pretrain` that set the training recipe, and the
// model a run starts from (a preset, a config.json, or --init-from). PretrainCommand reads the rest.
// Not handled: the corpus, outputs and checkpoints (PretrainCommand.run).

import Encoder
import Foundation
import NeuralNetwork
import Pretraining
import TensorCore
import Tokenization
import WordVectors

/// The options of `pretrain` that set the training recipe, and the model it starts from.
enum PretrainOptions {
    /// Sets each field whose option was given. A new run also gets the defaults that depend on
    /// other options (warm-up: 5% of the steps).
    static func apply(_ arguments: inout Arguments, to configuration: inout PretrainingConfiguration, newRun: Bool) throws {
        func int(_ name: String, _ range: ClosedRange<Int>, _ set: (Int) -> Void) throws {
            if arguments.string(name) != nil { set(try arguments.int(name, default: 0, in: range)) }
        }
        func double(_ name: String, _ range: ClosedRange<Double>, _ set: (Double) -> Void) throws {
            if arguments.string(name) != nil { set(try arguments.double(name, default: 0, in: range)) }
        }
        try int("seq", 3...65536) { configuration.corpus.sequenceLength = $0 }
        if let mode = try arguments.choice("packing", PackingMode.self) { configuration.corpus.packing = mode }
        try double("eval-fraction", 0...0.5) { configuration.corpus.evaluationFraction = $0 }
        try int("eval-max", 0...10_000_000) { configuration.corpus.maximumEvaluationSequences = $0 }
        try double("mask-prob", 0.001...1) { configuration.masking.probability = $0 }
        if arguments.flag("whole-word") { configuration.masking.wholeWord = true }
        try double("beta2", 0...0.999999) { configuration.optimizer.beta2 = Float($0) }
        try StepTrainingOptions.apply(&arguments, to: &configuration, newRun: newRun)
        try int("freeze-embeddings-steps", 0...100_000_000) { configuration.freezeEmbeddingSteps = $0 }
        if arguments.flag("static-layer") { configuration.staticLayer = true }
        if arguments.string("contrastive-weight") != nil || arguments.string("temperature") != nil {
            var contrastive = configuration.contrastive ?? ContrastiveObjective()
            try double("contrastive-weight", 1e-6...1e6) { contrastive.weight = Float($0) }
            try double("temperature", 1e-4...100) { contrastive.temperature = Float($0) }
            configuration.contrastive = contrastive
        }
        if let vectors = arguments.string("distill-vectors") {
            var distillation = DistillationObjective(vectorsPath: vectors)
            try double("distill-weight", 1e-6...1e6) { distillation.weight = Float($0) }
            try int("distill-center-lines", 0...100_000_000) { distillation.centerLines = $0 }
            configuration.distillation = distillation
        } else if arguments.string("distill-weight") != nil || arguments.string("distill-center-lines") != nil {
            throw CLIError("pretrain: --distill-weight and --distill-center-lines need --distill-vectors FILE")
        }
        do {
            try configuration.validate()
        } catch let error as PretrainingError {
            throw CLIError("pretrain: \(error)")
        }
    }

    /// The model of a new run: --init-from's weights, or a random model of --config / --preset,
    /// sized to the tokenizer's vocabulary.
    static func makeModel(configPath: String?, preset: String, initFrom: URL?, initSeed: Int, dropout: Float?,
                          tokenizer: BPECorpusTokenizer, sequenceLength: Int, initializer: (any EmbeddingInitializer)? = nil,
                          progress: ProgressLine) throws -> MaskedLanguageModel {
        let vocabularySize = tokenizer.vocabularySize
        if let initFrom {
            guard configPath == nil else { throw CLIError("pretrain: give --config or --init-from, not both (the folder has its config.json)") }
            let folder = try ModelFolder.load(initFrom)
            guard folder.config.vocabularySize >= vocabularySize else {
                throw CLIError("pretrain: --init-from \(initFrom.path) has vocab_size \(folder.config.vocabularySize) but the tokenizer has \(vocabularySize) ids; use the folder's own tokenizer")
            }
            guard folder.config.maxPositions >= sequenceLength else {
                throw CLIError("pretrain: --seq \(sequenceLength) is more than the --init-from model's \(folder.config.maxPositions) positions")
            }
            if !folder.hasTrainedHead { progress.message("\(initFrom.path) has no masked-LM head: the head starts from random weights") }
            if let dropout {
                var config = folder.config
                config.hiddenDropout = dropout
                config.attentionDropout = dropout
                let model = MaskedLanguageModel(config: config, seed: UInt64(initSeed))
                for (target, source) in zip(model.parameters(), folder.model.parameters()) { target.parameter.value = source.parameter.value }
                return model
            }
            return folder.model
        }
        var config: EncoderConfig
        if let configPath {
            config = try EncoderConfig.load(from: URL(fileURLWithPath: configPath))
            if config.vocabularySize != vocabularySize {
                progress.message("--config: vocab_size \(config.vocabularySize) becomes the tokenizer's \(vocabularySize)")
            }
            config.vocabularySize = vocabularySize
        } else {
            config = preset == "tiny" ? .tiny(vocabularySize: vocabularySize) : .small(vocabularySize: vocabularySize)
        }
        config.padTokenId = tokenizer.specialTokens.padding
        if let dropout {
            config.hiddenDropout = dropout
            config.attentionDropout = dropout
        }
        guard config.maxPositions >= sequenceLength else {
            throw CLIError("pretrain: --seq \(sequenceLength) is more than max_position_embeddings \(config.maxPositions) of the config")
        }
        try config.validate(file: configPath ?? "--preset \(preset)")
        // Weights, gradients and AdamW's two moments: four Float32 copies of every value.
        try MemoryBudget.check(Double(config.allocatedValueCount) * 16,
                               for: "the weights, gradients and AdamW moments of the model of \(configPath ?? "--preset \(preset)") (\(config.allocatedValueCount) values × 4 copies)",
                               fix: "Use a smaller --config or --preset tiny")
        let initialization: ModelInitialization = initializer.map { .embeddings($0, seed: UInt64(initSeed)) } ?? .random(seed: UInt64(initSeed))
        return try makeMaskedLanguageModel(config: config, vocabulary: tokenizer.vocabulary, initialization: initialization)
    }
}

/// About `count` lines spread evenly over `file`: for each of `count` evenly spaced byte offsets,
/// the first whole line after it (at most 4 KB of it). The file is never read whole. Its bytes
/// were already read under the UTF-8 policy by the pretraining corpus (which refuses bad ones
/// unless --invalid-utf8 replace), so decoding here only replaces a character the 4 KB cut split.
/// - Throws: `CLIError` naming the file when it cannot be read.
func spreadLines(of file: URL, count: Int) throws -> [String] {
    guard let handle = try? FileHandle(forReadingFrom: file), let size = try? handle.seekToEnd() else {
        throw CLIError("pretrain: cannot read \(file.path) (for --distill-center-lines); check the --corpus path")
    }
    defer { try? handle.close() }
    var lines: [String] = []
    var previousEnd: UInt64 = 0
    for index in 0..<max(count, 0) {
        let offset = max(previousEnd, size * UInt64(index) / UInt64(count))
        guard offset < size else { break }
        // Unless the offset is known to start a line, read from the byte before it: the line
        // begins after the first newline found (at once, if that byte is a newline).
        let atLineStart = offset == 0 || offset == previousEnd
        let start = atLineStart ? offset : offset - 1
        try handle.seek(toOffset: start)
        guard var chunk = try handle.read(upToCount: 4096), !chunk.isEmpty else { break }
        if !atLineStart {
            guard let newline = chunk.firstIndex(of: 0x0A) else { continue }
            chunk = chunk[(newline + 1)...]
        }
        let line = chunk.prefix { $0 != 0x0A }
        previousEnd = start + UInt64(chunk.startIndex) + UInt64(line.count) + 1
        let content = line.last == 0x0D ? line.dropLast() : line  // TextLines: a "\r" before "\n" is dropped
        if !content.isEmpty { lines.append(String(decoding: content, as: UTF8.self)) }
    }
    return lines
}
