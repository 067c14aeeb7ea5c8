// `tinyencoder distill-static`: a static model (one vector per token, a text is the mean of its
// tokens' vectors) distilled from a contextual teacher, the Model2Vec recipe (StaticDistillation):
// every vocabulary token through the teacher, PCA to --dim, frequency weights; with --epochs, the
// table is then trained on the teacher's sentence vectors of --corpus (StaticTraining). The folder is
// sentence-transformers' StaticEmbedding layout: similarity, probe and agreement load it (embed reads Transformer folders only), and
// sentence-transformers does too; `distill --init-static DIR` takes its table as a student's
// token embedding.
// Not handled: vocabularies other than the teacher's tokenizer's.

import Encoder
import Foundation
import Pretraining
import TensorCore

enum DistillStaticCommand: Command {
    static let name = "distill-static"
    static let summary = "a static model (Model2Vec) from a contextual teacher: one vector per token"
    static var help: HelpPage {
        HelpPage(
            usage: ["distill-static --teacher DIR --out DIR [--dim N] [--weighting zipf|corpus|none]",
                    "               [--corpus FILE [--epochs N] [--teacher-cache FILE]] [--sif A] [--float16]"],
            description: "A static model (one vector per token; a text is the mean of its tokens' vectors) distilled from a contextual "
                + "teacher by the Model2Vec recipe: every vocabulary token through the teacher, PCA to --dim, frequency weights. With "
                + "--epochs the table is then trained on the teacher's vectors of --corpus's lines. The folder is sentence-transformers' "
                + "StaticEmbedding layout; similarity, probe, agreement, bench embed and sentence-transformers load it, and distill/pretrain take it "
                + "as a token embedding (--init-static).",
            options: [
                HelpOption("--teacher DIR", "any model folder embed loads; its tokenizer becomes the static model's"),
                HelpOption("--out DIR", "the static model folder: a new or empty folder (an earlier TinyEncoder output: --force)"),
                HelpOption("--dim N", "width of the vectors (at most the teacher's)", default: "256"),
                HelpOption("--weighting NAME", "token weights a/(a + p) with p from the token's rank (zipf), counted on --corpus (corpus), or none: "
                           + StaticDistillationConfiguration.Weighting.choiceList, default: "zipf, corpus with --corpus"),
                HelpOption("--corpus FILE", "text whose tokens are counted, and trained on with --epochs"),
                HelpOption("--sif A", "a in a/(a + p)", default: "1e-4 for zipf, 1e-3 for corpus"),
                HelpOption("--epochs N", "train the table N epochs on the teacher's vectors of --corpus (0: the recipe alone)", default: "0"),
                HelpOption("--teacher-cache FILE", "the teacher's vectors of --corpus, as distill's", default: "DIR.teacher-vectors.safetensors beside --out"),
                HelpOption("--refresh-cache", "compute the cache again even if it belongs to another teacher or corpus"),
                HelpOption("--lr R", "Adam's learning rate for --epochs", default: "1e-2"),
                HelpOption("--batch N", "lines per step for --epochs", default: "256"),
                HelpOption("--eval-lines N", "lines held out for the agreement after each epoch", default: "4000"),
                HelpOption("--seed N", "held-out choice and data order", default: "0"),
                HelpOption("--float16", "store the table in float16 (half the size)"),
                HelpOption("--quiet", "no progress line"),
                forceHelpOption,
            ],
            output: "Progress on standard error; at the end one line:\n"
                + "tokens= dim= explained_variance= placeholders= counted_tokens= epochs= eval_agreement= seconds=",
            examples: ["distill-static --teacher all-MiniLM-L6-v2 --out minilm-static --dim 256",
                       "distill-static --teacher all-MiniLM-L6-v2 --out minilm-static --corpus corpus.txt --epochs 4"])
    }
    static let flagNames: Set<String> = ["float16", "quiet", "refresh-cache", "force"]

    static func run(_ arguments: inout Arguments) throws {
        let teacherURL = URL(fileURLWithPath: try arguments.required("teacher"))
        let out = try arguments.requiredOutput("out", kind: .folder)
        let corpus = arguments.string("corpus").map { URL(fileURLWithPath: $0) }
        var configuration = StaticDistillationConfiguration()
        if arguments.string("dim") != nil { configuration.dimension = try arguments.int("dim", default: 256, in: 1...65536) }
        let weighting = try arguments.choice("weighting", default: corpus == nil ? StaticDistillationConfiguration.Weighting.zipf : .corpus)
        configuration.weighting = weighting
        configuration.sifCoefficient = try arguments.double("sif", default: weighting == .corpus ? 1e-3 : 1e-4, in: 1e-12...1e3)
        let float16 = arguments.flag("float16")
        let quiet = arguments.flag("quiet")
        var training = StaticTrainingConfiguration()
        training.epochs = try arguments.int("epochs", default: 0, in: 0...10_000)
        training.learningRate = Float(try arguments.double("lr", default: 1e-2, in: 1e-9...10))
        training.batchSize = try arguments.int("batch", default: 256, in: 1...65536)
        training.evaluationLines = try arguments.int("eval-lines", default: 4000, in: 0...10_000_000)
        training.seed = UInt64(try arguments.int("seed", default: 0, in: 0...Int.max))
        let cachePath = arguments.string("teacher-cache")
        let refreshCache = arguments.flag("refresh-cache")
        try arguments.rejectUnknown()
        if weighting == .corpus && corpus == nil { throw CLIError("distill-static: --weighting corpus needs --corpus FILE") }
        if training.epochs > 0 && corpus == nil { throw CLIError("distill-static: --epochs trains on a corpus; add --corpus FILE") }
        if training.evaluationLines % 2 != 0 { throw CLIError("distill-static: --eval-lines must be even (the lines are paired)") }

        // Everything that can be wrong, before the teacher runs.
        let teacher: SentenceEmbedder
        do {
            teacher = try SentenceEmbedder(folder: teacherURL)
        } catch {
            throw CLIError("distill-static: --teacher \(teacherURL.path) does not load: \(error)")
        }
        let width = teacher.dense.last?.outFeatures ?? teacher.config.width
        if let dimension = configuration.dimension, dimension > width {
            throw CLIError("distill-static: --dim \(dimension) is wider than the teacher's \(width)-wide vectors; choose at most \(width)")
        }
        let lines = try corpus.map { try DistillationData.usableLines(of: $0) }
        if let corpus, let lines, lines.isEmpty { throw CLIError("distill-static: --corpus \(corpus.path) has no non-empty line") }

        let progress = ProgressLine(isEnabled: !quiet)
        let start = monotonicSeconds()
        var cached: TeacherVectors?
        var basis: Tensor?
        if training.epochs > 0, let corpus, let lines {
            let vectors = try TeacherCache.vectors(at: cachePath.map { URL(fileURLWithPath: $0) } ?? TeacherCache.defaultURL(besides: out),
                                                   isDefault: cachePath == nil, refresh: refreshCache, teacher: teacher, teacherFolder: teacherURL,
                                                   corpus: corpus, lines: lines, progress: progress)
            basis = StaticTraining.targetBasis(vectors.vectors, dimension: configuration.dimension ?? width)
            cached = vectors
        }
        var (model, report) = try StaticDistillation.distill(teacher: teacher, configuration: configuration, corpusLines: lines, basis: basis) { share in
            progress.update(force: share >= 1) {
                let elapsed = monotonicSeconds() - start
                let eta = share > 0 ? ProgressFormat.duration(elapsed * (1 - share) / share) : "–"
                return String(format: "teacher passes %.0f%%  ETA %@", 100 * share, eta)
            }
        }
        progress.finish()
        var agreements: [Double] = []
        if let cached, let basis, let lines {
            let trainingStart = monotonicSeconds()
            agreements = try StaticTraining.train(&model, lines: lines, teacher: cached, basis: basis, configuration: training) { epoch, step, steps, agreement in
                if let agreement {
                    progress.message(String(format: "epoch %d: held-out agreement with the teacher %.4f", epoch, agreement))
                    return
                }
                progress.update(force: step == steps) {
                    let done = Double((epoch - 1) * steps + step), total = Double(training.epochs * steps)
                    let perStep = (monotonicSeconds() - trainingStart) / max(done, 1)
                    return "epoch \(epoch)/\(training.epochs)  step \(step)/\(steps)  ETA \(ProgressFormat.duration(perStep * (total - done)))"
                }
            }
        }
        try model.save(to: out, dtype: float16 ? .float16 : .float32,
                       metadata: ["teacher": teacherURL.lastPathComponent, "dimension": "\(model.dimension)",
                                  "weighting": weighting.rawValue, "sif": "\(configuration.sifCoefficient)", "epochs": "\(training.epochs)"])
        print("tokens=\(model.vocabularySize) dim=\(model.dimension) explained_variance=\(String(format: "%.4f", report.explainedVariance)) "
              + "placeholders=\(report.placeholderTokens) counted_tokens=\(report.countedTokens) epochs=\(training.epochs) "
              + "eval_agreement=\(agreements.last.map { String(format: "%.4f", $0) } ?? "none") seconds=\(String(format: "%.1f", monotonicSeconds() - start))")
    }
}
