// Every layer's hidden states (HF's output_hidden_states) and word pooling. Tier (a): the layer
// bookkeeping by hand (L + 1 states, the last equal to the output, one batch or many threads the
// same); tier (c): golden fixtures from HF transformers (Scripts/contextual/make_contextual_fixtures.py).
import Encoder
import Foundation
import Testing
import TensorCore
import TestSupport
import Tokenization

@Suite struct LayerStatesTests {
    static let tinyFolder = fixtureURL("HuggingFace/tiny-bert")

    @Test func hiddenStatesHoldTheEmbeddingOutputThenEveryBlock() throws {
        let embedder = try SentenceEmbedder(folder: Self.tinyFolder)
        let texts = ["A man is playing a guitar.", "Someone plays an instrument!", "x"]
        let states = try embedder.layerStates(texts)
        let last = try embedder.tokenVectors(texts)
        for (index, text) in states.enumerated() {
            #expect(text.layers == [0, 1, 2])            // 2 blocks: embedding output + 2
            #expect(text.states.count == 3)
            #expect(text.states[0].count == text.encoding.count * 32)
            // Layer L is the model's output, exactly (the same pass).
            #expect(text.tokenVectors(position: 2) == last[index])
            // Layer 0 is not layer 1: the blocks changed something.
            #expect(text.states[0] != text.states[1])
        }
    }

    @Test func oneTextAloneEqualsTheSameTextInAParallelBatch() throws {
        var embedder = try SentenceEmbedder(folder: Self.tinyFolder)
        let texts = (0..<12).map { "sentence number \($0) is about a guitar and an instrument" }
        embedder.batchSize = 12                                  // one batch, split over threads
        let together = try embedder.layerStates(texts)
        embedder.batchSize = 1
        let alone = try embedder.layerStates([texts[7]])
        for position in 0..<3 {
            #expect(maxScaledError(together[7].states[position], alone[0].states[position]) <= 1e-6)
        }
    }

    @Test func aLayerPastTheDepthIsAClearError() throws {
        let embedder = try SentenceEmbedder(folder: Self.tinyFolder)
        #expect(throws: ContextualError.layerOutOfRange(layer: 3, layerCount: 2)) {
            _ = try embedder.layerStates(["x"], layers: [3])
        }
        #expect(ContextualError.layerOutOfRange(layer: 3, layerCount: 2).description.contains("0...2"))
    }
}

@Suite struct WordPoolingTests {
    /// "un believ ably ," as tokens 1, 2, 3 of word 0 and token 4 of word 1, between [CLS] and [SEP].
    static func encoding() -> Encoding {
        var encoding = Encoding()
        encoding.ids = [101, 1, 2, 3, 4, 102]
        encoding.offsets = [0..<0, 0..<2, 2..<8, 8..<12, 12..<13, 0..<0]
        encoding.wordIndices = [nil, 0, 0, 0, 1, nil]
        encoding.specialTokensMask = [1, 0, 0, 0, 0, 1]
        return encoding
    }

    @Test func wordsComeFromWordIndicesAndOffsets() {
        let words = TextWord.words(of: Self.encoding(), text: "unbelievably,")
        #expect(words == [TextWord(text: "unbelievably", tokens: [1, 2, 3], bytes: 0..<12),
                          TextWord(text: ",", tokens: [4], bytes: 12..<13)])
    }

    @Test func firstMeanAndLastByHand() {
        // Token t's vector is (t, t²) for t = 0…5; the word has tokens 1, 2, 3.
        let states = (0..<6).flatMap { [Float($0), Float($0 * $0)] }[...]
        let word = TextWord(text: "unbelievably", tokens: [1, 2, 3], bytes: 0..<11)
        #expect(WordPooling.first.vector(of: word, states: states, width: 2) == [1, 1])
        #expect(WordPooling.last.vector(of: word, states: states, width: 2) == [3, 9])
        // mean: ((1 + 2 + 3) / 3, (1 + 4 + 9) / 3) = (2, 14/3)
        let mean = WordPooling.mean.vector(of: word, states: states, width: 2)
        #expect(mean[0] == 2 && abs(mean[1] - 14.0 / 3) < 1e-6)
    }

    @Test func wordNotFoundNamesTheWordsOfTheText() {
        let message = ContextualError.wordNotFound(word: "money", text: 0, words: ["the", "bank"]).description
        #expect(message.contains("\"money\"") && message.contains("text 1") && message.contains("\"bank\""))
    }
}
