// `tinyencoder init-report`: what static word vectors would cover of a tokenizer's vocabulary if
// they initialised an encoder's token embedding (StaticVectorInitialization): exact words,
// composed sub-words and random rows, as counts and as shares of the vocabulary and of a corpus's
// tokens, with examples, the dimension mapping and warnings. Nothing is written.
// Not handled: comparing several vector files in one call (run it once per file).

import Encoder
import Foundation
import Pretraining
import StaticVectorInitialization
import TensorCore
import Tokenization
import WordVectors

enum InitReportCommand: Command {
    static let name = "init-report"
    static let summary = "coverage of a tokenizer's vocabulary by static vectors (for pretrain --init-vectors)"
    static var help: HelpPage {
        HelpPage(
            usage: ["init-report --tokenizer FILE --vectors FILE [--format F] [--corpus FILE ...] [--max-bytes N]",
                    "            [--width C] [--projection \(DimensionMapping.choiceList)] [--quiet]"],
            description: "What static word vectors would cover of a tokenizer's vocabulary if they initialised an "
                + "encoder's token embedding (pretrain --init-vectors): tokens that are whole words, sub-words composed "
                + "from n-grams (fastText .bin) or from the corpus words they occur in, and rows left random. Nothing is written.",
            options: [
                HelpOption("--tokenizer FILE", "HF tokenizer.json (its special added tokens keep random rows)"),
                HelpOption("--vectors FILE", "word2vec (text or binary), GloVe or fastText (.vec, or a .bin model, whose n-grams compose sub-words)"),
                HelpOption("--format F", VectorFileFormat.choiceList, default: "told from the file's first bytes"),
                HelpOption("--corpus FILE", "text to count tokens and words in: gives the shares of corpus tokens, the frequency-weighted mean for sub-words, and which tokens are whole words; repeatable"),
                HelpOption("--max-bytes N", "count only the first N bytes of each corpus file", default: "all"),
                HelpOption("--width C", "model width for the mapping line", default: "the vectors' dimension"),
                HelpOption("--projection M", DimensionMapping.choiceList, default: "auto: PCA down, zero-padding up"),
                HelpOption("--quiet", "no progress line"),
            ],
            output: """
                The coverage table (text), then one key=value line: exact= composed= random= vocab= exact_vocab_share= … \
                exact_corpus_share= … dim= width= mapping= warnings=.
                """,
            examples: ["init-report --tokenizer tokenizer.json --vectors vectors.bin --corpus corpus.txt"])
    }
    static let flagNames: Set<String> = ["quiet"]

    static func run(_ arguments: inout Arguments) throws {
        let tokenizerURL = URL(fileURLWithPath: try arguments.required("tokenizer"))
        let vectorsPath = try arguments.required("vectors")
        let format = try arguments.choice("format", VectorFileFormat.self)
        let corpora = arguments.strings("corpus").map { URL(fileURLWithPath: $0) }
        let maximumBytes = try arguments.string("max-bytes").map { _ in try arguments.int("max-bytes", default: 0, in: 1...Int.max) }
        let widthOption = try arguments.string("width").map { _ in try arguments.int("width", default: 0, in: 1...65536) }
        let mapping = try arguments.choice("projection", default: DimensionMapping.automatic)
        let quiet = arguments.flag("quiet")
        try arguments.rejectUnknown()

        let progress = ProgressLine(isEnabled: !quiet)
        let tokenizer = try Tokenizer(contentsOf: tokenizerURL)
        let vectors = try StaticVectors.read(URL(fileURLWithPath: vectorsPath), format: format)
        var statistics: TokenCorpusStatistics?
        if !corpora.isEmpty {
            let start = monotonicSeconds()
            statistics = try TokenCorpusStatistics.count(files: corpora, tokenizer: tokenizer, maximumBytes: maximumBytes,
                                                         threads: Threads.count) { done, total in
                progress.update { countingText(done: done, total: total, since: start) }
            }
            progress.finish()
        }
        // The random rows an encoder of this width would start from (BERT: truncated normal, σ = 0.02, zero [PAD]).
        let width = widthOption ?? vectors.dimension
        var generator = SeededGenerator(seed: 0)
        var random = generator.truncatedNormal(shape: [tokenizer.vocabularySize, width], standardDeviation: 0.02)
        if let pad = tokenizer.id(forToken: "[PAD]") ?? tokenizer.id(forToken: "<pad>") {
            random.withUnsafeMutableBufferPointer { values in for column in 0..<width { values[pad * width + column] = 0 } }
        }
        let built = try StaticInitialization(tokenizer: tokenizer, vectors: vectors, statistics: statistics, random: random,
                                             options: StaticInitializationOptions(mapping: mapping))
        print(built.report.text)
        print(built.report.keyValueLine)
    }

    /// "counting tokens for the static initialisation: 12.3/42.8 MB, 3.1 MB/s, ETA 10s".
    static func countingText(done: Int, total: Int, since start: Double) -> String {
        let seconds = max(monotonicSeconds() - start, 1e-9)
        let rate = Double(done) / seconds
        let eta = rate > 0 ? Double(max(total - done, 0)) / rate : .infinity
        return String(format: "counting tokens for the static initialisation: %.1f/%.1f MB, %.1f MB/s, ETA %@",
                      Double(done) / 1e6, Double(total) / 1e6, rate / 1e6, ProgressFormat.duration(eta))
    }
}
