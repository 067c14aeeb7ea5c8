// A long text is tokenised from growing prefixes (SentenceEmbedder.boundedEncoding) and gives exactly
// the ids of encoding it whole; without truncation it is refused with a lower bound; a prefix that
// decides the tokens (prefixDecidesTokens) gives the whole text's. A config.json
// that leaves stored tensors unused (fewer layers, sinusoidal positions over a stored table)
// names them in ModelFolder.unusedTensors (and a warning on standard error).
// Not handled: memory (measured with /usr/bin/time on `embed`, Docs/Reliability.md).

import Foundation
import Testing
import TestSupport
@testable import Encoder

@Suite struct LongTextAndUnusedTensorTests {
    func embedder(truncates: Bool, longTextBytes: Int) throws -> SentenceEmbedder {
        let folder = try copyOfTinyFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.removeItem(at: folder.appendingPathComponent("tokenizer_config.json"))
        var embedder = try SentenceEmbedder(folder: folder)
        embedder.truncates = truncates
        embedder.longTextBytes = longTextBytes
        return embedder
    }

    @Test(arguments: [
        String(repeating: "guitar ", count: 100),
        String(repeating: "naïve café ", count: 60) + "中文字符" + String(repeating: "x", count: 300),
        String(repeating: "a", count: 5000) + " end",  // one long word: a single [UNK], the prefix never decides
    ])
    func boundedTokenizationEqualsTheWholeText(text: String) throws {
        let bounded = try embedder(truncates: true, longTextBytes: 64)
        let whole = try embedder(truncates: true, longTextBytes: Int.max)
        #expect(try bounded.tokenize([text, "short"]) == whole.tokenize([text, "short"]))
    }

    @Test func longTextIsRefusedWithALowerBound() throws {
        let text = String(repeating: "guitar ", count: 1000)  // 7,000 bytes, about 1,000 tokens
        let bounded = try embedder(truncates: false, longTextBytes: 64)
        #expect {
            try bounded.tokenize(["short", text])
        } throws: { error in
            guard case let EncoderInputError.sequenceTooLong(sequence, length, maximum, lowerBound) = error else { return false }
            // The 256-byte prefix (64 × 4) holds 36 whole "guitar" words, the 1,024-byte one 146: > 64.
            return sequence == 1 && maximum == 64 && lowerBound && length > 64 && length < 1000
        }
        #expect("\(EncoderInputError.sequenceTooLong(sequence: 1, length: 147, maximum: 64, lowerBound: true))".contains("at least 147 tokens"))
    }

    @Test func aDecidingPrefixEmbedsAsTheWholeText() throws {
        // 300 "guitar " (2,100 bytes, about 300 tokens): the first 1,000 bytes hold 142 whole words,
        // more than the 64 positions, so they decide; "a" × 900 then "guitar" is one word: never.
        let bounded = try embedder(truncates: true, longTextBytes: 64)
        let text = String(repeating: "guitar ", count: 300)
        let prefix = String(text.utf8.prefix(1000))!
        #expect(try bounded.prefixDecidesTokens(prefix))
        #expect(try bounded.tokenize([prefix]) == bounded.tokenize([text]))
        #expect(try !bounded.prefixDecidesTokens(String(repeating: "a", count: 900) + " guitar"))
        #expect(try !bounded.prefixDecidesTokens(String(repeating: "guitar ", count: 10)))
    }

    @Test func tensorsLeftUnusedByConfigAreNamed() throws {
        #expect(try ModelFolder.load(HuggingFaceImportTests.tinyFolder).unusedTensors == [])
        let folder = try copyOfTinyFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let configURL = folder.appendingPathComponent("config.json")
        var config = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: configURL)) as? [String: Any])
        config["num_hidden_layers"] = 1
        config["position_embedding_type"] = "sinusoidal"
        try JSONSerialization.data(withJSONObject: config).write(to: configURL)
        let unused = try ModelFolder.load(folder).unusedTensors
        #expect(unused.contains("embeddings.position_embeddings.weight"))
        #expect(unused.contains("encoder.layer.1.attention.self.query.weight"))
        #expect(!unused.contains { $0.hasPrefix("encoder.layer.0.") })
        #expect(unused.count == 17)  // one position table + the 16 tensors of layer 1
    }
}
