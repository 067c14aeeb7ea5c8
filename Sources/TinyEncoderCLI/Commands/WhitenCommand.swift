// `tinyencoder whiten`: fits a whitening map (Encoder/Whitening.swift) to the pooled vectors of
// sample lines of a corpus and writes a copy of the model folder that applies it, as a
// sentence-transformers Dense module between the pooling and the normalisation. The lines are a
// seeded uniform sample (reservoir sampling over one streaming pass), so the fit never sees the
// text you will evaluate on unless the corpus holds it.
// Not handled: folders that already end in Dense modules (whiten the folder before them).

import Encoder
import Foundation
import TensorCore
import WordVectors

enum WhitenCommand: Command {
    static let name = "whiten"
    static let summary = "fit whitening of the sentence vectors on corpus lines; write the folder with it"
    static var help: HelpPage {
        HelpPage(
            usage: ["whiten [--model DIR] --corpus FILE --out DIR [--force] [--lines N] [--dimensions K] [--seed N]"],
            description: "Fits whitening (mean 0, covariance I) to the pooled vectors of a seeded uniform sample of the "
                + "corpus's lines and writes a copy of the model folder that applies it, as a sentence-transformers "
                + "Dense module between the pooling and any normalisation, so sentence-transformers applies it too.",
            options: [
                HelpOption("--model DIR", "the folder to whiten (without Dense modules)", default: "$TINYENCODER_MODEL, else the shipped model"),
                HelpOption("--corpus FILE", "text, one sample per line (blank lines skipped)"),
                HelpOption("--out DIR", "the whitened copy: a new or empty folder, written atomically (--model itself with --force, if TinyEncoder wrote it)"),
                forceHelpOption,
                HelpOption("--lines N", "lines sampled to fit μ and Σ", default: "20000"),
                HelpOption("--dimensions K", "keep the K leading directions", default: "all with variance above 1e-6 of the largest"),
                HelpOption("--seed N", "the sample's seed", default: "0"),
            ],
            output: "One key=value line: lines= width= dimensions= largest_variance= smallest_kept_variance= out=",
            examples: ["whiten --model my-model --corpus corpus.txt --out my-model-whitened"])
    }

    static let flagNames: Set<String> = ["force"]

    static func run(_ arguments: inout Arguments) throws {
        let modelURL = try DefaultModel.resolve(arguments.string("model"))
        guard let corpus = arguments.string("corpus") else { throw CLIError("whiten: --corpus FILE is required") }
        guard let outURL = try arguments.output("out", kind: .folder) else { throw CLIError("whiten: --out DIR is required") }
        let lineCount = try arguments.int("lines", default: 20_000, in: 2...2_000_000)
        let dimensionOption = try arguments.int("dimensions", default: 0, in: 0...65_536)
        let seed = try arguments.int("seed", default: 0, in: 0...Int.max)
        try arguments.rejectUnknown()

        var embedder = try SentenceEmbedder(folder: modelURL)
        guard embedder.dense.isEmpty else {
            throw CLIError("whiten: \(modelURL.path) already applies Dense modules; whiten the folder before them")
        }
        let lines = try sampleLines(corpus, count: lineCount, seed: UInt64(seed))
        guard lines.count >= 2 else { throw CLIError("whiten: \(corpus) has fewer than two non-blank lines") }
        let normalize = embedder.pooling.normalize
        embedder.pooling = Pooling(embedder.pooling.strategy)          // the raw pooled vectors
        embedder.truncates = true
        let vectors = try embedder.embed(lines)
        let width = embedder.config.width
        guard let module = DenseModule.whitening(samples: vectors, dimensions: dimensionOption == 0 ? nil : min(dimensionOption, width)) else {
            throw CLIError("whiten: the sampled vectors have (numerically) zero variance in some of the \(dimensionOption) requested directions; use fewer --dimensions or more --lines")
        }
        let kept = module.outFeatures
        let source = modelURL.standardizedFileURL
        try AtomicFolder.write(to: outURL) { folder in
            let manager = FileManager.default
            for name in try manager.contentsOfDirectory(atPath: source.path) {
                // modules.json and the module folders after the pooling are written anew.
                if name == "modules.json" || name.hasSuffix("_Normalize") || name.hasSuffix("_Dense") || name.hasPrefix(".") { continue }
                try manager.copyItem(at: source.appendingPathComponent(name), to: folder.appendingPathComponent(name))
            }
            try SentenceTransformersFiles.write(pooling: Pooling(embedder.pooling.strategy, normalize: normalize), width: width,
                                                folder: folder, dense: [module])
        }
        // The variance of direction k is 1/‖row k of W‖² (W's rows are u_k/√λ_k).
        func variance(_ row: Int) -> Double {
            module.weight.withUnsafeBufferPointer { w in 1 / (0..<width).reduce(0.0) { $0 + Double(w[row * width + $1]) * Double(w[row * width + $1]) } }
        }
        print("lines=\(lines.count) width=\(width) dimensions=\(kept) largest_variance=\(String(format: "%.6g", variance(0)))"
              + " smallest_kept_variance=\(String(format: "%.6g", variance(kept - 1))) out=\(outURL.path)")
    }

    /// Up to `count` non-blank lines, a uniform sample of the file's (TextCorpus.sampleLines), in file order.
    static func sampleLines(_ path: String, count: Int, seed: UInt64) throws -> [String] {
        try TextCorpus(contentsOf: URL(fileURLWithPath: path)).sampleLines(count: count, seed: seed)
    }
}
