// `tinyencoder distill`: a student encoder learns a teacher's sentence vectors on a corpus (MSE or
// cosine, optionally with masked LM; Docs/Distillation.md). The teacher's vectors are computed once
// and cached (TeacherVectors.swift); the student is a new model of a preset or config, or
// `--init-from` a folder, optionally with its token table from a static model (`--init-static`,
// e.g. from `distill-static`). --out is the checkpoint and a model folder; `--resume` continues it
// bit for bit. Every input is checked before the long work starts.
// Not handled: several machines (export and continue in PyTorch: Docs/ContinuingInPyTorch.md).

import Encoder
import Foundation
import NeuralNetwork
import Pretraining
import TensorCore
import Tokenization

enum DistillCommand: Command {
    static let name = "distill"
    static let summary = "train a student encoder on a teacher's sentence vectors (checkpoints, --resume)"
    static var help: HelpPage {
        let c = DistillationConfiguration()   // the defaults below come from the configuration itself
        return HelpPage(
            usage: ["distill --teacher DIR --corpus FILE --out DIR [--teacher-cache FILE] [--resume] [OPTIONS]"],
            description: "A student encoder learns a teacher's sentence vectors on a corpus: its mean-pooled vector, through a learned "
                + "projection when the widths differ, regresses the teacher's (MSE) or points its way (cosine), optionally with masked LM. "
                + "The teacher's vectors are computed once and cached. --out is the checkpoint and a model folder; --resume continues it "
                + "bit for bit. Every input is checked before the long work starts (Docs/Distillation.md).",
            sections: [
                HelpSection(nil, [
                    HelpOption("--teacher DIR", "any model folder embed loads (sentence-transformers, HF BERT, ours)"),
                    HelpOption("--corpus FILE", "one text a line; every non-empty line is an example"),
                    HelpOption("--out DIR", "the checkpoint, replaced atomically; also a model folder (--model DIR). A new run needs a new or empty folder (an earlier TinyEncoder output: --force); one run at a time holds it (lock file .DIR.lock beside it)"),
                    HelpOption("--teacher-cache FILE", "the teacher's vectors of the corpus; reused when teacher and corpus match, an error when a named cache does not",
                               default: "DIR.teacher-vectors.safetensors beside --out"),
                    HelpOption("--refresh-cache", "compute the cache again even if it belongs to another teacher or corpus"),
                    HelpOption("--resume", "continue the checkpoint in --out (same corpus, teacher and --threads); only --steps, --eval-every and --checkpoint-every may change"),
                    HelpOption("--stop-after N", "stop after step N with a checkpoint, to be continued with --resume"),
                    HelpOption("--log FILE", "JSON lines: one per step, evaluation and checkpoint (outside --out)"),
                    HelpOption("--held-out-file FILE", "write the held-out lines there, in pair order (for `tinyencoder agreement`)"),
                    HelpOption("--export DIR", "also save the final student there as a model folder (no optimiser or run state; the masked-LM head only with --mlm-weight > 0); same rule as --out"),
                    HelpOption("--float16", "store the exported weights as float16 (half the size; the loader widens them)"),
                    HelpOption("--quiet", "no progress line"),
                    forceHelpOption,
                ]),
                HelpSection("Student (new runs)", [
                    HelpOption("--preset NAME", "tiny 2×128 or small 4×256", default: "small"),
                    HelpOption("--config FILE", "config.json of the student (HF BERT keys)", default: "--preset"),
                    HelpOption("--init-from DIR", "start from a model folder (its tokenizer, and its projection if it has one)"),
                    HelpOption("--tokenizer FILE", "the student's tokenizer.json", default: "--init-from's, else the teacher's"),
                    HelpOption("--init-static DIR", "the token table from a static model folder (distill-static) of the same tokenizer and width"),
                    HelpOption("--student-layers L,…", "start from the teacher itself: its embeddings and these of its layers (DistilBERT-style)"),
                    HelpOption("--student-ffn N", "with --student-layers: each feed-forward block keeps its N most important units (‖W_in row‖·‖W_out column‖)"),
                    HelpOption("--init-seed N", "seed of the random initialisation", default: "0"),
                    HelpOption("--dropout P", "hidden and attention dropout", default: "the config's"),
                ]),
                HelpSection("Objective", [
                    HelpOption("--loss NAME", DistillationConfiguration.Loss.choiceList, default: c.loss.rawValue),
                    HelpOption("--mlm-weight W", "weight of a masked-LM term (0: off)", default: "\(c.maskedLMWeight)"),
                    HelpOption("--mask-prob P", "share of tokens masked for that term", default: "\(c.masking.probability)"),
                ]),
                HelpSection("Data", [
                    HelpOption("--max-length N", "student tokens per line, special tokens included", default: "\(c.maximumLength)"),
                    HelpOption("--eval-lines N", "lines held out, paired for the agreement", default: "\(c.evaluationLines)"),
                    HelpOption("--group N", "batches per length-sorted group (1: no length bucketing)", default: "\(c.lengthGroupSize)"),
                ]),
                HelpSection("Optimisation", [
                    HelpOption("--steps N", "optimiser steps", default: "\(c.steps)"),
                    HelpOption("--epochs E", "instead of --steps: passes over the training lines"),
                    HelpOption("--batch N", "lines per micro-batch", default: "\(c.batchSize)"),
                    HelpOption("--accumulate K", "micro-batches per step", default: "\(c.accumulationSteps)"),
                    HelpOption("--lr R", "peak learning rate", default: "\(c.peakLearningRate)"),
                    HelpOption("--warmup N", "warm-up steps", default: "5% of the steps"),
                    HelpOption("--schedule NAME", DecayShape.choiceList, default: c.decay.rawValue),
                    HelpOption("--min-lr R", "the rate the schedule ends at", default: "0"),
                    HelpOption("--weight-decay W", "AdamW's decoupled weight decay", default: "\(c.optimizer.weightDecay)"),
                    HelpOption("--clip N", "clip the global gradient norm (0: off)", default: "1.0"),
                    HelpOption("--seed N", "held-out choice, data order, masks, dropout", default: "0"),
                    HelpOption("--eval-every N", "held-out evaluation every N steps (0: at the end)", default: "\(c.evaluateEvery)"),
                    HelpOption("--checkpoint-every N", "checkpoint every N steps (0: at the end)", default: "\(c.checkpointEvery)"),
                ]),
            ],
            output: "Progress on standard error; at the end one line:\n"
                + "steps= loss= eval_mse= eval_cosine= eval_agreement= lines= tokens= seconds= tokens_per_s= threads=",
            examples: ["distill --teacher all-MiniLM-L6-v2 --corpus corpus.txt --out student --student-layers 0,5 --epochs 3"])
    }
    static let flagNames: Set<String> = ["resume", "refresh-cache", "quiet", "float16", "force"]

    static func run(_ arguments: inout Arguments) throws {
        var options = try DistillOptions(&arguments)
        try arguments.rejectUnknown()
        let lock = try lockCheckpoint(options.out, command: "distill")   // one run per checkpoint
        defer { lock.release() }
        let progress = ProgressLine(isEnabled: !options.quiet)

        // MARK: Everything that can be wrong, before the long work
        let teacher: SentenceEmbedder
        do {
            teacher = try SentenceEmbedder(folder: options.teacher)
        } catch {
            throw CLIError("distill: --teacher \(options.teacher.path) does not load: \(error)")
        }
        let lines = try DistillationData.usableLines(of: options.corpus)
        guard lines.count > options.configuration.evaluationLines + options.configuration.batchSize else {
            throw CLIError("distill: --corpus \(options.corpus.path) has \(lines.count) usable lines; at least "
                           + "\(options.configuration.evaluationLines + options.configuration.batchSize + 1) are needed (--eval-lines + --batch)")
        }
        let student = try options.studentTokenizer(teacher: teacher)
        try options.checkStudent(tokenizer: student)

        // MARK: Teacher vectors (cached)
        let vectors = try TeacherCache.vectors(at: options.cache, isDefault: options.cacheIsDefault, refresh: options.refreshCache,
                                               teacher: teacher, teacherFolder: options.teacher, corpus: options.corpus, lines: lines,
                                               progress: progress)

        // MARK: Data, student, trainer
        let data = try DistillationData.make(lines: lines, tokenizer: student, maximumLength: options.configuration.maximumLength,
                                             evaluationLines: options.configuration.evaluationLines, seed: options.configuration.seed,
                                             corpus: options.corpus.path)
        if options.epochs != nil { options.setSteps(trainingLines: data.train.count) }
        if let file = options.heldOutFile {
            try AtomicFile.write(Data((data.evaluationRows.map { lines[Int($0)] }.joined(separator: "\n") + "\n").utf8), to: file)
        }
        let masker = options.configuration.maskedLMWeight > 0
            ? DynamicMasker(configuration: options.configuration.masking, special: student.specialTokens,
                            vocabularySize: student.vocabularySize, wordStarts: student.wordStartTable()) : nil
        let trainer: DistillationTrainer
        if options.resume {
            trainer = try DistillationCheckpoint.resume(from: options.out, data: data, teacher: vectors, masker: masker,
                                                        configuration: options.configuration)
        } else {
            let model = try options.makeStudent(tokenizer: student, teacherWidth: vectors.identity.dimension, progress: progress)
            trainer = try DistillationTrainer(student: model, data: data, teacher: vectors, configuration: options.configuration, masker: masker)
        }
        let config = trainer.student.model.encoder.config
        progress.message("corpus: \(lines.count) lines, \(data.train.count) for training (\(data.train.tokenCount) tokens), \(data.evaluation.count) held out; "
                         + "\(trainer.epochPlan().batchCount) batches per epoch")
        progress.message("student: \(trainer.student.model.encoder.summary), \(config.vocabularySize) tokens"
                         + (trainer.student.projection.map { ", projection \($0.inFeatures) → \($0.outFeatures)" } ?? "")
                         + "; \(trainer.configuration.steps) steps of \(trainer.configuration.batchSize * trainer.configuration.accumulationSteps) lines, "
                         + "\(trainer.configuration.loss.rawValue)\(trainer.configuration.maskedLMWeight > 0 ? " + \(trainer.configuration.maskedLMWeight) × masked LM" : ""), threads \(Threads.count)"
                         + (options.resume ? "; resuming after step \(trainer.state.step)" : ""))

        // MARK: Run
        var observers: [any DistillationObserver] = [DistillationProgress(line: progress, startStep: trainer.state.step)]
        if let log = options.log { observers.append(try TrainingLog(url: log, resumingAfter: options.resume ? trainer.state.step : nil)) }
        let files = StudentFiles(tokenizerJSON: options.tokenizerJSON,
                                 textSettings: .init(maxSequenceLength: trainer.configuration.maximumLength, lowercasesInput: teacher.lowercasesInput),
                                 normalize: teacher.pooling.normalize)
        let startTokens = trainer.state.tokensSeen
        let start = monotonicSeconds()
        let last = try trainer.run(checkpoint: (options.out, files), observers: observers, stopAfter: options.stopAfter)
        progress.finish()
        let seconds = monotonicSeconds() - start
        if let export = options.export {
            // The masked-LM head goes out only when this run trained it (--mlm-weight > 0); otherwise it
            // is a BertModel folder, so `trace` and fill-mask tools do not take a frozen head for a trained one.
            try DistillationCheckpoint.saveModel(trainer.student, files: files, to: export, dtype: options.float16 ? .float16 : .float32,
                                                 metadata: ["distillation_step": "\(trainer.state.step)"],
                                                 includeHead: trainer.configuration.maskedLMWeight > 0)
            progress.message("exported the student after step \(trainer.state.step) to \(export.path)\(options.float16 ? " (float16)" : "")")
        }
        let evaluation = trainer.evaluations.last
        let tokens = trainer.state.tokensSeen - startTokens
        func number(_ value: Float?) -> String { value.map { String(format: "%.6f", $0) } ?? "none" }
        print("steps=\(trainer.state.step) loss=\(number(last?.loss)) eval_mse=\(number(evaluation?.mse)) eval_cosine=\(number(evaluation?.cosine)) "
              + "eval_agreement=\(number(evaluation?.agreement)) lines=\(data.train.count) tokens=\(tokens) seconds=\(String(format: "%.1f", seconds)) "
              + "tokens_per_s=\(Int(Double(tokens) / max(seconds, 1e-9))) threads=\(Threads.count)")
    }
}
