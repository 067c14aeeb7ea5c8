// The export's structure, checked against what transformers itself writes: a random post-LN model
// with the byte-level BPE fixture tokenizer is exported; model.safetensors must hold exactly
// BertModel's tensor names and shapes (or BertForMaskedLM's, with the head), as listed by
// Scripts/huggingface/make_export_fixture.py; config.json must carry BERT's keys; the tokenizer and
// sentence-transformers files must be there; the exported folder must load back and embed as the
// original; pre-LN and sinusoidal models are refused by name. That transformers and
// sentence-transformers load the folder without warnings, with equal hidden states, is checked by
// Scripts/huggingface/check_export_roundtrip.py.
import Encoder
import Foundation
import Testing
import TensorCore
import TestSupport
import Tokenization

@Suite struct HuggingFaceExportTests {
    static func makeFolder(preLayerNorm: Bool = false, positions: PositionEmbeddingType = .learned) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("te-export-src-\(UUID().uuidString)")
        let config = EncoderConfig(vocabularySize: 2000, width: 32, layerCount: 2, headCount: 4, maxPositions: 24,
                                   hiddenDropout: 0, attentionDropout: 0, positionEmbeddingType: positions, preLayerNorm: preLayerNorm)
        let tokenizer = try Data(contentsOf: fixtureURL("Encoder/tokenizer-2k.json"))
        try ModelFolder.save(MaskedLanguageModel(config: config, seed: 11), pooling: Pooling(.mean, normalize: true),
                             tokenizerJSON: tokenizer, to: folder)
        return folder
    }

    static func temporaryURL() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("te-export-\(UUID().uuidString)")
    }

    /// name → shape of a safetensors file.
    static func shapes(_ url: URL) throws -> [String: [Int]] {
        let file = try Safetensors.read(url)
        return file.tensors.mapValues(\.shape)
    }

    static func expected(_ architecture: String) throws -> [String: [Int]] {
        let object = try fixtureObject("HuggingFace/bert-checkpoint-names.json")
        return ((object[architecture] as? [String: [Int]]) ?? [:])
    }

    @Test func bertModelLayoutHasTransformersNamesAndShapes() throws {
        let source = try Self.makeFolder()
        let out = Self.temporaryURL()
        defer { for url in [source, out] { try? FileManager.default.removeItem(at: url) } }
        let summary = try HuggingFaceExport.write(try ModelFolder.load(source), to: out)
        #expect(summary.poolerInitialized && !summary.typeTableAdded && !summary.wroteHead)
        #expect(summary.tokenizerClass == "PreTrainedTokenizerFast")  // a byte-level BPE tokenizer
        let expected = try Self.expected("BertModel")
        #expect(expected.count == 39)
        #expect(try Self.shapes(out.appendingPathComponent("model.safetensors")) == expected)
        for name in ["config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
                     "modules.json", "1_Pooling/config.json", "sentence_bert_config.json", "config_sentence_transformers.json"] {
            #expect(summary.files.contains(name), "\(name)")
        }

        // config.json: BERT's keys with the values transformers wrote for the same shape.
        let config = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("config.json"))) as? [String: Any])
        let reference = try #require(try fixtureObject("HuggingFace/bert-checkpoint-names.json")["config"] as? [String: Any])
        for (key, value) in reference {
            #expect("\(config[key] ?? "missing")" == "\(value)", "config.json \(key)")
        }
        #expect((config["architectures"] as? [String]) == ["BertModel"])
        #expect(config["position_embedding_type"] as? String == "absolute" && config["pre_layer_norm"] == nil)

        // Tokenizer files: the same tokenizer.json, and the special tokens by their roles.
        let tokenizerConfig = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("tokenizer_config.json"))) as? [String: Any])
        #expect(tokenizerConfig["tokenizer_class"] as? String == "PreTrainedTokenizerFast")
        #expect(tokenizerConfig["cls_token"] as? String == "[CLS]" && tokenizerConfig["sep_token"] as? String == "[SEP]")
        #expect(tokenizerConfig["pad_token"] as? String == "[PAD]" && tokenizerConfig["mask_token"] as? String == "[MASK]")
        #expect(tokenizerConfig["model_max_length"] as? Int == 24)
        let original = try Tokenizer(contentsOf: source.appendingPathComponent("tokenizer.json"))
        let exported = try Tokenizer(contentsOf: out.appendingPathComponent("tokenizer.json"))
        #expect(JSONWriter.bytes(exported.json, pretty: true) == JSONWriter.bytes(original.json, pretty: true))
        let sentenceConfig = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("sentence_bert_config.json"))) as? [String: Any])
        #expect(sentenceConfig["max_seq_length"] as? Int == 24)
    }

    /// The export loads back into TinyEncoder and gives the original's vectors (the pooler is
    /// not used by pooling; max_seq_length 24 equals the model's positions).
    @Test func exportedFolderEmbedsAsTheOriginal() throws {
        let source = try Self.makeFolder()
        let out = Self.temporaryURL()
        defer { for url in [source, out] { try? FileManager.default.removeItem(at: url) } }
        _ = try HuggingFaceExport.write(try ModelFolder.load(source), to: out)
        let texts = ["A man is playing a guitar.", "Hi", ""]
        let before = try SentenceEmbedder(folder: source).embed(texts)
        let after = try SentenceEmbedder(folder: out)
        #expect(after.pooling == Pooling(.mean, normalize: true))
        #expect(try after.embed(texts) == before)
    }

    @Test func maskedLMLayoutHasTransformersNames() throws {
        let source = try Self.makeFolder()
        let out = Self.temporaryURL()
        defer { for url in [source, out] { try? FileManager.default.removeItem(at: url) } }
        let summary = try HuggingFaceExport.write(try ModelFolder.load(source), to: out, includeHead: true)
        #expect(summary.wroteHead && !summary.poolerInitialized)
        #expect(try Self.shapes(out.appendingPathComponent("model.safetensors")) == (try Self.expected("BertForMaskedLM")))
        // And it loads back with the same head.
        #expect(try ModelFolder.load(out).hasTrainedHead)
    }

    @Test func variantsBertLacksAreRefusedByName() throws {
        for (preLN, positions, field) in [(true, PositionEmbeddingType.learned, "pre_layer_norm"), (false, .sinusoidal, "position_embedding_type")] {
            let source = try Self.makeFolder(preLayerNorm: preLN, positions: positions)
            let out = Self.temporaryURL()
            defer { for url in [source, out] { try? FileManager.default.removeItem(at: url) } }
            #expect { try HuggingFaceExport.write(try ModelFolder.load(source), to: out) } throws: { error in
                guard let error = error as? FileError else { return false }
                return error.kind == .unsupported && error.field == field && error.file.hasSuffix("config.json")
            }
            #expect(!FileManager.default.fileExists(atPath: out.path))  // nothing half-written
        }
    }
}
