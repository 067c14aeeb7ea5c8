// Reading and writing EncoderConfig as Hugging Face BERT config.json. Unknown keys are ignored
// (HF files carry many, e.g. transformers_version); keys whose value we cannot honour (another
// hidden_act, relative positions, a non-BERT model_type) are refused by name.
// Not handled: nested configs (encoder-decoder), YAML.

import Foundation
import NeuralNetwork
import TensorCore

extension EncoderConfig {
    /// Reads a config.json; every error names the key and the fix.
    public static func load(from url: URL) throws -> EncoderConfig {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw FileError(.notFound, file: url.path, field: "(file)", problem: "does not exist or cannot be read",
                            fix: "A model folder needs config.json next to model.safetensors")
        }
        guard let object = try? JSONSerialization.jsonObject(with: data), let json = object as? [String: Any] else {
            throw FileError(.malformed, file: url.path, field: "(file)", problem: "is not a JSON object", fix: "Re-create the file")
        }
        return try fromJSON(json, file: url.path)
    }

    /// Builds a config from a parsed config.json dictionary.
    public static func fromJSON(_ json: [String: Any], file: String) throws -> EncoderConfig {
        func fail(_ key: String, _ problem: String, _ fix: String, kind: FileError.Kind = .malformed) -> FileError {
            FileError(kind, file: file, field: key, problem: problem, fix: fix)
        }
        func integer(_ key: String, default fallback: Int? = nil) throws -> Int {
            guard let value = json[key] else {
                if let fallback { return fallback }
                throw fail(key, "is missing", "Add \"\(key)\" to config.json")
            }
            guard let number = value as? NSNumber, !(value is String), let exact = Int(exactly: number.doubleValue) else {
                throw fail(key, "\(value) is not a whole number", "Write it as an integer")
            }
            return exact
        }
        func real(_ key: String, default fallback: Float) throws -> Float {
            guard let value = json[key] else { return fallback }
            guard let number = value as? NSNumber, !(value is String), number.doubleValue.isFinite else {
                throw fail(key, "\(value) is not a number", "Write it as a number")
            }
            return number.floatValue
        }
        if let modelType = json["model_type"] as? String, !["bert", "tinyencoder"].contains(modelType) {
            throw fail("model_type", "\"\(modelType)\" is not supported (BERT-family encoders only)",
                       "Use a BERT checkpoint (model_type \"bert\")", kind: .unsupported)
        }
        let activationName = (json["hidden_act"] as? String) ?? "gelu"
        let activation: Activation
        switch activationName {
        case "gelu": activation = .gelu
        case "gelu_new", "gelu_pytorch_tanh", "gelu_fast": activation = .geluTanh
        case "relu": activation = .relu
        default:
            throw fail("hidden_act", "\"\(activationName)\" is not supported", "Use gelu, gelu_new or relu", kind: .unsupported)
        }
        let positionName = (json["position_embedding_type"] as? String) ?? "absolute"
        guard let positions = PositionEmbeddingType(rawValue: positionName) else {
            throw fail("position_embedding_type", "\"\(positionName)\" is not supported (relative positions are not implemented)",
                       "Use \"absolute\" or \"sinusoidal\"", kind: .unsupported)
        }
        for key in ["embedding_size", "is_decoder", "add_cross_attention"] {
            if let value = json[key], !(value is NSNull) {
                if key == "embedding_size", let size = value as? Int, size == (json["hidden_size"] as? Int) { continue }
                if key != "embedding_size", let flag = value as? Bool, !flag { continue }
                throw fail(key, "is set (\(value)); that variant is not supported", "Use a plain BERT encoder checkpoint", kind: .unsupported)
            }
        }
        let config = EncoderConfig(
            vocabularySize: try integer("vocab_size"),
            width: try integer("hidden_size"),
            layerCount: try integer("num_hidden_layers"),
            headCount: try integer("num_attention_heads"),
            intermediateSize: try integer("intermediate_size"),
            activation: activation,
            maxPositions: try integer("max_position_embeddings", default: 512),
            typeVocabularySize: try integer("type_vocab_size", default: 2),
            layerNormEpsilon: try real("layer_norm_eps", default: 1e-12),
            hiddenDropout: try real("hidden_dropout_prob", default: 0.1),
            attentionDropout: try real("attention_probs_dropout_prob", default: 0.1),
            initializerRange: try real("initializer_range", default: 0.02),
            positionEmbeddingType: positions,
            preLayerNorm: (json["pre_layer_norm"] as? Bool) ?? false,
            padTokenId: try integer("pad_token_id", default: 0))
        try config.validate(file: file)
        return config
    }

    /// The config.json dictionary: HF BERT keys, plus ours only where we differ from BERT.
    /// `architectures` says BertForMaskedLM when the file holds a masked-LM head, else BertModel.
    public func jsonObject(withHead: Bool = true) -> [String: Any] {
        var json: [String: Any] = [
            "architectures": [withHead ? "BertForMaskedLM" : "BertModel"],
            "model_type": "bert",
            "vocab_size": vocabularySize,
            "hidden_size": width,
            "num_hidden_layers": layerCount,
            "num_attention_heads": headCount,
            "intermediate_size": intermediateSize,
            "hidden_act": activation == .gelu ? "gelu" : activation == .geluTanh ? "gelu_new" : "relu",
            "max_position_embeddings": maxPositions,
            "type_vocab_size": typeVocabularySize,
            "layer_norm_eps": shortest(layerNormEpsilon),
            "hidden_dropout_prob": shortest(hiddenDropout),
            "attention_probs_dropout_prob": shortest(attentionDropout),
            "initializer_range": shortest(initializerRange),
            "position_embedding_type": positionEmbeddingType.rawValue,
            "pad_token_id": padTokenId,
        ]
        if preLayerNorm { json["pre_layer_norm"] = true }
        return json
    }

    /// The Double that prints like the Float (1e-12, not 9.99999996e-13).
    private func shortest(_ value: Float) -> Double { Double("\(value)") ?? Double(value) }

    /// Writes config.json atomically, keys sorted, numbers as short as they round-trip.
    public func write(to url: URL, withHead: Bool = true) throws {
        let data = try JSONSerialization.data(withJSONObject: jsonObject(withHead: withHead), options: [.prettyPrinted, .sortedKeys])
        try AtomicFile.write(data + Data("\n".utf8), to: url)
    }
}
