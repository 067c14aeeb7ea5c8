// `tinyencoder vectors-train`: trains static word vectors on a text corpus (one sentence per line)
// with word2vec skip-gram or CBOW, GloVe, fastText, or PPMI + truncated SVD, and writes them.
// Options mirror the original tools' flags; unset options keep each algorithm's own defaults.
// Not handled: resuming a run; writing fastText .bin (n-gram rows are kept only in memory).

import Foundation
import TensorCore
import WordVectors

enum VectorsTrainCommand: Command {
    static let name = "vectors-train"
    static let summary = "train word vectors: skipgram | cbow | glove | fasttext | svd"
    static let usage = """
        usage: tinyencoder vectors-train --algorithm skipgram|cbow|glove|fasttext|svd --corpus FILE --out FILE
                   [--format F] [--dim N] [--window N] [--negative N] [--epochs N] [--min-count N]
                   [--sample X] [--threads N] [--seed N] [--alpha X] [--min-alpha X]
                   glove:    [--x-max X] [--power X] [--memory-mib N] [--temp-dir DIR]
                   fasttext: [--minn N] [--maxn N] [--bucket N] [--fasttext-model skipgram|cbow] [--fasttext-init]
                   svd:      [--max-vocab N] [--eigen-power X] [--power-iterations N]
          --format defaults from the extension: .bin → word2vec-bin, .vec/.txt → word2vec-txt
          defaults: skipgram/cbow as gensim (window 5, negative 5, epochs 5, sample 1e-3, alpha 0.025);
          glove as the GloVe C tools (window 15, x-max 100, power 0.75, alpha 0.05, epochs 25);
          fasttext as fastText (minn 3, maxn 6, bucket 2000000, alpha 0.05, sample 1e-4, epochs 5);
          --fasttext-init starts only the first min(threads, 10)/10 of the input matrix at random and the
          rest at zero, as fastText 0.9's initialisation does (default: every row at random).
          svd: window 5, PPMI with context smoothing 0.75, eigen-power 0.5.
          Prints one line: algorithm= vocab= dim= threads= seconds= words_per_s= peak_mib= out=
        """
    static let flagNames: Set<String> = ["quiet", "fasttext-init"]

    static func run(_ arguments: inout Arguments) throws {
        let algorithm = try arguments.required("algorithm")
        let corpus = try TextCorpus(path: try arguments.required("corpus"))
        let out = try arguments.required("out")
        let format = try parseFormat(arguments.string("format")) ?? VectorFileFormat.inferred(fromPath: out)
        let quiet = arguments.flag("quiet")
        let seed = UInt64(try arguments.int("seed", default: 1, in: 0...Int.max))
        let start = monotonicSeconds()
        let vectors: KeyedVectors
        var report: TrainingReport
        var extra = ""
        switch algorithm {
        case "skipgram", "cbow":
            var config = algorithm == "cbow" ? Word2VecConfig.cbow : Word2VecConfig.skipGram
            config.dimension = try arguments.int("dim", default: config.dimension, in: 1...10_000)
            config.window = try arguments.int("window", default: config.window, in: 1...1000)
            config.negative = try arguments.int("negative", default: config.negative, in: 1...1000)
            config.epochs = try arguments.int("epochs", default: config.epochs, in: 1...100_000)
            config.minCount = try arguments.int("min-count", default: config.minCount, in: 1...Int.max)
            config.sample = try arguments.double("sample", default: config.sample, in: 0...1)
            config.learningRate = Float(try arguments.double("alpha", default: Double(config.learningRate), in: 1e-9...10))
            config.minLearningRate = Float(try arguments.double("min-alpha", default: Double(config.minLearningRate), in: 0...10))
            config.seed = seed
            try arguments.rejectUnknown()
            let model = try Word2Vec.train(corpus: corpus, config: config, showProgress: !quiet)
            vectors = model.keyedVectors
            report = model.lastReport ?? TrainingReport(seconds: 0, tokens: 0, threads: Threads.count)
        case "glove":
            var config = GloVeConfig()
            config.dimension = try arguments.int("dim", default: config.dimension, in: 1...10_000)
            config.window = try arguments.int("window", default: config.window, in: 1...1000)
            config.epochs = try arguments.int("epochs", default: config.epochs, in: 1...100_000)
            config.minCount = try arguments.int("min-count", default: config.minCount, in: 1...Int.max)
            config.learningRate = Float(try arguments.double("alpha", default: Double(config.learningRate), in: 1e-9...10))
            config.xMax = Float(try arguments.double("x-max", default: Double(config.xMax), in: 1e-9...1e12))
            config.power = Float(try arguments.double("power", default: Double(config.power), in: 0...10))
            config.memoryBudget = try arguments.int("memory-mib", default: config.memoryBudget >> 20, in: 16...1_000_000) << 20
            if let directory = arguments.string("temp-dir") { config.temporaryDirectory = directory }
            config.seed = seed
            try arguments.rejectUnknown()
            let result = try GloVe.train(corpus: corpus, config: config, showProgress: !quiet)
            vectors = result.keyedVectors
            report = result.training
            extra = String(format: " counting_seconds=%.2f cooccurrences=%d training_seconds=%.2f", result.counting.seconds, result.cooccurrenceCount, result.training.seconds)
        case "fasttext":
            var config = FastTextConfig()
            if let model = arguments.string("fasttext-model") {
                guard let architecture = Word2VecArchitecture(rawValue: model) else { throw CLIError("vectors-train: --fasttext-model is skipgram or cbow") }
                config.architecture = architecture
            }
            config.dimension = try arguments.int("dim", default: config.dimension, in: 1...10_000)
            config.window = try arguments.int("window", default: config.window, in: 1...1000)
            config.negative = try arguments.int("negative", default: config.negative, in: 1...1000)
            config.epochs = try arguments.int("epochs", default: config.epochs, in: 1...100_000)
            config.minCount = try arguments.int("min-count", default: config.minCount, in: 1...Int.max)
            config.sample = try arguments.double("sample", default: config.sample, in: 0...1)
            config.learningRate = Float(try arguments.double("alpha", default: Double(config.learningRate), in: 1e-9...10))
            config.minn = try arguments.int("minn", default: config.minn, in: 0...100)
            config.maxn = try arguments.int("maxn", default: config.maxn, in: 0...100)
            config.bucket = try arguments.int("bucket", default: config.bucket, in: 0...100_000_000)
            config.fastTextInitialization = arguments.flag("fasttext-init")
            config.seed = seed
            try arguments.rejectUnknown()
            let model = try FastText.train(corpus: corpus, config: config, showProgress: !quiet)
            vectors = model.keyedVectors
            report = model.lastReport ?? TrainingReport(seconds: 0, tokens: 0, threads: Threads.count)
        case "svd":
            var config = CountVectorsConfig()
            config.dimension = try arguments.int("dim", default: config.dimension, in: 1...10_000)
            config.window = try arguments.int("window", default: config.window, in: 1...1000)
            config.minCount = try arguments.int("min-count", default: config.minCount, in: 1...Int.max)
            config.maxVocabulary = try arguments.int("max-vocab", default: config.maxVocabulary, in: 1...10_000_000)
            config.eigenvaluePower = Float(try arguments.double("eigen-power", default: Double(config.eigenvaluePower), in: 0...1))
            config.powerIterations = try arguments.int("power-iterations", default: config.powerIterations, in: 0...100)
            config.seed = seed
            try arguments.rejectUnknown()
            let result = try CountVectors.train(corpus: corpus, config: config, showProgress: !quiet)
            vectors = result.keyedVectors
            report = result.report
        default:
            throw CLIError("vectors-train: --algorithm must be skipgram, cbow, glove, fasttext or svd, got \"\(algorithm)\"")
        }
        try VectorFile.write(vectors, path: out, format: format)
        let total = monotonicSeconds() - start
        report.threads = Threads.count
        print(String(format: "algorithm=%@ vocab=%d dim=%d threads=%d seconds=%.2f words_per_s=%.0f peak_mib=%.0f",
                     algorithm, vectors.count, vectors.dimension, Threads.count, total, report.wordsPerSecond, peakResidentMiB())
              + extra + " out=\(out) format=\(format.rawValue)")
    }
}
