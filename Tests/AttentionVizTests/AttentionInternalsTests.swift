// AttentionInternals against a hand computation (one head, with Q forced to 0 so every number is
// exact: P = 1/4, entropy 2 bits, each output row = the mean of V), against a Double recomputation
// from the weights, against EncoderTrace (heads put back together give the traced tensors), and
// its gradients against the attention backward's equations and a central difference through the
// query weights. Also: labels from a real tokenizer and the typed errors.
import Autograd
import AttentionViz
import Encoder
import Foundation
import NeuralNetwork
import Testing
import TensorCore
import TestSupport

@Suite struct AttentionInternalsTests {
    static func oneHeadModel() -> MaskedLanguageModel {
        let config = EncoderConfig(vocabularySize: 16, width: 4, layerCount: 1, headCount: 1, intermediateSize: 8, maxPositions: 8,
                                   hiddenDropout: 0, attentionDropout: 0, initializerRange: 0.5)
        return MaskedLanguageModel(config: config, seed: 3)
    }

    static func fourHeadModel() -> MaskedLanguageModel {
        let config = EncoderConfig(vocabularySize: 40, width: 16, layerCount: 2, headCount: 4, intermediateSize: 24, maxPositions: 12,
                                   hiddenDropout: 0, attentionDropout: 0, initializerRange: 0.3)
        return MaskedLanguageModel(config: config, seed: 7)
    }

    /// x·Wᵀ + b in Double for x [T, C], W [C, C].
    static func project(_ x: [Float], _ layer: Linear, tokens t: Int) -> [[Double]] {
        let w = layer.weight.value.scalars, b = layer.bias?.value.scalars ?? []
        let c = layer.inFeatures
        return (0..<t).map { token in
            (0..<layer.outFeatures).map { out in
                var sum = b.isEmpty ? 0.0 : Double(b[out])
                for k in 0..<c { sum += Double(x[token * c + k]) * Double(w[out * c + k]) }
                return sum
            }
        }
    }

    @Test func queryZeroGivesUniformAttentionExactly() throws {
        let model = Self.oneHeadModel()
        let attention = model.encoder.layers[0].attention
        attention.query.weight.value = Tensor(zeros: [4, 4])
        attention.query.bias!.value = Tensor(zeros: [4])
        let internals = try AttentionInternals.capture(model: model, ids: [2, 5, 7, 3])
        let head = internals.layer(0).head(0)
        // Q = 0 ⇒ S = Q Kᵀ/√4 = 0 ⇒ P_ij = e⁰ / Σ_j e⁰ = 1/4 for every (i, j): exact in Float.
        #expect(head.query.values.allSatisfy { $0 == 0 })
        #expect(head.scores.values.allSatisfy { $0 == 0 })
        #expect(head.probabilities.values.allSatisfy { $0 == 0.25 })
        // Entropy of a uniform row over 4 keys: −4 · ¼ · log₂ ¼ = 2 bits.
        #expect(abs(head.entropy(query: 0) - 2) < 1e-12 && abs(head.meanEntropy - 2) < 1e-12)
        // O = P V with P = ¼ everywhere: every output row is the mean of V's rows.
        for feature in 0..<4 {
            let mean = (0..<4).map { Double(head.value[token: $0, feature: feature]) }.reduce(0, +) / 4
            for token in 0..<4 { #expect(abs(Double(head.output[token: token, feature: feature]) - mean) < 1e-6) }
        }
        #expect(head.mask.values.allSatisfy { $0 == 1 })
        #expect(internals.loss == nil && head.gradients == nil)
    }

    @Test func oneHeadMatchesARecomputationFromTheWeights() throws {
        let model = Self.oneHeadModel()
        let ids = [2, 5, 7, 3]
        let trace = try EncoderTrace.run(model: model, ids: ids)
        let x = trace.first { $0.name == "embeddings" }!.tensor.scalars   // the block's input, [1, 4, 4]
        let internals = try AttentionInternals.capture(model: model, ids: ids)
        let head = internals.layer(0).head(0)
        let attention = model.encoder.layers[0].attention
        let q = Self.project(x, attention.query, tokens: 4), k = Self.project(x, attention.key, tokens: 4)
        let v = Self.project(x, attention.value, tokens: 4)
        for i in 0..<4 {
            // S_ij = Σ_d Q_id K_jd / √4;  P_ij = exp(S_ij − max) / Σ exp(S_ik − max);  O_id = Σ_j P_ij V_jd
            let s = (0..<4).map { j in (0..<4).map { q[i][$0] * k[j][$0] }.reduce(0, +) / 2 }
            let m = s.max()!
            let e = s.map { exp($0 - m) }
            let p = e.map { $0 / e.reduce(0, +) }
            for j in 0..<4 {
                #expect(abs(Double(head.scores[query: i, key: j]) - s[j]) < 1e-5)
                #expect(abs(Double(head.probabilities[query: i, key: j]) - p[j]) < 1e-6)
            }
            for d in 0..<4 {
                #expect(abs(Double(head.query[token: i, feature: d]) - q[i][d]) < 1e-5)
                let o = (0..<4).map { p[$0] * v[$0][d] }.reduce(0, +)
                #expect(abs(Double(head.output[token: i, feature: d]) - o) < 1e-5)
            }
        }
    }

    @Test func headsReassembleTheTraceAndGradientsObeyTheBackwardEquations() throws {
        let model = Self.fourHeadModel()
        let ids = [2, 11, 5, 9, 17, 3]
        let trace = try EncoderTrace.run(model: model, ids: ids, maskedPositions: [2, 4], maskTokenId: 1)
        let named = Dictionary(trace.map { ($0.name, $0.tensor) }, uniquingKeysWith: { a, _ in a })
        let internals = try AttentionInternals.capture(model: model, ids: ids, maskedPositions: [2, 4], maskTokenId: 1)
        #expect(internals.ids == [2, 11, 1, 9, 1, 3])
        #expect(internals.loss == named["mlm.loss"]!.scalar)
        let (t, d, h) = (6, 4, 4)
        for layer in 0..<2 {
            let base = "layers.\(layer).attention"
            // Heads side by side give back the traced [1, T, C] tensors, bit for bit.
            for (part, pick) in [("query", { (a: AttentionHead) in a.query }), ("value", { $0.value }), ("context", { $0.output })] {
                var merged = [Float](repeating: 0, count: t * h * d)
                for head in 0..<h {
                    let block = pick(internals.layer(layer).head(head))
                    for token in 0..<t { for f in 0..<d { merged[token * h * d + head * d + f] = block[token: token, feature: f] } }
                }
                #expect(merged == named["\(base).\(part)"]!.scalars, "\(base).\(part)")
            }
            for head in 0..<h {
                let a = internals.layer(layer).head(head)
                #expect(a.probabilities.values == Array(named["\(base).probabilities"]!.scalars[(head * t * t)..<((head + 1) * t * t)]))
                for i in 0..<t { #expect(abs(a.probabilities.row(query: i).reduce(0, +) - 1) < 1e-5) }
                let g = try #require(a.gradients)
                // Pass 4 was O = P V:   dV = Pᵀ dO,  dP = dO Vᵀ.
                // Pass 2 was P = softmax(S):  dS_ij = P_ij (dP_ij − Σ_k dP_ik P_ik).
                // Pass 1 was S = Q Kᵀ/√D:  dQ = dS K/√D,  dK = dSᵀ Q/√D.
                var expected: [String: [Double]] = ["dV": [], "dP": [], "dS": [], "dQ": [], "dK": []]
                let r = 1 / Double(d).squareRoot()
                for i in 0..<t { for f in 0..<d {
                    expected["dV"]!.append((0..<t).map { Double(a.probabilities[query: $0, key: i]) * Double(g.output[token: $0, feature: f]) }.reduce(0, +))
                } }
                for i in 0..<t { for j in 0..<t {
                    expected["dP"]!.append((0..<d).map { Double(g.output[token: i, feature: $0]) * Double(a.value[token: j, feature: $0]) }.reduce(0, +))
                } }
                for i in 0..<t {
                    let dot = (0..<t).map { Double(g.probabilities[query: i, key: $0]) * Double(a.probabilities[query: i, key: $0]) }.reduce(0, +)
                    for j in 0..<t { expected["dS"]!.append(Double(a.probabilities[query: i, key: j]) * (Double(g.probabilities[query: i, key: j]) - dot)) }
                }
                for i in 0..<t { for f in 0..<d {
                    expected["dQ"]!.append(r * (0..<t).map { Double(g.scores[query: i, key: $0]) * Double(a.key[token: $0, feature: f]) }.reduce(0, +))
                } }
                for j in 0..<t { for f in 0..<d {
                    expected["dK"]!.append(r * (0..<t).map { Double(g.scores[query: $0, key: j]) * Double(a.query[token: $0, feature: f]) }.reduce(0, +))
                } }
                let actual: [String: [Float]] = ["dV": g.value.values, "dP": g.probabilities.values, "dS": g.scores.values,
                                                 "dQ": g.query.values, "dK": g.key.values]
                for (name, values) in expected {
                    let error = maxScaledError(actual[name]!, values.map(Float.init))
                    #expect(error < 1e-4, "layer \(layer) head \(head) \(name): \(error)")
                }
            }
        }
    }

    /// L depends on W_q only through Q = X W_qᵀ + b, so ∂L/∂W_q[o, c] = Σ_t dQ[t, o] X[t, c], with
    /// dQ read from the internals (head o / D, feature o % D). Central differences on W_q agree.
    @Test func queryGradientMatchesCentralDifferences() throws {
        let model = Self.fourHeadModel()
        let ids = [2, 11, 5, 9, 17, 3]
        let internals = try AttentionInternals.capture(model: model, ids: ids, maskedPositions: [3], maskTokenId: 1)
        let trace = try EncoderTrace.run(model: model, ids: ids, maskedPositions: [3], maskTokenId: 1)
        let x = trace.first { $0.name == "embeddings" }!.tensor.scalars  // layer 0's input [1, 6, 16]
        let weight = model.encoder.layers[0].attention.query.weight
        func loss() throws -> Double {
            let run = try EncoderTrace.run(model: model, ids: ids, maskedPositions: [3], maskTokenId: 1)
            return Double(run.first { $0.name == "mlm.loss" }!.tensor.scalar)
        }
        let epsilon: Float = 1e-2
        for (o, c) in [(1, 3), (6, 0), (13, 9)] {
            let head = internals.layer(0).head(o / 4), gradients = try #require(head.gradients)
            let analytic = (0..<6).map { Double(gradients.query[token: $0, feature: o % 4]) * Double(x[$0 * 16 + c]) }.reduce(0, +)
            let original = weight.value[o, c]
            weight.value[o, c] = original + epsilon
            let upper = try loss()
            weight.value[o, c] = original - epsilon
            let lower = try loss()
            weight.value[o, c] = original
            let numeric = (upper - lower) / (2 * Double(epsilon))
            // Float32 loss ≈ 3.7 rounds at ~2·10⁻⁷, i.e. ~1·10⁻⁵ after dividing by 2ε, and the O(ε²)
            // term adds about as much: allow 1% of the gradient, at least 10⁻⁴.
            #expect(abs(analytic - numeric) <= 1e-2 * max(abs(numeric), 1e-2), "W_q[\(o), \(c)]: analytic \(analytic), numeric \(numeric)")
        }
    }

    @Test func labelsComeFromTheTextAndErrorsAreTyped() throws {
        let folder = try makeModelFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var embedder = try SentenceEmbedder(folder: folder)
        let text = "The cat sat on the mat."
        let internals = try AttentionInternals.capture(embedder: embedder, text: text)
        #expect(internals.labels.first == "[CLS]" && internals.labels.last == "[SEP]")
        // The labels with a space wherever spaceBefore says so give back the text.
        var rebuilt = ""
        for index in 1..<(internals.tokenCount - 1) {
            if index > 1 && internals.spaceBefore[index] { rebuilt += " " }
            rebuilt += internals.labels[index]
        }
        #expect(rebuilt == text)
        #expect(internals.layerCount == 2 && internals.headCount == 4 && internals.tokenCount == internals.tokens.count)
        #expect(throws: AttentionCaptureError.positionOutOfRange(position: 40, tokenCount: internals.tokenCount)) {
            try AttentionInternals.capture(embedder: embedder, text: text, maskedPositions: [40])
        }
        let long = String(repeating: "word ", count: 40)
        #expect(throws: EncoderInputError.self) { try AttentionInternals.capture(embedder: embedder, text: long) }
        embedder.truncates = true
        let cut = try AttentionInternals.capture(embedder: embedder, text: long)
        #expect(cut.tokenCount == 24 && cut.labels.last == "[SEP]")
        #expect(throws: AttentionInternalsError.tokenCountMismatch(tokens: 2, traced: 3)) {
            try AttentionInternals(trace: [], tokens: ["a", "b", "c"], labels: ["a", "b"], ids: [5, 6, 7])
        }
        #expect(throws: AttentionInternalsError.missingTensor(name: "layers.0.attention.probabilities")) {
            try AttentionInternals(trace: [], tokens: [], ids: [])
        }
    }
}

/// A random model folder with the committed 2k-token byte-level BPE tokenizer ("[CLS] $A [SEP]").
func makeModelFolder(maxPositions: Int = 24) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("te-viz-\(UInt32.random(in: 0...UInt32.max))")
    let config = EncoderConfig(vocabularySize: 2000, width: 32, layerCount: 2, headCount: 4, maxPositions: maxPositions,
                               hiddenDropout: 0, attentionDropout: 0, initializerRange: 0.2)
    let tokenizer = try Data(contentsOf: fixtureURL("Encoder/tokenizer-2k.json"))
    try ModelFolder.save(MaskedLanguageModel(config: config, seed: 4), pooling: Pooling(.mean, normalize: true),
                         tokenizerJSON: tokenizer, to: folder)
    return folder
}
