// Bad Hugging Face folders give typed errors that name the file and the key, never a trap: a
// missing file (config.json, model.safetensors, the tokenizer), a tokenizer.json of an unsupported
// model type (Unigram), tensors whose shapes contradict config.json, and the features we do not
// implement (another hidden_act, relative positions, a Dense module, other pooling modes).
// Each case edits a copy of the tiny sentence-transformers folder of HuggingFaceImportTests; the
// first three also run on the committed all-MiniLM-L6-v2 excerpt (MiniLM's own files).
import Encoder
import Foundation
import Testing
import TensorCore
import TestSupport
import Tokenization

@Suite struct HuggingFaceBadInputTests {
    /// Runs `edit` on a copy of the tiny folder (or of `original`), then loads it; returns the error.
    func loadingError(of original: URL = HuggingFaceImportTests.tinyFolder, _ edit: (URL) throws -> Void) throws -> Error? {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("te-bad-folder-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: original, to: folder)
        defer { try? FileManager.default.removeItem(at: folder) }
        try edit(folder)
        do {
            _ = try SentenceEmbedder(folder: folder)
            return nil
        } catch {
            return error
        }
    }

    /// Rewrites one key of a JSON object file.
    func setKey(_ key: String, to value: Any, in url: URL) throws {
        var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        object[key] = value
        try JSONSerialization.data(withJSONObject: object).write(to: url)
    }

    func expectFileError(_ error: Error?, file: String, field: String, kind: FileError.Kind, sourceLocation: SourceLocation = #_sourceLocation) {
        guard let error = error as? FileError else {
            Issue.record("expected a FileError naming \(file) / \(field), got \(String(describing: error))", sourceLocation: sourceLocation)
            return
        }
        #expect(error.file.hasSuffix(file) && error.field == field && error.kind == kind, "\(error)", sourceLocation: sourceLocation)
        #expect(error.description.contains(field), sourceLocation: sourceLocation)
    }

    @Test func missingFiles() throws {
        for name in ["config.json", "model.safetensors", "tokenizer.json", "1_Pooling/config.json"] {
            let error = try loadingError { try FileManager.default.removeItem(at: $0.appendingPathComponent(name)) }
            expectFileError(error, file: name, field: "(file)", kind: .notFound)
        }
        // Not a folder at all.
        let missing = FileManager.default.temporaryDirectory.appendingPathComponent("te-no-such-folder-\(UUID().uuidString)")
        #expect(throws: FileError.self) { try SentenceEmbedder(folder: missing) }
    }

    @Test func unsupportedTokenizerModelType() throws {
        let error = try loadingError { folder in
            let url = folder.appendingPathComponent("tokenizer.json")
            var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
            object["model"] = ["type": "Unigram", "unk_id": 0, "vocab": [["<unk>", 0.0], ["a", -1.0]]]
            try JSONSerialization.data(withJSONObject: object).write(to: url)
        }
        guard case let TokenizationError.unsupportedComponent(source, path, type, supported)? = error as? TokenizationError else {
            Issue.record("expected unsupportedComponent, got \(String(describing: error))")
            return
        }
        #expect(source.hasSuffix("tokenizer.json") && path == "model" && type == "Unigram" && supported.contains("WordPiece"))
    }

    /// config.json says 48 wide, the tensors are 32 wide: the first tensor checked is named with both shapes.
    @Test func shapesThatContradictConfig() throws {
        let error = try loadingError { folder in
            try setKey("hidden_size", to: 48, in: folder.appendingPathComponent("config.json"))
        }
        expectFileError(error, file: "model.safetensors", field: "embeddings.word_embeddings.weight", kind: .mismatch)
        #expect((error as? FileError)?.problem.contains("[1813, 32]") == true && (error as? FileError)?.problem.contains("[1813, 48]") == true)
        // Fewer layers in the file than config.json asks for: the first missing tensor is named.
        let layers = try loadingError { folder in
            try setKey("num_hidden_layers", to: 3, in: folder.appendingPathComponent("config.json"))
        }
        expectFileError(layers, file: "model.safetensors", field: "encoder.layer.2.attention.self.query.weight", kind: .mismatch)
        // A size only inner tensors carry: the first of them is named.
        let feedForward = try loadingError { folder in
            try setKey("intermediate_size", to: 80, in: folder.appendingPathComponent("config.json"))
        }
        expectFileError(feedForward, file: "model.safetensors", field: "encoder.layer.0.intermediate.dense.weight", kind: .mismatch)
        let positions = try loadingError { folder in
            try setKey("max_position_embeddings", to: 8, in: folder.appendingPathComponent("config.json"))
        }
        expectFileError(positions, file: "model.safetensors", field: "embeddings.position_embeddings.weight", kind: .mismatch)
    }

    /// The same three cases on MiniLM's own files (the committed excerpt of HuggingFaceImportTests).
    @Test func miniLMExcerptMissingFileWrongTokenizerTypeAndShapes() throws {
        let excerpt = fixtureURL("HuggingFace/minilm-excerpt")
        let missing = try loadingError(of: excerpt) { try FileManager.default.removeItem(at: $0.appendingPathComponent("model.safetensors")) }
        expectFileError(missing, file: "model.safetensors", field: "(file)", kind: .notFound)
        let wordLevel = try loadingError(of: excerpt) { folder in
            let url = folder.appendingPathComponent("tokenizer.json")
            var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
            object["model"] = ["type": "WordLevel", "unk_token": "[UNK]", "vocab": ["[UNK]": 0]]
            try JSONSerialization.data(withJSONObject: object).write(to: url)
        }
        guard case let TokenizationError.unsupportedComponent(_, path, type, _)? = wordLevel as? TokenizationError else {
            Issue.record("expected unsupportedComponent, got \(String(describing: wordLevel))")
            return
        }
        #expect(path == "model" && type == "WordLevel")
        let layers = try loadingError(of: excerpt) { try setKey("num_hidden_layers", to: 6, in: $0.appendingPathComponent("config.json")) }
        expectFileError(layers, file: "model.safetensors", field: "encoder.layer.1.attention.self.query.weight", kind: .mismatch)
    }

    @Test func unsupportedModelFeaturesNameTheKey() throws {
        let config = "config.json"
        for (key, value) in [("hidden_act", "silu" as Any), ("position_embedding_type", "relative_key"), ("model_type", "roberta"),
                             ("is_decoder", true)] {
            let error = try loadingError { try setKey(key, to: value, in: $0.appendingPathComponent(config)) }
            expectFileError(error, file: config, field: key, kind: .unsupported)
        }
    }

    @Test func unsupportedSentenceTransformersModules() throws {
        let dense = try loadingError { folder in
            let url = folder.appendingPathComponent("modules.json")
            var modules = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [[String: Any]])
            modules.append(["idx": 3, "name": "3", "path": "3_Dense", "type": "sentence_transformers.models.Dense"])
            try JSONSerialization.data(withJSONObject: modules).write(to: url)
        }
        // Dense modules are read (DenseModuleTests), but only between the Pooling and Normalize.
        expectFileError(dense, file: "modules.json", field: "modules[3]", kind: .unsupported)
        #expect((dense as? FileError)?.problem.contains("Dense module after Normalize") == true)
        let other = try loadingError { folder in
            let url = folder.appendingPathComponent("modules.json")
            var modules = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [[String: Any]])
            modules.append(["idx": 3, "name": "3", "path": "3_LayerNorm", "type": "sentence_transformers.models.LayerNorm"])
            try JSONSerialization.data(withJSONObject: modules).write(to: url)
        }
        expectFileError(other, file: "modules.json", field: "type", kind: .unsupported)
        #expect((other as? FileError)?.problem.contains("LayerNorm") == true)
        for mode in ["weightedmean", "lasttoken", "mean_sqrt_len_tokens"] {
            let error = try loadingError { try setKey("pooling_mode", to: mode, in: $0.appendingPathComponent("1_Pooling/config.json")) }
            expectFileError(error, file: "1_Pooling/config.json", field: "pooling_mode", kind: .unsupported)
        }
        let concatenated = try loadingError { try setKey("pooling_mode", to: ["mean", "max"], in: $0.appendingPathComponent("1_Pooling/config.json")) }
        expectFileError(concatenated, file: "1_Pooling/config.json", field: "pooling_mode", kind: .unsupported)
        let length = try loadingError { try setKey("max_seq_length", to: "long", in: $0.appendingPathComponent("sentence_bert_config.json")) }
        expectFileError(length, file: "sentence_bert_config.json", field: "max_seq_length", kind: .malformed)
    }

    /// An over-long text is refused (not trapped) when nothing asks for truncation.
    @Test func overLongTextWithoutALimitIsATypedError() throws {
        let folder = try copyOfTinyFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try FileManager.default.removeItem(at: folder.appendingPathComponent("tokenizer_config.json"))
        var embedder = try SentenceEmbedder(folder: folder)
        #expect(!embedder.truncates && embedder.maximumLength == 64)  // the model's positions
        let long = String(repeating: "guitar ", count: 100)
        #expect(throws: EncoderInputError.sequenceTooLong(sequence: 1, length: 102, maximum: 64)) { try embedder.embed(["short", long]) }
        embedder.truncates = true
        #expect(try embedder.tokenize([long])[0].count == 64)
    }
}
