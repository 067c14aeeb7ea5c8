// SentenceEmbedder end to end on a small random model folder with a real byte-level BPE
// tokenizer (Tests/Fixtures/Encoder/tokenizer-2k.json, trained by `tinyencoder bpe-train` on a
// 2 MB slice of the English corpus with the "[CLS] $A [SEP]" template): batching by length gives
// the same vectors as one text at a time; over-long texts are refused unless truncation is on.
import Encoder
import Foundation
import Testing
import TensorCore
import TestSupport

@Suite struct SentenceEmbedderTests {
    static func makeFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("te-embedder-\(UInt32.random(in: 0...UInt32.max))")
        let config = EncoderConfig(vocabularySize: 2000, width: 32, layerCount: 2, headCount: 4, maxPositions: 24,
                                   hiddenDropout: 0, attentionDropout: 0)
        let tokenizer = try Data(contentsOf: fixtureURL("Encoder/tokenizer-2k.json"))
        try ModelFolder.save(MaskedLanguageModel(config: config, seed: 4), pooling: Pooling(.mean, normalize: true),
                             tokenizerJSON: tokenizer, to: folder)
        return folder
    }

    @Test func batchedEqualsOneByOneAndOrderIsKept() throws {
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var embedder = try SentenceEmbedder(folder: folder)
        let texts = ["A man is playing a guitar.", "Hi", "The stock market fell sharply on Monday.", ""]
        embedder.batchSize = 3
        let batched = try embedder.embed(texts)
        for (index, text) in texts.enumerated() {
            let alone = try embedder.embed([text])[0]
            #expect(maxScaledError(batched[index], alone) < 1e-6, "text \(index)")
            let norm = alone.map { $0 * $0 }.reduce(0, +).squareRoot()
            #expect(abs(norm - 1) < 1e-5)
        }
        let ids = try embedder.tokenize(["Hi"])[0]
        #expect(ids.first == 2 && ids.last == 3)  // [CLS] … [SEP] from the template
        let tokens = try embedder.tokenVectors(texts)
        #expect(tokens.map(\.count) == (try embedder.tokenize(texts)).map(\.count))
    }

    @Test func longTextsAreRefusedUnlessTruncating() throws {
        let folder = try Self.makeFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        var embedder = try SentenceEmbedder(folder: folder)
        let long = String(repeating: "word ", count: 40)
        #expect(throws: EncoderInputError.self) { try embedder.embed([long]) }
        embedder.truncates = true
        let ids = try embedder.tokenize([long])[0]
        #expect(ids.count == 24 && ids.last == 3)  // cut to the 24 positions, [SEP] kept
        #expect(try embedder.embed([long])[0].count == 32)
    }
}
