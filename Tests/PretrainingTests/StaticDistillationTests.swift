// Static distillation (the Model2Vec recipe) against an independent NumPy/PyTorch implementation
// on the tiny BERT fixture, and static model folders against sentence-transformers' reading of
// them (fixtures from Scripts/distillation/make_static_fixtures.py); plus hand-worked SIF weights
// and placeholder detection.
import Encoder
import Foundation
import Pretraining
import TensorCore
import Testing
import TestSupport
@testable import Pretraining

@Suite struct StaticDistillationTests {
    struct Reference: Decodable {
        let dimension: Int
        let sif: Double
        let explained_variance: Double
        let table: [Float]
        let vocabulary: Int
        let sentences: [String]
        let st_embeddings: [[Float]]
        let ours_st_embeddings: [[Float]]
    }

    func reference() throws -> Reference {
        try JSONDecoder().decode(Reference.self, from: Data(contentsOf: fixtureURL("Distillation/static-reference.json")))
    }

    var teacherURL: URL { fixtureURL("HuggingFace/tiny-bert") }

    /// Our recipe gives the reference table (PCA axes signed alike) and its explained variance.
    @Test func distilledTableMatchesTheNumPyRecipe() throws {
        let expected = try reference()
        var configuration = StaticDistillationConfiguration()
        configuration.dimension = expected.dimension
        configuration.sifCoefficient = expected.sif
        let (model, report) = try StaticDistillation.distill(teacher: try SentenceEmbedder(folder: teacherURL), configuration: configuration)
        #expect(model.table.shape == [expected.vocabulary, expected.dimension])
        let error = maxScaledError(model.table.scalars, expected.table)
        #expect(error < 1e-4, "table differs from the NumPy recipe by \(error) of its largest value")
        #expect(abs(report.explainedVariance - expected.explained_variance) < 1e-5)
        #expect(model.normalize)
    }

    /// sentence-transformers' own StaticEmbedding folder: our embeddings are its embeddings.
    @Test func sentenceTransformersFolderEmbedsAlike() throws {
        let expected = try reference()
        let model = try StaticEmbedder(folder: fixtureURL("Distillation/static-st"))
        let vectors = try model.embed(expected.sentences)
        for (ours, theirs) in zip(vectors, expected.st_embeddings) {
            #expect(maxScaledError(ours, theirs) < 1e-5, "\(ours) vs \(theirs)")
        }
    }

    /// A folder our writer made: sentence-transformers read it to the vectors we compute, and our
    /// writer still lays folders out that way (modules.json and the tensor name).
    @Test func ourFolderRoundTripsThroughSentenceTransformers() throws {
        let expected = try reference()
        let folder = fixtureURL("Distillation/static-ours")
        #expect(StaticEmbedder.isStaticFolder(folder))
        let model = try StaticEmbedder(folder: folder)
        for (ours, theirs) in zip(try model.embed(expected.sentences), expected.ours_st_embeddings) {
            #expect(maxScaledError(ours, theirs) < 1e-5)
        }
        let saved = FileManager.default.temporaryDirectory.appendingPathComponent("static-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: saved) }
        try model.save(to: saved)
        let modules = { (url: URL) in try JSONSerialization.jsonObject(with: Data(contentsOf: url.appendingPathComponent("modules.json"))) as? NSArray }
        #expect(try modules(saved) == modules(folder))
        #expect(try Safetensors.read(saved.appendingPathComponent("model.safetensors")).names == ["embedding.weight"])
        #expect(try StaticEmbedder(folder: saved).embed(["The cat sat on the mat."]) == model.embed(["The cat sat on the mat."]))
    }

    /// p ∝ 1/(t + 2) over 3 ids: 1/2, 1/3, 1/4 over their sum 13/12 → 6/13, 4/13, 3/13;
    /// with a = 1/13 the weights a/(a + p) are 1/7, 1/5, 1/4.
    @Test func zipfWeightsByHand() {
        let p = StaticDistillation.zipfProbabilities(count: 3)
        #expect(zip(p, [6.0 / 13, 4.0 / 13, 3.0 / 13]).allSatisfy { abs($0 - $1) < 1e-12 })
        let w = StaticDistillation.sifWeights(probabilities: p, coefficient: 1.0 / 13)
        #expect(zip(w, [1.0 / 7, 1.0 / 5, 1.0 / 4]).allSatisfy { abs($0 - $1) < 1e-12 })
    }

    /// The mean of a text's token rows, then unit length; a text without tokens gives zeros.
    @Test func embeddingIsTheNormalisedMeanOfTheRows() throws {
        let model = try StaticEmbedder(folder: fixtureURL("Distillation/static-ours"))
        let text = "the cat"
        let ids = try model.tokenize([text])[0]
        let D = model.dimension, rows = model.table.scalars
        var mean = [Float](repeating: 0, count: D)
        for id in ids { for c in 0..<D { mean[c] += rows[id * D + c] / Float(ids.count) } }
        let norm = mean.reduce(0) { $0 + $1 * $1 }.squareRoot()
        #expect(maxScaledError(try model.embed([text])[0], mean.map { $0 / norm }) < 1e-6)
        #expect(try model.embed([""])[0] == [Float](repeating: 0, count: D))
    }

    /// A dimension wider than the teacher is refused before any teacher pass.
    @Test func tooWideADimensionIsRefused() throws {
        var configuration = StaticDistillationConfiguration()
        configuration.dimension = 33
        #expect(throws: DistillationError.self) {
            try StaticDistillation.distill(teacher: try SentenceEmbedder(folder: teacherURL), configuration: configuration)
        }
    }
}
