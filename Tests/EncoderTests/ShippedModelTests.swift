// The shipped default model (ShippedWeights, Weights/tinyencoder-small): it loads (4×256 encoder, mean pooling,
// a 255-wide whitening Dense module), its sentence vectors are finite, and it ranks a paraphrase
// above an unrelated sentence. The three triples were fixed before the first model was trained and
// have not changed since; Weights/README.md gives every cosine.
// Not checked here: accuracy figures (those are measured by `tinyencoder probe`, see Weights/README.md).
import Encoder
import Foundation
import ShippedWeights
import Testing

@Suite(.serialized) struct ShippedModelTests {
    /// Loaded once for the whole suite (the tests run one after another and do not change it).
    static let shared = Result { try SentenceEmbedder.shipped() }

    func cosine(_ a: [Float], _ b: [Float]) -> Float {
        var dot: Float = 0, na: Float = 0, nb: Float = 0
        for i in a.indices { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i] }
        return dot / (na.squareRoot() * nb.squareRoot())
    }

    @Test func loadsAndEmbeds() throws {
        let embedder = try Self.shared.get()
        #expect(embedder.config.width == 256 && embedder.config.layerCount == 4)
        #expect(embedder.dense.count == 1 && embedder.dense[0].outFeatures == 255)
        let vectors = try embedder.embed(["The cat sat on the mat."])
        #expect(vectors.count == 1 && vectors[0].count == 255)
        #expect(vectors[0].allSatisfy { $0.isFinite })
    }

    func ranksParaphraseFirst(_ anchor: String, _ close: String, _ far: String) throws {
        let embedder = try Self.shared.get()
        let vectors = try embedder.embed([anchor, close, far])
        let near = cosine(vectors[0], vectors[1]), distant = cosine(vectors[0], vectors[2])
        #expect(near > distant, "cos(anchor, paraphrase) \(near) ≤ cos(anchor, unrelated) \(distant)")
    }

    @Test func guitarIsCloserToInstrumentThanToStocks() throws {
        try ranksParaphraseFirst("A man is playing a guitar.", "Someone plays an instrument.", "The stock market fell sharply.")
    }

    @Test func catIsCloserToKittenThanToInterestRates() throws {
        try ranksParaphraseFirst("The cat sat on the mat.", "A kitten is resting on a rug.", "Interest rates were raised by the central bank.")
    }

    @Test func cookingIsCloserToMealThanToRocket() throws {
        try ranksParaphraseFirst("She is cooking dinner in the kitchen.", "A woman prepares a meal.", "The rocket was launched into orbit.")
    }
}
