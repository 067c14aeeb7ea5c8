// `probe --layer N|all`: the linear probe of every layer's sentence vectors (Tenney et al. 2019 probe
// each layer). Each text goes through the model once; SentenceEmbedder.layerSentenceVectors pools
// every asked layer from that one pass, and one logistic regression is fitted per layer.
// Not handled: scalar mixes of layers (Tenney et al.'s "mix" probe); --save-features per layer.

import Encoder
import Evaluation
import Foundation
import Pretraining
import TensorCore

/// What `probe --layer` needs from the command line.
struct LayerProbeOptions {
    var modelPath: String?
    var layers: LayerSelection
    var pooling: PoolingStrategy?
    var inverseRegularization: Double
    var maximumIterations: Int
    var normalize: Bool
    var batch: Int
    var quiet: Bool
    var precision: Precision = .float32
}

extension ProbeCommand {
    /// Embeds train and test once at every asked layer, then probes each layer.
    static func runPerLayer(trainURL: URL, testURL: URL, _ options: LayerProbeOptions) throws {
        let modelURL = try DefaultModel.resolve(options.modelPath)
        if StaticEmbedder.isStaticFolder(modelURL) {
            throw CLIError("probe: \(modelURL.path) is a static model (one vector per token, no layers); --layer needs a Transformer model folder")
        }
        var embedder = try SentenceEmbedder(folder: modelURL, precision: options.precision)
        embedder.truncates = true
        embedder.batchSize = options.batch
        if let pooling = options.pooling { embedder.pooling = Pooling(pooling, normalize: false) }
        let layers = try options.layers.layers(of: embedder)
        let train = try LinearProbe.readExamples(trainURL)
        let test = try LinearProbe.readExamples(testURL)
        let progress = ProgressLine(isEnabled: !options.quiet)
        let start = monotonicSeconds()

        /// [layer position][example][C], from one forward pass per text.
        func embed(_ examples: [ProbeExample], _ what: String) throws -> [[[Float]]] {
            var perLayer = [[[Float]]](repeating: [], count: layers.count)
            var index = 0
            while index < examples.count {
                let chunk = examples[index..<min(index + 1024, examples.count)].map(\.text)
                // Normalised when the folder normalises (as the plain probe's vectors are), so the last
                // layer of a folder without Dense modules gives the plain probe's vectors bit for bit.
                for vectors in try embedder.layerSentenceVectors(chunk, layers: layers, normalize: embedder.pooling.normalize) {   // [layer position][C]
                    for position in layers.indices { perLayer[position].append(vectors[position]) }
                }
                index += chunk.count
                progress.update(force: index == examples.count) { "embedding \(what) at \(layers.count) layers: \(index)/\(examples.count) texts" }
            }
            return options.normalize ? perLayer.map(LinearProbe.normalizedRows) : perLayer
        }
        var trainFeatures = try embed(train, "train")
        var testFeatures = try embed(test, "test")
        progress.finish()
        let embedSeconds = monotonicSeconds() - start

        for (position, layer) in layers.enumerated() {
            let fitStart = monotonicSeconds()
            progress.message("layer \(layer): fitting a \(Set(train.map(\.label)).count)-class logistic regression (L-BFGS)")
            var optimizer = LBFGS()
            optimizer.maximumIterations = options.maximumIterations
            let report = LinearProbe.run(trainFeatures: trainFeatures[position], trainLabels: train.map(\.label),
                                         testFeatures: testFeatures[position], testLabels: test.map(\.label),
                                         inverseRegularization: options.inverseRegularization, optimizer: optimizer)
            (trainFeatures[position], testFeatures[position]) = ([], [])      // free the layer's vectors
            print(String(format: "layer=%d accuracy=%.4f train_accuracy=%.4f classes=%d train=%d test=%d dimension=%d objective=%.4f iterations=%d ",
                         layer, report.accuracy, report.trainAccuracy, report.classes.count, train.count, test.count, embedder.config.width,
                         report.objective, report.optimizer.iterations)
                  + "stop=\(report.optimizer.stop.rawValue) " + String(format: "fit_seconds=%.1f", monotonicSeconds() - fitStart))
            fflush(nil)  // every C stream, stdout included (Swift 6 refuses to read the global `stdout`)
        }
        print(String(format: "layers=%d embed_seconds=%.1f seconds=%.1f threads=%d", layers.count, embedSeconds, monotonicSeconds() - start, Threads.count))
    }
}
