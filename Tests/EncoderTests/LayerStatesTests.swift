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
        let embedder = try SentenceEmbedder(folder: Self.tinyFolder)
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
