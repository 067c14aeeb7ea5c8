// sentence-transformers Dense modules and whitening: the affine map and tanh against hand values,
// the whitening of a sample whose covariance is worked out by hand, a folder round trip whose
// modules.json puts Dense between Pooling and Normalize (and the embedder applying them in that
// order), and bad module files giving errors that name the file and field.
import Encoder
import Foundation
import Testing
import TensorCore
import TestSupport

@Suite struct DenseModuleTests {
    let module = DenseModule(weight: Tensor(shape: [2, 2], scalars: [1, 2, 0, -1]), bias: Tensor(shape: [2], scalars: [0.5, 0]))

    @Test func affineAndTanhMatchHandValues() {
        // [1, 1]·Wᵀ + b = [1 + 2 + 0.5, 0 − 1 + 0] = [3.5, −1].
        let x = Tensor(shape: [1, 2], scalars: [1, 1])
        #expect(module(x).scalars == [3.5, -1])
        var squashed = module
        squashed.activation = .tanh
        let y = squashed(x).scalars
        #expect(abs(y[0] - 0.998178) < 1e-6 && abs(y[1] + 0.761594) < 1e-6)
    }

    @Test func whiteningOfAHandWorkedSample() throws {
        // Samples (±1, 0), (0, ±2): mean 0, covariance (1/N) Σ x xᵀ = diag(0.5, 2). Directions in
        // descending variance: e₂ (λ = 2), then e₁ (λ = 0.5); W's rows are e₂/√2 and e₁/√0.5 (up to sign).
        let samples: [[Float]] = [[1, 0], [-1, 0], [0, 2], [0, -2]]
        let whitening = try #require(DenseModule.whitening(samples: samples))
        let w = whitening.weight.scalars.map(abs)
        #expect(zip(w, [0, 0.707107, 1.414214, 0]).allSatisfy { abs($0 - $1) < 1e-5 }, "\(w)")
        #expect(whitening.bias!.scalars.allSatisfy { abs($0) < 1e-6 })
        // The whitened sample has covariance I.
        let y = whitening(Tensor(shape: [4, 2], scalars: samples.flatMap { $0 })).scalars
        for (i, j) in [(0, 0), (0, 1), (1, 1)] {
            let value = (0..<4).reduce(Float(0)) { $0 + y[$1 * 2 + i] * y[$1 * 2 + j] } / 4
            #expect(abs(value - (i == j ? 1 : 0)) < 1e-5, "covariance[\(i)][\(j)] = \(value)")
        }
        #expect(DenseModule.whitening(samples: [[1, 1]]) == nil)                 // one sample
        // A direction with no variance is dropped by default, refused when asked for.
        #expect(DenseModule.whitening(samples: [[1, 0], [2, 0], [3, 0]])?.outFeatures == 1)
        #expect(DenseModule.whitening(samples: [[1, 0], [2, 0], [3, 0]], dimensions: 2) == nil)
    }

    @Test func folderRoundTripAppliesDenseBeforeNormalize() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("te-dense-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = EncoderConfig(vocabularySize: 2000, width: 2, layerCount: 1, headCount: 1, maxPositions: 24,
                                   hiddenDropout: 0, attentionDropout: 0)
        try ModelFolder.save(MaskedLanguageModel(config: config, seed: 4), pooling: Pooling(.mean, normalize: true),
                             tokenizerJSON: try Data(contentsOf: fixtureURL("Encoder/tokenizer-2k.json")), to: folder, dense: [module])
        let modules = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("modules.json"))) as! [[String: Any]]
        #expect(modules.map { $0["path"] as! String } == ["", "1_Pooling", "2_Dense", "3_Normalize"])
        var embedder = try SentenceEmbedder(folder: folder)
        #expect(embedder.dense == [module])
        let withDense = try embedder.embed(["A man is playing a guitar."])[0]
        embedder.dense = []
        embedder.pooling = Pooling(.mean)
        let pooled = try embedder.embed(["A man is playing a guitar."])[0]
        let mapped = module(Tensor(shape: [1, 2], scalars: pooled)).scalars
        let norm = mapped.map { $0 * $0 }.reduce(0, +).squareRoot()
        #expect(maxScaledError(withDense, mapped.map { $0 / norm }) < 1e-5)
    }

    @Test func badModuleFilesNameFileAndField() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("te-dense-bad-\(UInt32.random(in: 0...UInt32.max))")
        defer { try? FileManager.default.removeItem(at: folder) }
        try module.write(to: folder.appendingPathComponent("2_Dense"))
        let configURL = folder.appendingPathComponent("2_Dense/config.json")
        // out_features contradicting the weights.
        try Data(#"{"in_features": 2, "out_features": 3, "bias": true, "activation_function": "torch.nn.modules.linear.Identity"}"#.utf8).write(to: configURL)
        #expect { try DenseModule.read(folder.appendingPathComponent("2_Dense")) } throws: { "\($0)".contains("linear.weight") && "\($0)".contains("model.safetensors") }
        // An activation we do not have.
        try Data(#"{"in_features": 2, "out_features": 2, "activation_function": "torch.nn.modules.activation.ReLU"}"#.utf8).write(to: configURL)
        #expect { try DenseModule.read(folder.appendingPathComponent("2_Dense")) } throws: { "\($0)".contains("activation_function") }
        // No weights file.
        try FileManager.default.removeItem(at: folder.appendingPathComponent("2_Dense/model.safetensors"))
        try Data(#"{"in_features": 2, "out_features": 2}"#.utf8).write(to: configURL)
        #expect { try DenseModule.read(folder.appendingPathComponent("2_Dense")) } throws: { "\($0)".contains("model.safetensors") }
    }
}
