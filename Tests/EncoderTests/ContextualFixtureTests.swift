// Golden fixtures of the contextual-embedding experiments (tier c), made by
// Scripts/contextual/make_contextual_fixtures.py with HF transformers / tokenizers and NumPy:
// every layer's hidden states of the tiny BERT against output_hidden_states; words and word
// pooling against HF's word_ids and offsets for WordPiece and byte-level BPE (words in many pieces,
// punctuation beside them). Ethayarajh's measures on the same fixtures: EvaluationTests.
import Encoder
import Foundation
import TensorCore
import Testing
import TestSupport
import Tokenization

@Suite struct ContextualFixtureTests {
    static let tinyFolder = fixtureURL("HuggingFace/tiny-bert")

    static func json(_ name: String) throws -> [String: Any] { try fixtureJSONObject("Contextual/" + name) }

    // MARK: - (a) every layer's hidden states

    @Test func everyLayerMatchesHuggingFaceHiddenStates() throws {
        let url = fixtureURL("Contextual/hidden-states.safetensors")
        let file = try Safetensors.read(url)
        let texts = try #require(try JSONSerialization.jsonObject(with: Data(file.metadata["texts", default: "[]"].utf8)) as? [String])
        let ids = try #require(try JSONSerialization.jsonObject(with: Data(file.metadata["ids", default: "[]"].utf8)) as? [[Int]])
        let embedder = try SentenceEmbedder(folder: Self.tinyFolder)
        let states = try embedder.layerStates(texts)
        for (index, text) in states.enumerated() {
            #expect(text.encoding.ids == ids[index], "text \(index): ids")
            let reference = try file.tensor("text.\(index)", file: url.path)          // [L + 1, T, C]
            #expect(reference.shape == [3, ids[index].count, 32])
            let perLayer = reference.shape[1] * reference.shape[2]
            for layer in 0..<3 {
                let expected = Array(reference.scalars[(layer * perLayer)..<((layer + 1) * perLayer)])
                #expect(maxScaledError(text.states[layer], expected) <= 1e-5, "text \(index) layer \(layer)")
                for (token, vector) in text.tokenVectors(position: layer).enumerated() {
                    let row = Array(expected[(token * 32)..<((token + 1) * 32)])
                    #expect(Double(vector.cosineSimilarity(to: row)) >= 0.99999, "text \(index) layer \(layer) token \(token)")
                }
            }
        }
    }

    // MARK: - (b) words and word pooling

    @Test(arguments: ["wordpiece", "bpe"])
    func wordsAndPoolingMatchHuggingFaceWordIds(tokenizerName: String) throws {
        let fixture = try Self.json("word-pooling.json")
        let entry = try #require((fixture["tokenizers"] as? [String: Any])?[tokenizerName] as? [String: Any])
        var tokenizer = try Tokenizer(contentsOf: fixtureURL(try #require(entry["file"] as? String)))
        (tokenizer.truncation, tokenizer.padding) = (nil, nil)      // as the generator: whole texts, no padding
        let cases = try #require(entry["cases"] as? [[String: Any]])
        #expect(cases.count == 6)
        for item in cases {
            let text = try #require(item["text"] as? String)
            let encoding = try tokenizer.encode(text)
            #expect(encoding.tokens == item["tokens"] as? [String], "\(tokenizerName) \"\(text)\": tokens")
            // h[t][c] = sin(1 + 0.7 t + 1.3 c), c < 4, the generator's made-up token vectors.
            var values: [Float] = []
            for t in 0..<encoding.count {
                for c in 0..<4 { values.append(Float(sin(1 + 0.7 * Double(t) + 1.3 * Double(c)))) }
            }
            let states = values[...]
            let words = TextWord.words(of: encoding, text: text)
            let expected = try #require(item["words"] as? [[String: Any]])
            #expect(words.map(\.text) == expected.map { $0["text"] as? String ?? "?" }, "\(tokenizerName) \"\(text)\": words")
            #expect(words.map(\.tokens) == expected.map { jsonInts($0["tokens"]) }, "\(tokenizerName) \"\(text)\": tokens per word")
            for (word, reference) in zip(words, expected) {
                for pooling in WordPooling.allCases {
                    let ours = pooling.vector(of: word, states: states, width: 4)
                    let theirs = jsonDoubles(reference[pooling.rawValue]).map(Float.init)
                    #expect(maxScaledError(ours, theirs) <= 1e-6, "\(tokenizerName) \"\(word.text)\" \(pooling)")
                }
            }
        }
    }
}

/// The usage snippets of Sources/Encoder/Contextual's doc comments and of Docs/Contextual.md §1,
/// compiled and run on the tiny BERT (standing in for all-MiniLM-L6-v2), so they cannot rot (the
/// contextuality measures' snippets: EvaluationTests).
@Suite struct ContextualSnippetTests {
    @Test func snippetsRun() throws {
        let embedder = try SentenceEmbedder(folder: fixtureURL("HuggingFace/tiny-bert"))
        // Docs/Contextual.md §1 (6 blocks there, 2 here).
        let states = try embedder.layerStates(["We sat on the river bank."])
        let lastCLS = states[0].vector(position: 2, token: 0)
        let perLayer = try embedder.layerSentenceVectors(["We sat on the river bank."])
        #expect(lastCLS.count == 32 && perLayer[0].count == 3)
        // LayerStates.swift.
        let lastLayerCLS = states[0].vector(position: states[0].layers.count - 1, token: 0)
        #expect(lastLayerCLS == lastCLS)
    }
}
