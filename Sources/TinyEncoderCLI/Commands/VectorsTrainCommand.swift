// `tinyencoder vectors-train`: trains static word vectors on a text corpus (one sentence per line)
// with word2vec skip-gram or CBOW, GloVe, fastText, or PPMI + truncated SVD, and writes them.
// Options mirror the original tools' flags; unset options keep each algorithm's own defaults.
// A fastText model written as fasttext-bin keeps its n-gram rows (vectors for unseen words).
// Not handled: resuming a run.

import Foundation
import TensorCore
import WordVectors

enum VectorsTrainCommand: Command {
    static let name = "vectors-train"
    static let summary = "train word vectors: " + TrainingAlgorithm.allCases.map(\.rawValue).joined(separator: " | ")
    static var help: HelpPage {
        // Every default below is read from the configurations, so help and behaviour cannot differ.
        let (w2v, glove, fast, svd) = (Word2VecConfig.skipGram, GloVeConfig(), FastTextConfig(), CountVectorsConfig())
        func per(_ common: Any, glove g: Any? = nil, fasttext f: Any? = nil, svd s: Any? = nil) -> String {
            let others = [("glove", g), ("fasttext", f), ("svd", s)].compactMap { name, value in value.map { "\(name): \($0)" } }
            return others.isEmpty ? "\(common)" : "\(common) (" + others.joined(separator: ", ") + ")"
        }
        return HelpPage(
            usage: ["vectors-train --algorithm \(TrainingAlgorithm.choiceList) --corpus FILE --out FILE [--format F]",
                    "              [--dim N] [--window N] [--negative N] [--epochs N] [--min-count N] [--sample X] [--seed N]",
                    "              [--alpha X] [--min-alpha X] [--quiet] [ALGORITHM OPTIONS]"],
            description: "Trains word vectors on a UTF-8 corpus, one sentence per line; words are lowercased and split on "
                + "every character that is not a letter, a digit, _ or '. Unset options keep each algorithm's own "
                + "defaults: skipgram and cbow as gensim, glove as the GloVe C tools, fasttext as fastText.",
            sections: [
                HelpSection(nil, [
                    HelpOption("--algorithm A", TrainingAlgorithm.choiceList),
                    HelpOption("--corpus FILE", "the training text"),
                    HelpOption("--out FILE", "where the vectors go (atomically); an existing file needs --force, checked before training"),
                    forceHelpOption,
                    HelpOption("--format F", VectorFileFormat.choiceList,
                               default: "from --out's extension: .bin → word2vec-bin (fasttext-bin for --algorithm fasttext: the whole model, with its n-grams), .vec → fasttext-vec, .txt and others → word2vec-txt"),
                    HelpOption("--dim N", "vector size", default: per(w2v.dimension, glove: glove.dimension, fasttext: fast.dimension, svd: svd.dimension)),
                    HelpOption("--window N", "context words on each side (-window)", default: per(w2v.window, glove: glove.window, fasttext: fast.window, svd: svd.window)),
                    HelpOption("--negative N", "negative samples (-negative)", default: per(w2v.negative, fasttext: fast.negative)),
                    HelpOption("--epochs N", "passes over the corpus (-iter)", default: per(w2v.epochs, glove: glove.epochs, fasttext: fast.epochs)),
                    HelpOption("--min-count N", "ignore rarer words (-min-count)", default: per(w2v.minCount, glove: glove.minCount, fasttext: fast.minCount, svd: svd.minCount)),
                    HelpOption("--sample X", "down-sampling threshold of frequent words (-sample)", default: per(w2v.sample, fasttext: fast.sample)),
                    HelpOption("--alpha X", "starting learning rate (-alpha)", default: per(w2v.learningRate, glove: glove.learningRate, fasttext: fast.learningRate)),
                    HelpOption("--min-alpha X", "final learning rate of skipgram and cbow", default: "\(w2v.minLearningRate)"),
                    HelpOption("--seed N", "random seed", default: "1"),
                    HelpOption("--quiet", "no progress line"),
                ]),
                HelpSection("glove", [
                    HelpOption("--x-max X", "weighting cut-off (-x-max)", default: "\(glove.xMax)"),
                    HelpOption("--power X", "weighting exponent (-alpha of the C tools)", default: "\(glove.power)"),
                    HelpOption("--memory-mib N", "memory for co-occurrence counting (-memory)", default: "\(glove.memoryBudget >> 20)"),
                    HelpOption("--temp-dir DIR", "where counting spills its sorted runs", default: "the system's temporary folder"),
                ]),
                HelpSection("fasttext", [
                    HelpOption("--minn N", "shortest character n-gram (-minn)", default: "\(fast.minn)"),
                    HelpOption("--maxn N", "longest character n-gram (-maxn; 0: no n-grams)", default: "\(fast.maxn)"),
                    HelpOption("--bucket N", "n-gram hash buckets (-bucket)", default: "\(fast.bucket)"),
                    HelpOption("--fasttext-model M", Word2VecArchitecture.choiceList, default: fast.architecture.rawValue),
                    HelpOption("--fasttext-init", "start only the first min(threads, 10)/10 of the input matrix at random, the rest at zero, as fastText 0.9 does",
                               default: "every row at random"),
                ]),
                HelpSection("svd", [
                    HelpOption("--max-vocab N", "keep the N most frequent words", default: "\(svd.maxVocabulary)"),
                    HelpOption("--eigen-power X", "singular values raised to X", default: "\(svd.eigenvaluePower)"),
                    HelpOption("--power-iterations N", "randomised-SVD power iterations", default: "\(svd.powerIterations)"),
                ]),
            ],
            output: """
                One key=value line: algorithm= vocab= dim= threads= seconds= words_per_s= peak_mib= \
                (glove adds counting_seconds= cooccurrences= training_seconds=) out= format=. Progress goes to standard error.
                """,
            examples: ["vectors-train --algorithm skipgram --corpus corpus.txt --out vectors.bin --dim 100",
                       "vectors-train --algorithm fasttext --corpus corpus.txt --out model.bin"])
    }
    static let flagNames: Set<String> = ["quiet", "fasttext-init", "force"]

    static func run(_ arguments: inout Arguments) throws {
        guard let algorithm = try arguments.choice("algorithm", TrainingAlgorithm.self) else {
            throw CLIError("vectors-train: --algorithm is required: \(TrainingAlgorithm.choiceList) (see `tinyencoder vectors-train --help`)")
        }
        let corpus = try TextCorpus(contentsOf: URL(fileURLWithPath: try arguments.required("corpus")))
        let out = try arguments.required("out")
        let outURL = try arguments.requiredOutput("out", kind: .file)  // before training: an unwritable path fails now
        let format = try arguments.choice("format", VectorFileFormat.self)
            ?? VectorFileFormat.inferred(fromExtensionOf: URL(fileURLWithPath: out), carriesSubwords: algorithm == .fasttext) ?? .word2vecText
        let quiet = arguments.flag("quiet")
        let seed = UInt64(try arguments.int("seed", default: 1, in: 0...Int.max))
        let start = monotonicSeconds()
        let vectors: KeyedVectors
        var report: TrainingReport
        var extra = ""
        switch algorithm {
        case .skipgram, .cbow:
            var config = algorithm == .cbow ? Word2VecConfig.cbow : Word2VecConfig.skipGram
            try readNegativeSampling(&config, &arguments, seed: seed)
            config.minLearningRate = Float(try arguments.double("min-alpha", default: Double(config.minLearningRate), in: 0...10))
            try arguments.rejectUnknown()
            let model = try Word2Vec.train(corpus: corpus, config: config, showProgress: !quiet)
            vectors = model.keyedVectors
            report = model.lastReport ?? TrainingReport(seconds: 0, tokens: 0, threads: Threads.count)
        case .glove:
            var config = GloVeConfig()
            try readPasses(&config, &arguments, seed: seed)
            config.xMax = Float(try arguments.double("x-max", default: Double(config.xMax), in: 1e-9...1e12))
            config.power = Float(try arguments.double("power", default: Double(config.power), in: 0...10))
            config.memoryBudget = try arguments.int("memory-mib", default: config.memoryBudget >> 20, in: 16...1_000_000) << 20
            if let directory = arguments.string("temp-dir") { config.temporaryDirectory = URL(fileURLWithPath: directory) }
            try arguments.rejectUnknown()
            let result = try GloVe.train(corpus: corpus, config: config, showProgress: !quiet)
            vectors = result.keyedVectors
            report = result.training
            extra = String(format: " counting_seconds=%.2f cooccurrences=%d training_seconds=%.2f", result.counting.seconds, result.cooccurrenceCount, result.training.seconds)
        case .fasttext:
            var config = FastTextConfig()
            if let architecture = try arguments.choice("fasttext-model", Word2VecArchitecture.self) { config.architecture = architecture }
            try readNegativeSampling(&config, &arguments, seed: seed)
            config.minn = try arguments.int("minn", default: config.minn, in: 0...100)
            config.maxn = try arguments.int("maxn", default: config.maxn, in: 0...100)
            config.bucket = try arguments.int("bucket", default: config.bucket, in: 0...100_000_000)
            config.fastTextInitialization = arguments.flag("fasttext-init")
            try arguments.rejectUnknown()
            let model = try FastText.train(corpus: corpus, config: config, showProgress: !quiet)
            vectors = model.keyedVectors
            report = model.lastReport ?? TrainingReport(seconds: 0, tokens: 0, threads: Threads.count)
        case .svd:
            var config = CountVectorsConfig()
            try readShared(&config, &arguments, seed: seed)
            config.maxVocabulary = try arguments.int("max-vocab", default: config.maxVocabulary, in: 1...10_000_000)
            config.eigenvaluePower = Float(try arguments.double("eigen-power", default: Double(config.eigenvaluePower), in: 0...1))
            config.powerIterations = try arguments.int("power-iterations", default: config.powerIterations, in: 0...100)
            try arguments.rejectUnknown()
            let result = try CountVectors.train(corpus: corpus, config: config, showProgress: !quiet)
            vectors = result.keyedVectors
            report = result.report
        }
        try VectorFile.write(vectors, to: outURL, format: format)
        let total = monotonicSeconds() - start
        report.threads = Threads.count
        print(String(format: "algorithm=%@ vocab=%d dim=%d threads=%d seconds=%.2f words_per_s=%.0f peak_mib=%.0f",
                     algorithm.rawValue, vectors.count, vectors.dimension, Threads.count, total, report.wordsPerSecond, peakResidentMiB())
              + extra + " out=\(out) format=\(format.rawValue)")
    }

    // MARK: - Options every algorithm shares (WordVectors' config protocols)

    /// --dim, --window, --min-count and the seed: every algorithm.
    static func readShared<Config: WordVectorsTrainingConfig>(_ config: inout Config, _ arguments: inout Arguments, seed: UInt64) throws {
        config.dimension = try arguments.int("dim", default: config.dimension, in: 1...10_000)
        config.window = try arguments.int("window", default: config.window, in: 1...1000)
        config.minCount = try arguments.int("min-count", default: config.minCount, in: 1...Int.max)
        config.seed = seed
    }

    /// The shared options, then --epochs and --alpha: skipgram, cbow, glove, fasttext.
    static func readPasses<Config: PassesTrainingConfig>(_ config: inout Config, _ arguments: inout Arguments, seed: UInt64) throws {
        try readShared(&config, &arguments, seed: seed)
        config.epochs = try arguments.int("epochs", default: config.epochs, in: 1...100_000)
        config.learningRate = Float(try arguments.double("alpha", default: Double(config.learningRate), in: 1e-9...10))
    }

    /// The options of `readPasses`, then --negative and --sample: skipgram, cbow, fasttext.
    static func readNegativeSampling<Config: NegativeSamplingConfig>(_ config: inout Config, _ arguments: inout Arguments,
                                                                     seed: UInt64) throws {
        try readPasses(&config, &arguments, seed: seed)
        config.negative = try arguments.int("negative", default: config.negative, in: 1...1000)
        config.sample = try arguments.double("sample", default: config.sample, in: 0...1)
    }
}
