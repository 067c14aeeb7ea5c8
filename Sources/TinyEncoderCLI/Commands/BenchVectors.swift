// `tinyencoder bench vectors`: training throughput of the word-vector trainers in words per second:
// every corpus token of every epoch over the wall time from reading the corpus to trained vectors
// (vocabulary counting and initialisation included), as Scripts/peers/gensim_vectors.py and
// fasttext_vectors.py measure theirs; GloVe's figure is over its training passes only, as
// glove_c.sh times counting and training apart. Also the thread count and peak RSS.
// Not handled: statistics over runs (Scripts/wordvectors/bench_vectors.sh alternates with the peers).

import Foundation
import TensorCore
import WordVectors

/// The algorithms `bench vectors` times (the peer scripts have these four).
enum BenchedAlgorithm: String, OptionChoice {
    case skipgram, cbow, fasttext, glove
}

enum VectorsBenchmark: Benchmark {
    static let kind = "vectors"
    static let synopsis = "vectors --corpus FILE [--algorithm \(BenchedAlgorithm.choiceList)] [--epochs N]"
    static let options = [
        HelpOption("--corpus FILE", "the training text"),
        HelpOption("--algorithm A", BenchedAlgorithm.choiceList, default: "skipgram"),
        HelpOption("--epochs N", "passes", default: "1"),
    ]
    static let output = """
        vectors: "algorithm= threads= epochs= words= seconds= words_per_s= training_words_per_s= peak_mib=" (words_per_s counts counting, initialisation and training, as the peer scripts do; glove: corpus tokens × epochs / training time, plus counting_seconds= training_seconds=)
        """

    static func run(_ arguments: inout Arguments) throws {
        let corpus = try TextCorpus(contentsOf: URL(fileURLWithPath: try arguments.required("corpus")))
        let algorithm = try arguments.choice("algorithm", default: BenchedAlgorithm.skipgram).rawValue
        let epochs = try arguments.int("epochs", default: 1, in: 1...1000)
        try arguments.rejectUnknown()
        var report: TrainingReport
        var extra = ""
        let start = monotonicSeconds()
        switch algorithm {
        case "skipgram", "cbow":
            var config = algorithm == "cbow" ? Word2VecConfig.cbow : Word2VecConfig.skipGram
            config.epochs = epochs
            let model = try Word2Vec.train(corpus: corpus, config: config, showProgress: false)
            report = model.lastReport!
        case "fasttext":
            var config = FastTextConfig()
            config.epochs = epochs
            let model = try FastText.train(corpus: corpus, config: config, showProgress: false)
            report = model.lastReport!
        case "glove":
            var config = GloVeConfig()
            config.epochs = epochs
            config.window = 10
            config.xMax = 10
            let result = try GloVe.train(corpus: corpus, config: config, showProgress: false)
            report = result.training
            extra = String(format: " counting_seconds=%.2f training_seconds=%.2f", result.counting.seconds, result.training.seconds)
        default:
            throw CLIError("bench vectors: --algorithm must be skipgram, cbow, fasttext or glove")
        }
        let total = monotonicSeconds() - start
        let overall = algorithm == "glove" ? report.wordsPerSecond : Double(report.tokens) / max(total, 1e-9)
        print(String(format: "algorithm=%@ threads=%d epochs=%d words=%d seconds=%.2f words_per_s=%.0f training_words_per_s=%.0f peak_mib=%.0f",
                     algorithm, Threads.count, epochs, report.tokens, total, overall, report.wordsPerSecond, peakResidentMiB()) + extra)
    }
}
