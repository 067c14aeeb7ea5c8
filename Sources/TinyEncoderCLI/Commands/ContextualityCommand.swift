// `tinyencoder contextuality`: Ethayarajh's (2019) measures of how contextual a model's word
// vectors are, per layer, on a seeded sample of a corpus: a table on standard output, and the
// curves as SVG with --plot. The work is the library's (Encoder/Contextual: ContextualitySample,
// Contextuality; AttentionViz: ContextualityPlot); this file reads options and prints.
// Not handled: comparing models in one run (run once per model); the anisotropy-adjusted MEV.

import AttentionViz
import Encoder
import Evaluation
import Foundation
import Pretraining
import TensorCore
import WordVectors

enum ContextualityCommand: Command {
    static let name = "contextuality"
    static let summary = "how contextual a model's word vectors are, per layer (Ethayarajh 2019)"
    static var help: HelpPage {
        HelpPage(
            usage: ["contextuality [--model DIR] --corpus FILE [--min-contexts K] [--sample N] [--seed S]",
                    "      [--word-pooling \(WordPooling.choiceList)] [--batch N] [--plot FILE.svg] [--force] [--quiet]"],
            description: "Ethayarajh's (2019) measures at every layer (0 is the embedding output), on N sentences drawn "
                + "from the corpus (one per line; a seeded uniform sample) and cut at the model's positions. A word is one "
                + "the pre-tokenizer cuts, pooled from its sub-word tokens, with a letter or digit in it. Self-similarity: "
                + "the mean cosine between a word's vectors in different sentences (its first occurrence in each), averaged over "
                + "the words found in at least K sentences. Intra-sentence similarity: the mean cosine between a sentence's "
                + "word vectors and their mean, averaged over sentences of two words or more. Anisotropy: the mean cosine between "
                + "word vectors of different sentences (every pair: the baseline a random pair would give); the adjusted "
                + "similarities subtract it. MEV: the share of the variance of a word's vectors that its first principal "
                + "direction explains (σ₁² / Σσᵢ², not centred), averaged over the same words.",
            options: [
                HelpOption("--model DIR", "a model folder", default: "$TINYENCODER_MODEL, else the shipped model"),
                HelpOption("--corpus FILE", "one sentence per line (UTF-8)"),
                HelpOption("--min-contexts K", "measure the words found in at least K sampled sentences", default: "5"),
                HelpOption("--sample N", "sentences drawn from the corpus (all of them when it has fewer)", default: "1000"),
                HelpOption("--seed S", "the sample's seed", default: "1"),
                HelpOption("--word-pooling W", "\(WordPooling.choiceList): a word's first token, the mean of its tokens, or its last", default: "mean"),
                HelpOption("--batch N", "sentences per forward pass", default: "32"),
                HelpOption("--plot FILE", "also draw the curves against the layer as an SVG line plot; an existing file needs --force"),
                forceHelpOption,
                HelpOption("--quiet", "no progress line"),
            ],
            output: """
                A tab-separated table with a header, one row per layer: layer, self_similarity, self_similarity_adjusted, \
                intra_similarity, intra_similarity_adjusted, anisotropy, mev (6 decimals). Then one key=value line: sentences= \
                occurrences= words= (the words measured) min_contexts= intra_sentences= seed= word_pooling= most_contexts= \
                (the five words found in most sentences, word:count) seconds= threads=.
                """,
            examples: ["contextuality --corpus corpus.txt --plot contextuality.svg",
                       "contextuality --model all-MiniLM-L6-v2 --corpus corpus.txt --sample 2000 --min-contexts 5 --seed 7"])
    }
    static let flagNames: Set<String> = ["force", "quiet"]

    static func run(_ arguments: inout Arguments) throws {
        let modelOption = arguments.string("model")
        let corpusPath = try arguments.required("corpus")
        let minimumContexts = try arguments.int("min-contexts", default: 5, in: 2...1_000_000)
        let sampleSize = try arguments.int("sample", default: 1000, in: 1...10_000_000)
        let seed = try arguments.int("seed", default: 1, in: 0...Int.max)
        let pooling = try arguments.choice("word-pooling", default: WordPooling.mean)
        let batch = try arguments.int("batch", default: 32, in: 1...4096)
        let plotPath = arguments.string("plot")
        let plotURL = try arguments.output("plot", kind: .file)
        let quiet = arguments.flag("quiet")
        try arguments.rejectUnknown()
        if let plotPath, !plotPath.lowercased().hasSuffix(".svg") {
            throw CLIError("contextuality: --plot must end in .svg, got \"\(plotPath)\"")
        }
        guard arguments.positionals.isEmpty else {
            throw CLIError("contextuality: unexpected argument \"\(arguments.positionals[0])\"; the sentences come from --corpus")
        }
        let modelURL = try DefaultModel.resolve(modelOption)
        let start = monotonicSeconds()
        let sentences = try TextCorpus(contentsOf: URL(fileURLWithPath: corpusPath)).sampleLines(count: sampleSize, seed: UInt64(seed))
        guard !sentences.isEmpty else { throw ContextualityError.emptyCorpus(file: corpusPath) }
        if StaticEmbedder.isStaticFolder(modelURL) {
            throw CLIError("contextuality: \(modelURL.path) is a static model (one vector per token, the same in every sentence); give a Transformer model folder")
        }
        var embedder = try SentenceEmbedder(folder: modelURL)
        embedder.truncates = true
        embedder.batchSize = batch
        let progress = ProgressLine(isEnabled: !quiet)
        let sample = try embedder.contextualitySample(sentences, pooling: pooling) { done in
            progress.update(force: done == sentences.count) { "embedding: \(done)/\(sentences.count) sentences" }
        }
        progress.finish()
        let report = try Contextuality.measure(sample, minimumContexts: minimumContexts)
        if let plotURL {
            let svg = ContextualityPlot.svg(report, title: "\(modelURL.lastPathComponent): contextuality per layer")
            try AtomicFile.write(Data(svg.utf8), to: plotURL)
        }
        print(["layer", "self_similarity", "self_similarity_adjusted", "intra_similarity", "intra_similarity_adjusted", "anisotropy", "mev"]
            .joined(separator: "\t"))
        for row in report.layers {
            let values = [row.selfSimilarity, row.adjustedSelfSimilarity, row.intraSentenceSimilarity,
                          row.adjustedIntraSentenceSimilarity, row.anisotropy, row.maximumExplainableVariance]
            print("\(row.layer)\t" + values.map { String(format: "%.6f", $0) }.joined(separator: "\t"))
        }
        let most = report.measuredWords.prefix(5).map { "\($0.word.replacingOccurrences(of: " ", with: "_")):\($0.contexts)" }.joined(separator: ",")
        print("sentences=\(report.sentenceCount) occurrences=\(report.occurrenceCount) words=\(report.measuredWords.count) "
              + "min_contexts=\(minimumContexts) intra_sentences=\(report.intraSentenceCount) seed=\(seed) word_pooling=\(pooling.rawValue) "
              + "most_contexts=\(most) " + String(format: "seconds=%.1f threads=%d", monotonicSeconds() - start, Threads.count))
    }
}
