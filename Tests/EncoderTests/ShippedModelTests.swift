// The shipped default model (ShippedWeights, Weights/tinyencoder-small): a 2-layer student of
// all-MiniLM-L6-v2 (384 wide, its WordPiece vocabulary, mean pooling, L2 normalisation). It loads
// with that shape, gives the vectors sentence-transformers gives for the same folder
// (Tests/Fixtures/Distillation/shipped-st.json, from Scripts/distillation/make_shipped_fixture.py),
// and ranks each paraphrase of Weights/paraphrase-pairs.tsv (ten triples written before training)
// above the unrelated sentence.
// Not checked here: accuracy figures (`tinyencoder probe` and `agreement`, see Weights/README.md).
import Encoder
import Foundation
import ShippedWeights
import Testing
import TensorCore
import TestSupport

@Suite(.serialized) struct ShippedModelTests {
    /// Loaded once for the whole suite (the tests run one after another and do not change it).
    static let shared = Result { try SentenceEmbedder.shipped() }

    struct Reference: Decodable {
        struct Row: Decodable { var head: [Float]; var norm: Float }
        var sentences: [String]
        var student: [Row]
        var student_cosines: [[Float]]
    }

    static func reference() throws -> Reference {
        try JSONDecoder().decode(Reference.self, from: Data(contentsOf: fixtureURL("Distillation/shipped-st.json")))
    }

    /// The triples of Weights/paraphrase-pairs.tsv (anchor, paraphrase, unrelated).
    static func triples() throws -> [[String]] {
        let text = try String(contentsOf: packageRoot.appendingPathComponent("Weights/paraphrase-pairs.tsv"), encoding: .utf8)
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }
            .map { $0.split(separator: "\t").map(String.init) }
    }

    @Test func loadsWithTheStudentShape() throws {
        let embedder = try Self.shared.get()
        #expect(embedder.config.width == 384 && embedder.config.layerCount == 2 && embedder.config.headCount == 12)
        #expect(embedder.dense.isEmpty && embedder.dimension == 384)
        let vectors = try embedder.embed(["The cat sat on the mat."])
        #expect(vectors.count == 1 && vectors[0].count == 384 && vectors[0].allSatisfy { $0.isFinite })
        let norm = vectors[0].reduce(0) { $0 + $1 * $1 }.squareRoot()
        #expect(abs(norm - 1) < 1e-5, "the folder ends in a Normalize module: |v| = \(norm)")
    }

    /// The same folder through sentence-transformers: the first 16 components and the norm of every
    /// sentence's vector, and the triples' cosines.
    @Test func matchesSentenceTransformers() throws {
        let reference = try Self.reference()
        let embedder = try Self.shared.get()
        let vectors = try embedder.embed(reference.sentences)
        for (index, row) in reference.student.enumerated() {
            let head = Array(vectors[index].prefix(16))
            let worst = zip(head, row.head).map { abs($0 - $1) }.max() ?? 0
            #expect(worst < 2e-5, "sentence \(index) \"\(reference.sentences[index])\": components differ by \(worst)")
            let norm = vectors[index].reduce(0) { $0 + $1 * $1 }.squareRoot()
            #expect(abs(norm - row.norm) < 1e-5)
        }
        for (k, pair) in reference.student_cosines.enumerated() {
            #expect(abs(vectors[3 * k].cosineSimilarity(to: vectors[3 * k + 1]) - pair[0]) < 2e-5)
            #expect(abs(vectors[3 * k].cosineSimilarity(to: vectors[3 * k + 2]) - pair[1]) < 2e-5)
        }
    }

    @Test func ranksEveryParaphraseAboveTheUnrelatedSentence() throws {
        let triples = try Self.triples()
        #expect(triples.count == 10 && triples.allSatisfy { $0.count == 3 })
        let embedder = try Self.shared.get()
        let vectors = try embedder.embed(triples.flatMap { $0 })
        for (k, triple) in triples.enumerated() {
            let near = vectors[3 * k].cosineSimilarity(to: vectors[3 * k + 1])
            let distant = vectors[3 * k].cosineSimilarity(to: vectors[3 * k + 2])
            #expect(near > distant, "\"\(triple[0])\": paraphrase \(near) ≤ unrelated \(distant)")
        }
    }
}
