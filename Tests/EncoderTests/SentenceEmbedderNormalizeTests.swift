// SentenceEmbedder's output contract: vectors are `dimension` wide, unit length only when asked
// (`normalize: true`, as sentence-transformers' normalize_embeddings: v / max(‖v‖, 1e-12)) or
// when the folder ends in a Normalize module, and `similarity` is their cosine matrix.
import Encoder
import Foundation
import Testing
import TensorCore
import TestSupport

@Suite struct SentenceEmbedderNormalizeTests {
    static func folder(normalize: Bool) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("te-normalize-\(UInt32.random(in: 0...UInt32.max))")
        let config = EncoderConfig(vocabularySize: 2000, width: 24, layerCount: 1, headCount: 2, maxPositions: 32,
                                   hiddenDropout: 0, attentionDropout: 0)
        let tokenizer = try Data(contentsOf: fixtureURL("Encoder/tokenizer-2k.json"))
        try ModelFolder.save(MaskedLanguageModel(config: config, seed: 9), pooling: Pooling(.mean, normalize: normalize),
                             tokenizerJSON: tokenizer, to: folder)
        return folder
    }

    static let texts = ["A man is playing a guitar.", "Someone plays an instrument.", "Stocks fell."]

    @Test func normalizeIsOffByDefaultAndScalesToUnitLength() throws {
        let url = try Self.folder(normalize: false)
        defer { try? FileManager.default.removeItem(at: url) }
        let embedder = try SentenceEmbedder(folder: url)
        #expect(embedder.dimension == 24)   // no Dense module: the model's width
        let raw = try embedder.embed(Self.texts)
        let unit = try embedder.embed(Self.texts, normalize: true)
        for (r, u) in zip(raw, unit) {
            #expect(r.count == 24 && u.count == 24)
            // Mean pooling of LayerNorm outputs (γ = 1, β = 0 at initialisation) is far from unit length.
            #expect(abs(r.norm - 1) > 0.1, "a raw vector happened to have norm \(r.norm)")
            let norm = r.map { Double($0) * Double($0) }.reduce(0, +).squareRoot()
            for (a, b) in zip(u, r) { #expect(abs(Double(a) - Double(b) / norm) < 1e-6) }
            #expect(abs(u.dot(u) - 1) < 1e-5)
        }
        // Cosines do not depend on normalisation; for unit vectors the dot product is the cosine.
        #expect(abs(raw[0].cosineSimilarity(to: raw[1]) - unit[0].dot(unit[1])) < 1e-6)
        let matrix = embedder.similarity(raw, raw)
        #expect(matrix.count == 3 && matrix[1].count == 3)
        #expect(abs(matrix[0][0] - 1) < 1e-6 && abs(matrix[0][2] - raw[0].cosineSimilarity(to: raw[2])) < 1e-6)
    }

    @Test func aNormalizeModuleNormalisesWithoutBeingAsked() throws {
        let url = try Self.folder(normalize: true)
        defer { try? FileManager.default.removeItem(at: url) }
        let embedder = try SentenceEmbedder(folder: url)
        #expect(embedder.pooling.normalize)
        for vector in try embedder.embed(Self.texts) { #expect(abs(vector.norm - 1) < 1e-5) }
        #expect(try embedder.embed(Self.texts) == embedder.embed(Self.texts, normalize: true))
    }
}
