// `tinyencoder distill-static`: a static model (one vector per token, a text is the mean of its
// tokens' vectors) distilled from a contextual teacher, the Model2Vec recipe (StaticDistillation):
// every vocabulary token through the teacher, PCA to --dim, frequency weights. The folder is
// sentence-transformers' StaticEmbedding layout: embed, similarity and probe load it, and
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
    static let usage = """
        usage: tinyencoder distill-static --teacher DIR --out DIR [--dim N] [--weighting zipf|corpus|none]
                                          [--corpus FILE] [--sif A] [--float16] [--threads N]
          --teacher DIR     any model folder embed loads; its tokenizer becomes the static model's
          --out DIR         the static model folder (sentence-transformers StaticEmbedding layout)
          --dim N           width of the vectors, by PCA (default 256; at most the teacher's width)
          --weighting W     token weights a/(a + p): zipf (p from the token's rank, the default without
                            --corpus), corpus (p counted on --corpus, the default with it), none
          --sif A           a in a/(a + p) (default 1e-4 for zipf, 1e-3 for corpus)
          --float16         store the table in float16 (half the size)
        Prints one line: tokens= dim= explained_variance= placeholders= counted_tokens= seconds=
        Example:
          tinyencoder distill-static --teacher all-MiniLM-L6-v2 --out minilm-static --dim 256
        """
    static let flagNames: Set<String> = ["float16", "quiet"]

    static func run(_ arguments: inout Arguments) throws {
        let teacherURL = URL(fileURLWithPath: try arguments.required("teacher"))
        let out = URL(fileURLWithPath: try arguments.required("out")).standardizedFileURL
        let corpus = arguments.string("corpus").map { URL(fileURLWithPath: $0) }
        var configuration = StaticDistillationConfiguration()
        if arguments.string("dim") != nil { configuration.dimension = try arguments.int("dim", default: 256, in: 1...65536) }
        let weightingName = arguments.string("weighting") ?? (corpus == nil ? "zipf" : "corpus")
        guard let weighting = StaticDistillationConfiguration.Weighting(rawValue: weightingName) else {
            throw CLIError("distill-static: --weighting must be \(StaticDistillationConfiguration.Weighting.allCases.map(\.rawValue).joined(separator: ", ")), got \"\(weightingName)\"")
        }
        configuration.weighting = weighting
        configuration.sifCoefficient = try arguments.double("sif", default: weighting == .corpus ? 1e-3 : 1e-4, in: 1e-12...1e3)
        let float16 = arguments.flag("float16")
        let quiet = arguments.flag("quiet")
        try arguments.rejectUnknown()
        if weighting == .corpus && corpus == nil { throw CLIError("distill-static: --weighting corpus needs --corpus FILE") }

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
        let (model, report) = try StaticDistillation.distill(teacher: teacher, configuration: configuration, corpusLines: lines) { share in
            progress.update(force: share >= 1) {
                let elapsed = monotonicSeconds() - start
                let eta = share > 0 ? ProgressFormat.duration(elapsed * (1 - share) / share) : "–"
                return String(format: "teacher passes %.0f%%  ETA %@", 100 * share, eta)
            }
        }
        progress.finish()
        try model.save(to: out, dtype: float16 ? .float16 : .float32,
                       metadata: ["teacher": teacherURL.lastPathComponent, "dimension": "\(model.dimension)",
                                  "weighting": weighting.rawValue, "sif": "\(configuration.sifCoefficient)"])
        print("tokens=\(model.vocabularySize) dim=\(model.dimension) explained_variance=\(String(format: "%.4f", report.explainedVariance)) "
              + "placeholders=\(report.placeholderTokens) counted_tokens=\(report.countedTokens) seconds=\(String(format: "%.1f", monotonicSeconds() - start))")
    }
}
