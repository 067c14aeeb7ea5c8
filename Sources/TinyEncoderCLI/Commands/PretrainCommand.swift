// `tinyencoder pretrain`: masked-LM pretraining of an encoder on a text corpus, from random
// weights (or a model folder), with held-out evaluation, a progress line, a JSON-lines log and
// checkpoints that `--resume` continues bit for bit. The --out folder is the checkpoint and also
// a model folder (config.json, model.safetensors, tokenizer.json), usable as `--model DIR`.
// --init-vectors starts the token embedding from static word vectors (StaticVectorInitialization,
// counted over the --corpus files), optionally frozen for the first steps or trained through the
// static layer; the coverage report goes to standard error (`tinyencoder init-report` prints it alone).
// Not handled: several machines.

import Encoder
import Foundation
import NeuralNetwork
import Pretraining
import StaticVectorInitialization
import TensorCore
import Tokenization
import WordVectors

enum PretrainCommand: Command {
    static let name = "pretrain"
    static let summary = "masked-LM pretraining of an encoder on a corpus (checkpoints, --resume)"
    static var help: HelpPage {
        let c = PretrainingConfiguration()   // the defaults below come from the configuration itself
        return HelpPage(
            usage: ["pretrain --corpus FILE [--corpus FILE ...] --out DIR [--tokenizer FILE] [--config FILE]",
                    "         [--steps N] [--resume] [--log FILE] [OPTIONS]"],
            description: "Masked-LM pretraining of an encoder, from random weights or a model folder, with held-out "
                + "evaluation, a progress line, a JSON-lines log and checkpoints that --resume continues bit for bit. "
                + "--out is the checkpoint and also a model folder (usable as --model DIR).",
            sections: [
                HelpSection(nil, [
                    HelpOption("--corpus FILE", "UTF-8 text, one sentence or paragraph per line; repeatable"),
                    HelpOption("--out DIR", "the checkpoint, rewritten atomically; also a model folder. A new run needs a new or empty folder (an earlier TinyEncoder output: --force); one run at a time holds it (lock file .DIR.lock beside it)"),
                    HelpOption("--resume", "continue the checkpoint in --out exactly (same --corpus and --threads); only --steps, --eval-every and --checkpoint-every may change"),
                    HelpOption("--log FILE", "JSON lines: one per step, evaluation and checkpoint (outside --out)"),
                    HelpOption("--quiet", "no progress line"),
                    forceHelpOption,
                ]),
                HelpSection("Model (new runs)", [
                    HelpOption("--tokenizer FILE", "HF tokenizer.json with [CLS] [SEP] [MASK] [PAD]",
                               default: "the --init-from folder's, else a byte-level BPE of --vocab-size ids trained on the corpus"),
                    HelpOption("--vocab-size N", "ids of the tokenizer trained when none is given", default: "8000"),
                    HelpOption("--config FILE", "config.json of the encoder (HF BERT keys); vocab_size becomes the tokenizer's", default: "--preset"),
                    HelpOption("--preset P", "\(ModelPreset.choiceList) when no --config: tiny 2×128, small 4×256", default: "small"),
                    HelpOption("--init-from DIR", "start from a model folder's weights instead of random ones"),
                    HelpOption("--init-seed N", "seed of the random initialisation", default: "0"),
                    HelpOption("--init-vectors FILE", "token embedding from static vectors (word2vec, GloVe, fastText .vec/.bin): whole words take their vector, sub-words fastText's n-grams (.bin) or the mean of the corpus words they occur in; the rest stays random (Docs/StaticInitialization.md)"),
                    HelpOption("--init-format F", VectorFileFormat.choiceList, default: "told from the file's first bytes"),
                    HelpOption("--init-static DIR", "token embedding from a static model folder (distill-static) of the same width; its tokenizer.json is the default --tokenizer"),
                    HelpOption("--init-projection M", "\(DimensionMapping.choiceList): static dimension → width", default: "auto: PCA down, pad up"),
                    HelpOption("--init-count-bytes N", "count the corpus for the bridge over its first N bytes only", default: "all"),
                    HelpOption("--freeze-embeddings-steps N", "keep the token embedding (and tied decoder) frozen for N steps, then train it", default: "0"),
                    HelpOption("--static-layer", "train E = R + S·Pᵀ: the static vectors S stay frozen, the projection P and a per-token residual R train (needs --init-vectors)"),
                    HelpOption("--dropout P", "hidden and attention dropout", default: "the config's; BERT 0.1"),
                ]),
                HelpSection("Sentence objectives", [
                    HelpOption("--contrastive-weight W", "add W × a SimCSE-style term: each sequence's mean-pooled clean copy must pick out its masked copy among the batch", default: "off"),
                    HelpOption("--temperature T", "the contrastive term's temperature", default: "0.05"),
                    HelpOption("--distill-vectors FILE", "add a term pulling each sequence's mean-pooled clean copy towards the average of these word vectors over its words (word2vec, GloVe or fastText files; their dimension must be the model's width)", default: "off"),
                    HelpOption("--distill-weight W", "the distillation term's weight", default: "1"),
                    HelpOption("--distill-center-lines N", "centre the targets on their mean over N lines spread over the first corpus file (0: not centred)", default: "20000"),
                ]),
                HelpSection("Data", [
                    HelpOption("--seq N", "sequence length with [CLS]/[SEP]", default: "\(c.corpus.sequenceLength)"),
                    HelpOption("--packing MODE", "\(PackingMode.choiceList): whole lines packed, one line per sequence, or a token stream", default: c.corpus.packing.rawValue),
                    HelpOption("--mask-prob P", "share of tokens predicted (80% [MASK], 10% random, 10% kept)", default: "\(c.masking.probability)"),
                    HelpOption("--whole-word", "mask whole words (a word starts at a Ġ token or a line start)"),
                    HelpOption("--eval-fraction F", "share of lines held out", default: "\(c.corpus.evaluationFraction)"),
                    HelpOption("--eval-max N", "held-out sequences kept", default: "\(c.corpus.maximumEvaluationSequences)"),
                    HelpOption("--group N", "batches per length-sorted group (1: no length bucketing)", default: "\(c.lengthGroupSize)"),
                ]),
                HelpSection("Optimisation", [
                    HelpOption("--steps N", "optimiser steps", default: "\(c.steps)"),
                    HelpOption("--batch N", "sequences per micro-batch", default: "\(c.batchSize)"),
                    HelpOption("--accumulate K", "micro-batches per step", default: "\(c.accumulationSteps)"),
                    HelpOption("--lr R", "peak learning rate", default: "\(c.peakLearningRate)"),
                    HelpOption("--warmup N", "warm-up steps", default: "5% of the steps"),
                    HelpOption("--schedule S", DecayShape.choiceList, default: c.decay.rawValue),
                    HelpOption("--min-lr R", "final learning rate", default: "\(c.minimumLearningRate)"),
                    HelpOption("--weight-decay W", "AdamW's decoupled weight decay", default: "\(c.optimizer.weightDecay)"),
                    HelpOption("--beta2 B", "AdamW's β₂", default: "\(c.optimizer.beta2)"),
                    HelpOption("--clip N", "gradient-norm clipping (0: off)", default: c.maxGradientNorm.map { "\($0)" } ?? "off"),
                    HelpOption("--seed N", "data order, masks and dropout", default: "\(c.seed)"),
                ]),
                HelpSection("Run", [
                    HelpOption("--eval-every N", "steps between evaluations", default: "\(c.evaluateEvery)"),
                    HelpOption("--checkpoint-every N", "steps between checkpoints", default: "\(c.checkpointEvery)"),
                    HelpOption("--export DIR", "also save the final model there as a model folder (mean pooling, no optimiser state); same rule as --out"),
                    HelpOption("--float16", "store the exported weights as float16"),
                ]),
            ],
            output: """
                One key=value line at the end: steps= new_steps= train_loss= eval_loss= eval_accuracy= eval_perplexity= tokens= \
                padding_share= seconds= tokens_per_s= threads=. Progress and evaluations go to standard error; --log gets JSON lines.
                """,
            examples: ["pretrain --corpus corpus.txt --out my-model --preset tiny --steps 300",
                       "pretrain --corpus corpus.txt --out my-model --resume --steps 600"])
    }
    static let flagNames: Set<String> = ["resume", "whole-word", "quiet", "float16", "static-layer", "force"]

    static func run(_ arguments: inout Arguments) throws {
        let corpora = arguments.strings("corpus").map { URL(fileURLWithPath: $0) }
        guard !corpora.isEmpty else { throw CLIError("pretrain: --corpus is required (see `tinyencoder pretrain --help`)") }
        let resume = arguments.flag("resume")
        let outPath = try arguments.required("out")
        if !resume && !arguments.flag("force") && PretrainingCheckpoint.exists(at: URL(fileURLWithPath: outPath)) {
            throw CLIError("pretrain: \(outPath) already holds a checkpoint; add --resume to continue it, --force to start over, or choose another --out")
        }
        // Checked before anything long starts (OutputTarget); the lock keeps a second run out.
        let out = try arguments.requiredOutput("out", kind: .folder, continuing: resume)
        let lock = try lockCheckpoint(out, command: "pretrain")
        defer { lock.release() }
        let quiet = arguments.flag("quiet")
        let logURL = try arguments.output("log", kind: .file, continuing: resume)
        let tokenizerPath = arguments.string("tokenizer")
        let configPath = arguments.string("config")
        let preset = try arguments.choice("preset", default: ModelPreset.small).rawValue
        let initFrom = arguments.string("init-from").map { URL(fileURLWithPath: $0) }
        let vocabularySize = try arguments.int("vocab-size", default: 8000, in: 300...(1 << 20))
        let initSeed = try arguments.int("init-seed", default: 0, in: 0...Int.max)
        let dropout = try arguments.string("dropout").map { _ in Float(try arguments.double("dropout", default: 0.1, in: 0...0.99)) }
        let export = try arguments.output("export", kind: .folder, continuing: resume)  // a resumed run redoes its export
        let float16 = arguments.flag("float16")
        let initVectors = arguments.string("init-vectors")
        let initStatic = arguments.string("init-static").map { URL(fileURLWithPath: $0) }
        let initFormat = try arguments.choice("init-format", VectorFileFormat.self)
        let initMapping = try arguments.choice("init-projection", default: DimensionMapping.automatic)
        let initCountBytes = try arguments.string("init-count-bytes").map { _ in try arguments.int("init-count-bytes", default: 0, in: 1...Int.max) }

        var configuration: PretrainingConfiguration
        if resume {
            guard try PretrainingCheckpoint.recover(out) else {
                throw CLIError("pretrain: --resume: \(out.path) holds no checkpoint (trainer_state.json); drop --resume to start a new run")
            }
            configuration = try PretrainingCheckpoint.manifest(at: out).configuration
        } else {
            configuration = PretrainingConfiguration()
        }
        try PretrainOptions.apply(&arguments, to: &configuration, newRun: !resume)
        try arguments.rejectUnknown()
        if let logURL, logURL.path.hasPrefix(out.path + "/") {
            throw CLIError("pretrain: --log must be outside --out (the checkpoint folder is replaced at every checkpoint)")
        }
        if initVectors != nil && (resume || initFrom != nil) {
            throw CLIError("pretrain: --init-vectors starts a new model; it cannot be combined with \(resume ? "--resume" : "--init-from")")
        }
        if initStatic != nil && (resume || initFrom != nil || initVectors != nil) {
            throw CLIError("pretrain: --init-static starts a new model's token embedding; it cannot be combined with --resume, --init-from or --init-vectors")
        }
        if let initStatic, !StaticEmbedder.isStaticFolder(initStatic) {
            throw CLIError("pretrain: --init-static \(initStatic.path) is not a static model folder (make one with `tinyencoder distill-static`)")
        }
        if configuration.staticLayer == true && initVectors == nil && !resume {
            throw CLIError("pretrain: --static-layer needs --init-vectors (the static vectors it keeps)")
        }
        let progressLine = ProgressLine(isEnabled: !quiet)

        // MARK: Tokenizer
        let tokenizerURL: URL? = tokenizerPath.map { URL(fileURLWithPath: $0) }
            ?? (resume ? out.appendingPathComponent("tokenizer.json") : nil)
            ?? initFrom.map { $0.appendingPathComponent("tokenizer.json") }
            ?? initStatic.map { $0.appendingPathComponent("tokenizer.json") }
        var tokenizer: Tokenizer
        if let tokenizerURL {
            tokenizer = try Tokenizer(contentsOf: tokenizerURL)
        } else {
            progressLine.message("no --tokenizer: training a byte-level BPE of \(vocabularySize) ids on the corpus (as `tinyencoder bpe-train`)")
            var trainer = BPETrainerConfiguration.byteLevel(vocabularySize: vocabularySize)
            trainer.showProgress = !quiet
            trainer.threads = Threads.count
            tokenizer = try BPETrainer.checkingMemory(trainer).train(files: corpora)
        }
        let corpusTokenizer = try BPECorpusTokenizer(tokenizer, source: tokenizerURL?.path ?? "the trained tokenizer", threads: Threads.count)
        let (savedTokenizer, addedTemplate) = try BPECorpusTokenizer.addingSentenceTemplate(to: tokenizer, special: corpusTokenizer.specialTokens)
        if addedTemplate { progressLine.message("the tokenizer has no post-processor: the model folder's copy gets \"[CLS] $A [SEP]\"") }
        let tokenizerJSON = Data(JSONWriter.bytes(savedTokenizer.json, pretty: true))

        // MARK: Corpus
        let corpus = try PretrainingCorpus.load(files: corpora, tokenizer: corpusTokenizer, options: configuration.corpus,
                                                progress: progressLine)
        let masker = DynamicMasker(configuration: configuration.masking, special: corpusTokenizer.specialTokens,
                                   vocabularySize: corpusTokenizer.vocabularySize, wordStarts: corpusTokenizer.wordStartTable())

        // MARK: Trainer
        // MARK: Static vectors
        var initializer: StaticVectorInitializer?
        if let initVectors {
            let vectors = try StaticVectors.read(URL(fileURLWithPath: initVectors), format: initFormat)
            let counting = monotonicSeconds()
            let statistics = try TokenCorpusStatistics.count(files: corpora, tokenizer: tokenizer, maximumBytes: initCountBytes,
                                                             threads: Threads.count) { done, total in
                progressLine.update { InitReportCommand.countingText(done: done, total: total, since: counting) }
            }
            progressLine.finish()
            initializer = StaticVectorInitializer(vectors: vectors, special: corpusTokenizer.specialTokens.all, statistics: statistics,
                                                  options: StaticInitializationOptions(mapping: initMapping))
        }

        let trainer: PretrainingTrainer
        if resume {
            trainer = try PretrainingTrainer.resume(from: out, corpus: corpus, masker: masker, configuration: configuration)
        } else {
            let model = try PretrainOptions.makeModel(configPath: configPath, preset: preset, initFrom: initFrom, initSeed: initSeed,
                                                      dropout: dropout, tokenizer: corpusTokenizer, sequenceLength: configuration.corpus.sequenceLength,
                                                      initializer: initializer, progress: progressLine)
            let built = initializer?.result
            if let built { progressLine.message(built.report.text) }
            if let initStatic {
                let table = try StaticEmbedder(folder: initStatic).table
                let shape = model.encoder.embeddings.token.weight.value.shape
                guard table.shape == shape else {
                    throw CLIError("pretrain: --init-static \(initStatic.path) has a [\(table.shape[0]), \(table.shape[1])] table but the model's token embedding is [\(shape[0]), \(shape[1])]; use its tokenizer and distil it with --dim \(shape[1])")
                }
                model.encoder.embeddings.token.weight.value = SentenceStudent.tokenTable(fromStatic: table, rootMeanSquare: 2.5 * model.encoder.config.initializerRange)
                progressLine.message("token embedding from the static model \(initStatic.path)")
            }
            let staticLayer = configuration.staticLayer == true ? built.map(StaticEmbeddingLayer.init) : nil
            trainer = try PretrainingTrainer(model: model, corpus: corpus, masker: masker, configuration: configuration, state: nil,
                                             staticLayer: staticLayer)
        }
        if let distillation = trainer.configuration.distillation {
            let vectors = try VectorFile.read(URL(fileURLWithPath: distillation.vectorsPath))
            guard vectors.dimension == trainer.model.encoder.config.width else {
                throw CLIError("pretrain: --distill-vectors \(distillation.vectorsPath) has dimension \(vectors.dimension) but the model is \(trainer.model.encoder.config.width) wide; train vectors of that size (vectors-train --dim)")
            }
            let center = distillation.centerLines == 0 ? nil
                : SentenceTeacher.meanDirection(of: try spreadLines(of: corpora[0], count: distillation.centerLines), vectors: vectors)
            trainer.teacher = SentenceTeacher(vectors: vectors, center: center) { ids in try tokenizer.decode(ids, skipSpecialTokens: true) }
            let norm = (center ?? []).reduce(0) { $0 + $1 * $1 }.squareRoot()
            progressLine.message("distillation: \(vectors.words.count) word vectors of \(vectors.dimension) from \(distillation.vectorsPath), weight \(distillation.weight), "
                + (center == nil ? "targets not centred" : String(format: "targets centred on the mean of %d lines (‖μ‖ = %.3f)", distillation.centerLines, norm)))
        }
        let plan = trainer.epochPlan()
        progressLine.message("corpus: \(corpus.lineCount) lines (\(corpus.heldOutLineCount) held out), \(corpus.train.count) training sequences "
            + "(\(corpus.train.tokenCount) tokens), \(corpus.evaluation.count) held-out sequences; "
            + String(format: "%d batches per epoch, padding %.1f%% of batch tokens", plan.batchCount, 100 * plan.paddingShare))
        progressLine.message("model: \(trainer.model.encoder.summary), \(trainer.model.parameterCount.formatted()) parameters; "
            + "\(configuration.steps) steps of \(configuration.effectiveBatchSize) sequences, threads \(Threads.count)"
            + (resume ? "; resuming after step \(trainer.state.step)" : ""))

        var observers: [any PretrainingObserver] = [TrainingProgress(line: progressLine, startStep: trainer.state.step)]
        if let logURL { observers.append(try TrainingLog(url: logURL, resumingAfter: resume ? trainer.state.step : nil)) }
        let startStep = trainer.state.step
        let startTokens = trainer.state.tokensSeen
        let start = monotonicSeconds()
        let last = try trainer.run(checkpoint: CheckpointTarget(url: out, tokenizerJSON: tokenizerJSON), observers: observers)
        progressLine.finish()
        let seconds = monotonicSeconds() - start

        if let export {
            try ModelFolder.save(trainer.model, pooling: Pooling(.mean), tokenizerJSON: tokenizerJSON, to: export,
                                 dtype: float16 ? .float16 : .float32, metadata: ["pretraining_step": "\(trainer.state.step)"])
            progressLine.message("exported the model to \(export.path)\(float16 ? " (float16)" : "")")
        }
        let evaluation = trainer.evaluations.last
        let tokens = trainer.state.tokensSeen - startTokens
        func number(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "none" }
        print("steps=\(trainer.state.step) new_steps=\(trainer.state.step - startStep) train_loss=\(number(last.map { Double($0.loss) })) "
              + "eval_loss=\(number(evaluation?.loss)) eval_accuracy=\(number(evaluation?.accuracy)) eval_perplexity=\(number(evaluation?.perplexity)) "
              + "tokens=\(tokens) padding_share=\(String(format: "%.4f", plan.paddingShare)) seconds=\(String(format: "%.1f", seconds)) "
              + "tokens_per_s=\(Int(Double(tokens) / max(seconds, 1e-9))) threads=\(Threads.count)")
    }
}
