// `tinyencoder probe`: the linear probe of frozen sentence vectors. Each `label<TAB>text` line is
// embedded by a model folder (pooled token vectors) or by averaged static word vectors
// (--vectors), the vectors are L2-normalised as Scripts/peers/supersense_probe.py does, and a
// multinomial logistic regression (L2, C = 1, scikit-learn's objective) is fitted by L-BFGS on our
// autodiff. --save-features writes the vectors and our solution for Scripts/probe_sklearn.py.
// Not handled: choosing C by cross-validation; probes other than linear.

import Encoder
import Evaluation
import Foundation
import Pretraining
import TensorCore

enum ProbeCommand: Command {
    static let name = "probe"
    static let summary = "linear probe of frozen sentence vectors (label<TAB>text files) → accuracy"
    static var help: HelpPage {
        HelpPage(
            usage: ["probe [--model DIR | --vectors FILE] --train FILE --test FILE [--pooling \(PoolingStrategy.choiceList)] [--c C]",
                    "      [--max-iterations N] [--no-normalize] [--batch N] [--precision \(Precision.choiceList)] [--save-features FILE] [--quiet]",
                    "probe [--model DIR] --layer N|all --train FILE --test FILE [--pooling \(PoolingStrategy.choiceList)] [--c C] [...]",
                    "probe --features FILE [--c C] [--max-iterations N] [--no-normalize]"],
            description: "The linear probe of frozen sentence vectors: each \"label<TAB>text\" line is embedded (by a model "
                + "folder, or by averaging static word vectors), the vectors are scaled to unit length, and a multinomial "
                + "logistic regression with scikit-learn's objective (L2, C) is fitted by L-BFGS on the train file and scored on the test file. "
                + "With --layer: the sentence vectors of that layer, or of every layer from one forward pass per text (Tenney et al. 2019's "
                + "probe per layer), each probed on its own.",
            options: [
                HelpOption("--model DIR", "a model folder", default: "$TINYENCODER_MODEL, else the shipped model"),
                HelpOption("--vectors FILE", "average static word vectors instead (word2vec text or .bin, GloVe, fastText .vec or .bin: the file's first bytes tell); words are lowercased and split on characters other than letters, digits, _ and '; a fastText .bin builds unknown words from their n-grams"),
                HelpOption("--train FILE", "label<TAB>text lines to fit on"),
                HelpOption("--test FILE", "label<TAB>text lines to score"),
                HelpOption("--pooling P", PoolingStrategy.choiceList, default: "the folder's, else mean"),
                HelpOption("--layer L", "a layer number 0...L (0 is the embedding output), or all: that layer's tokens pooled, without the folder's Dense modules; every layer comes from the same forward pass",
                           default: "the model's output"),
                HelpOption("--c C", "inverse L2 strength, as scikit-learn's LogisticRegression(C=…)", default: "1"),
                HelpOption("--max-iterations N", "L-BFGS iterations at most", default: "2000"),
                HelpOption("--no-normalize", "keep the sentence vectors' length", default: "scaled to unit length"),
                HelpOption("--batch N", "texts per forward pass", default: "64"),
                precisionHelpOption,
                HelpOption("--save-features FILE", "write the vectors, labels and our W, b as safetensors (train.x, train.y, test.x, test.y, ours.coef, ours.intercept; metadata \"classes\"), for Scripts/probe_sklearn.py"),
                HelpOption("--features FILE", "probe the vectors of such a file instead of embedding texts"),
                HelpOption("--quiet", "no progress line"),
                forceHelpOption,
            ],
            output: """
                One key=value line: accuracy= train_accuracy= classes= train= test= dimension= objective= iterations= \
                stop= embed_seconds= seconds= threads= (accuracies and the objective with 4 decimals; --features: no embed_seconds=).
                --layer: one line per layer, "layer=L" then the same keys up to stop= and fit_seconds=; then one line \
                layers= embed_seconds= (the one embedding pass for every layer) seconds= threads=.
                """,
            examples: ["probe --train supersense-train.tsv --test supersense-test.tsv",
                       "probe --model all-MiniLM-L6-v2 --layer all --train supersense-train.tsv --test supersense-test.tsv",
                       "probe --vectors vectors.bin --train supersense-train.tsv --test supersense-test.tsv"])
    }
    static let flagNames: Set<String> = ["no-normalize", "quiet", "force"]

    static func run(_ arguments: inout Arguments) throws {
        if let features = arguments.string("features") {
            return try runOnFeatures(URL(fileURLWithPath: features), &arguments)
        }
        let trainURL = URL(fileURLWithPath: try arguments.required("train"))
        let testURL = URL(fileURLWithPath: try arguments.required("test"))
        let modelPath = arguments.string("model")
        let vectorsPath = arguments.string("vectors")
        let pooling = try arguments.choice("pooling", PoolingStrategy.self)
        let c = try arguments.double("c", default: 1, in: 1e-9...1e9)
        let maximumIterations = try arguments.int("max-iterations", default: 2000, in: 1...1_000_000)
        let normalize = !arguments.flag("no-normalize")
        let batch = try arguments.int("batch", default: 64, in: 1...4096)
        let featuresURL = try arguments.output("save-features", kind: .file)
        let quiet = arguments.flag("quiet")
        let precision = try arguments.precision()
        let layerSelection = try arguments.string("layer").map { try LayerSelection.parse($0, command: "probe") }
        try arguments.rejectUnknown()
        if vectorsPath != nil && precision != .float32 {
            throw CLIError("probe: --precision applies to --model (static word vectors are averaged, not multiplied)")
        }
        guard modelPath == nil || vectorsPath == nil else { throw CLIError("probe: give --model or --vectors, not both") }
        if let layerSelection {
            if vectorsPath != nil { throw CLIError("probe: --layer applies to a Transformer model folder, not to --vectors") }
            if featuresURL != nil { throw CLIError("probe: --save-features writes one layer's vectors; leave out --layer, or --save-features") }
            let options = LayerProbeOptions(modelPath: modelPath, layers: layerSelection, pooling: pooling, inverseRegularization: c,
                                            maximumIterations: maximumIterations, normalize: normalize, batch: batch, quiet: quiet,
                                            precision: precision)
            return try runPerLayer(trainURL: trainURL, testURL: testURL, options)
        }
        if vectorsPath != nil && pooling != nil { throw CLIError("probe: --pooling applies to --model, not to --vectors") }
        let progress = ProgressLine(isEnabled: !quiet)

        let train = try LinearProbe.readExamples(trainURL)
        let test = try LinearProbe.readExamples(testURL)
        let start = monotonicSeconds()
        var trainFeatures: [[Float]]
        var testFeatures: [[Float]]
        if let vectorsPath {
            let vectors = try AveragedWordVectors(contentsOf: URL(fileURLWithPath: vectorsPath))
            trainFeatures = try vectors.embed(train.map(\.text), normalize: false)
            testFeatures = try vectors.embed(test.map(\.text), normalize: false)
        } else {
            let modelURL = try DefaultModel.resolve(modelPath)
            let embedder: any TextEmbedding
            if StaticEmbedder.isStaticFolder(modelURL) {   // distill-static's folders: a text is the mean of its tokens' vectors
                if pooling != nil { throw CLIError("probe: \(modelURL.path) is a static model (mean of token vectors); --pooling needs a Transformer model folder") }
                embedder = try loadTextEmbedder(folder: modelURL, precision: precision)
            } else {
                var transformer = try SentenceEmbedder(folder: modelURL, precision: precision)
                transformer.truncates = true
                transformer.batchSize = batch
                if let pooling { transformer.pooling = Pooling(pooling, normalize: false) }
                embedder = transformer
            }
            func embed(_ examples: [ProbeExample], _ what: String) throws -> [[Float]] {
                var rows: [[Float]] = []
                rows.reserveCapacity(examples.count)
                var index = 0
                while index < examples.count {
                    let chunk = examples[index..<min(index + 1024, examples.count)].map(\.text)
                    rows += try embedder.embed(chunk, normalize: false)
                    index += chunk.count
                    progress.update(force: index == examples.count) { "embedding \(what): \(index)/\(examples.count) texts" }
                }
                return rows
            }
            trainFeatures = try embed(train, "train")
            testFeatures = try embed(test, "test")
            progress.finish()
        }
        if normalize {
            trainFeatures = LinearProbe.normalizedRows(trainFeatures)
            testFeatures = LinearProbe.normalizedRows(testFeatures)
        }
        let embedSeconds = monotonicSeconds() - start
        progress.message("fitting a \(Set(train.map(\.label)).count)-class logistic regression on \(train.count) vectors of \(trainFeatures.first?.count ?? 0) dimensions (L-BFGS)")
        var optimizer = LBFGS()
        optimizer.maximumIterations = maximumIterations
        let report = LinearProbe.run(trainFeatures: trainFeatures, trainLabels: train.map(\.label), testFeatures: testFeatures,
                                     testLabels: test.map(\.label), inverseRegularization: c, optimizer: optimizer)
        if let featuresURL {
            let index = Dictionary(uniqueKeysWithValues: report.classes.enumerated().map { ($1, Float($0)) })
            func matrix(_ rows: [[Float]]) -> Tensor { Tensor(shape: [rows.count, rows.first?.count ?? 0], scalars: rows.flatMap { $0 }) }
            try Safetensors.write([("train.x", matrix(trainFeatures)), ("train.y", Tensor(shape: [train.count], scalars: train.map { index[$0.label] ?? -1 })),
                                   ("test.x", matrix(testFeatures)), ("test.y", Tensor(shape: [test.count], scalars: test.map { index[$0.label] ?? -1 })),
                                   ("ours.coef", report.model.weight), ("ours.intercept", report.model.bias)],
                                  metadata: ["classes": report.classes.joined(separator: ","), "c": "\(c)"],
                                  to: featuresURL)
        }
        print(String(format: "accuracy=%.4f train_accuracy=%.4f classes=%d train=%d test=%d dimension=%d objective=%.4f iterations=%d ",
                     report.accuracy, report.trainAccuracy, report.classes.count, train.count, test.count, trainFeatures.first?.count ?? 0,
                     report.objective, report.optimizer.iterations)
              + "stop=\(report.optimizer.stop.rawValue) "
              + String(format: "embed_seconds=%.1f seconds=%.1f threads=%d", embedSeconds, monotonicSeconds() - start, Threads.count))
    }

    /// `--features FILE`: the probe on precomputed vectors.
    static func runOnFeatures(_ url: URL, _ arguments: inout Arguments) throws {
        let c = try arguments.double("c", default: 1, in: 1e-9...1e9)
        let maximumIterations = try arguments.int("max-iterations", default: 2000, in: 1...1_000_000)
        try arguments.rejectUnknown()
        let file = try Safetensors.read(url)
        let names = file.metadata["classes"]?.split(separator: ",").map(String.init) ?? []
        func rows(_ name: String) throws -> [[Float]] {
            let matrix = try file.tensor(name, file: url.path)
            guard matrix.rank == 2 else {
                throw FileError(.malformed, file: url.path, field: name, problem: "has shape \(matrix.shape), not [N, D]", fix: "Store one vector per row")
            }
            let values = matrix.scalars, width = matrix.shape[1]
            return (0..<matrix.shape[0]).map { Array(values[($0 * width)..<(($0 + 1) * width)]) }
        }
        func labels(_ name: String, count: Int) throws -> [String] {
            let values = try file.tensor(name, file: url.path).scalars
            guard values.count == count else {
                throw FileError(.mismatch, file: url.path, field: name, problem: "has \(values.count) labels for \(count) vectors", fix: "Store one label per row")
            }
            return try values.map { value in
                guard value.isFinite, value.rounded() == value, abs(value) < 1e9 else {
                    throw FileError(.malformed, file: url.path, field: name, problem: "holds \(value), which is not a class index",
                                    fix: "Store labels as whole numbers (indices into the \"classes\" metadata)")
                }
                let index = Int(value)
                return index >= 0 && index < names.count ? names[index] : String(format: "%08d", index)
            }
        }
        let start = monotonicSeconds()
        let (trainX, testX) = (try rows("train.x"), try rows("test.x"))
        guard let width = trainX.first?.count, width > 0 else {
            throw FileError(.malformed, file: url.path, field: "train.x", problem: trainX.isEmpty ? "holds no vectors" : "holds vectors of no dimensions",
                            fix: "Store the training vectors as a non-empty [N, D] matrix")
        }
        if let testWidth = testX.first?.count, testWidth != width {
            throw FileError(.mismatch, file: url.path, field: "test.x", problem: "has \(testWidth) dimensions but train.x has \(width)",
                            fix: "Store training and test vectors from the same model")
        }
        let (trainY, testY) = (try labels("train.y", count: trainX.count), try labels("test.y", count: testX.count))
        var optimizer = LBFGS()
        optimizer.maximumIterations = maximumIterations
        let report = LinearProbe.run(trainFeatures: trainX, trainLabels: trainY, testFeatures: testX, testLabels: testY,
                                     inverseRegularization: c, optimizer: optimizer)
        print(String(format: "accuracy=%.4f train_accuracy=%.4f classes=%d train=%d test=%d dimension=%d objective=%.4f iterations=%d ",
                     report.accuracy, report.trainAccuracy, report.classes.count, trainX.count, testX.count, trainX.first?.count ?? 0,
                     report.objective, report.optimizer.iterations)
              + "stop=\(report.optimizer.stop.rawValue) " + String(format: "seconds=%.1f threads=%d", monotonicSeconds() - start, Threads.count))
    }
}
