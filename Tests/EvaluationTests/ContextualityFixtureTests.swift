// Golden fixtures of the contextuality measures (tier c), made by
// Scripts/contextual/make_contextual_fixtures.py with HF transformers / tokenizers and NumPy:
// Ethayarajh's measures against NumPy on a fixed sample and, end to end, on the tiny BERT's word
// vectors (to 1e-4); word types through the tokenizer's normaliser; the usage snippets of
// Sources/Evaluation/Contextuality compiled and run.
import Encoder
import Evaluation
import Foundation
import TensorCore
import Testing
import TestSupport

@Suite struct ContextualityFixtureTests {
    static let tinyFolder = fixtureURL("HuggingFace/tiny-bert")

    static func json(_ name: String) throws -> [String: Any] { try fixtureJSONObject("Contextual/" + name) }

    /// Rows of the report against the NumPy rows, to `tolerance`.
    func expectMeasures(_ report: ContextualityReport, _ reference: [String: Any], tolerance: Double = 1e-4) throws {
        let rows = try #require(reference["layers"] as? [[String: Any]])
        #expect(report.layers.count == rows.count)
        for (ours, theirs) in zip(report.layers, rows) {
            #expect(ours.layer == (theirs["layer"] as? Int))
            let pairs: [(String, Double)] = [("self_similarity", ours.selfSimilarity), ("intra_similarity", ours.intraSentenceSimilarity),
                                             ("anisotropy", ours.anisotropy), ("mev", ours.maximumExplainableVariance)]
            for (key, value) in pairs {
                let expected = try #require((theirs[key] as? NSNumber)?.doubleValue)
                #expect(abs(value - expected) <= tolerance, "layer \(ours.layer) \(key): ours \(value), NumPy \(expected)")
            }
        }
        let words = try #require(reference["measured_words"] as? [[Any]])
        #expect(report.measuredWords.map(\.word) == words.map { $0[0] as? String ?? "?" })
        #expect(report.measuredWords.map(\.contexts) == words.map { ($0[1] as? NSNumber)?.intValue ?? -1 })
        #expect(report.intraSentenceCount == (reference["intra_sentences"] as? Int))
        #expect(report.occurrenceCount == (reference["occurrences"] as? Int))
    }

    @Test func measuresMatchNumPyOnAFixedSample() throws {
        let reference = try #require(try Self.json("contextuality.json")["synthetic"] as? [String: Any])
        let words = try #require(reference["words"] as? [String])
        let sentenceOf = jsonInts(reference["sentence_of"])
        let width = try #require(reference["width"] as? Int)
        let vectors = try #require(reference["vectors"] as? [Any]).map { jsonDoubles($0).map(Float.init) }   // [layer][occurrence · C]
        var sample = ContextualitySample(layers: [0, 1], width: width)
        for sentence in 0...(sentenceOf.max() ?? -1) {
            let members = sentenceOf.indices.filter { sentenceOf[$0] == sentence }
            sample.appendSentence(members.map { index in
                (words[index], vectors.map { Array($0[(index * width)..<((index + 1) * width)]) })
            })
        }
        #expect(sample.count == words.count - 2)         // "," and "!" are not counted
        try expectMeasures(try Contextuality.measure(sample, minimumContexts: 3), reference, tolerance: 1e-6)
    }

    @Test func measuresOfTheTinyBertMatchNumPyEndToEnd() throws {
        let reference = try #require(try Self.json("contextuality.json")["tiny_bert"] as? [String: Any])
        let sentences = try #require(reference["sentences"] as? [String])
        var embedder = try SentenceEmbedder(folder: Self.tinyFolder)
        embedder.batchSize = 5                            // several batches, padded
        let sample = try embedder.contextualitySample(sentences, pooling: .mean, chunk: 7)
        #expect(sample.sentenceCount == sentences.count)
        let wordsPerSentence = try #require(reference["words"] as? [[String]])
        for (index, expected) in wordsPerSentence.enumerated() {
            let ours = sample.sentenceOf.indices.filter { sample.sentenceOf[$0] == index }.map { sample.words[$0] }
            #expect(ours == expected, "sentence \(index)")
        }
        try expectMeasures(try Contextuality.measure(sample, minimumContexts: 3), reference)
    }
}

/// Word types follow the tokenizer: tiny-bert's normaliser lowercases (BertNormalizer), so "The"
/// and "the" — the same tokens — are one word; the word's text as written is kept in TextWord.
@Suite struct WordTypeTests {
    @Test func anUncasedModelsTheAndTheAreOneWord() throws {
        let embedder = try SentenceEmbedder(folder: fixtureURL("HuggingFace/tiny-bert"))
        let sample = try embedder.contextualitySample(["The bank.", "the BANK", "Bank the river"])
        #expect(sample.words == ["the", "bank", "the", "bank", "bank", "the", "river"])
        let report = try Contextuality.measure(sample, minimumContexts: 3)
        #expect(report.measuredWords.map(\.word) == ["bank", "the"])
        #expect(try embedder.layerStates(["The bank."])[0].words.map(\.text) == ["The", "bank", "."])
    }
}

/// The usage snippets of ContextualitySample.swift and Contextuality.swift, run on the tiny BERT.
@Suite struct ContextualitySnippetTests {
    @Test func snippetsRun() throws {
        let embedder = try SentenceEmbedder(folder: fixtureURL("HuggingFace/tiny-bert"))
        let sample = try embedder.contextualitySample(["The bank of the river.", "A bank loan."])
        let report = try Contextuality.measure(sample, minimumContexts: 2)
        for row in report.layers { #expect(row.selfSimilarity.isFinite && row.anisotropy.isFinite) }
        #expect(report.measuredWords.map(\.word) == ["bank"])
    }
}
