// HuggingFaceExport: writes a model folder as one that transformers' BertModel (or, with the
// masked-LM head, BertForMaskedLM) and sentence-transformers load with no missing or unexpected
// weights: config.json ("architectures": ["BertModel"]), model.safetensors with BertModel's names
// (no "bert." prefix) and a pooler, tokenizer.json + tokenizer_config.json + special_tokens_map.json,
// and modules.json, 1_Pooling/config.json, sentence_bert_config.json. Our own folders already use
// HF's names; what export adds is BertModel's layout, the pooler, and the files around them.
// Reference: transformers models/bert (BertModel, BertForMaskedLM, BertPooler); sentence-transformers'
// saved-folder layout (v2 names, which v6 still reads).
// Not handled: pre-LN models and sinusoidal positions (BERT has neither: refused), sharded files.

import Foundation
import NeuralNetwork
import TensorCore
import Tokenization

/// Exporting to the Hugging Face / sentence-transformers layout.
///
/// ```swift
/// let folder = try ModelFolder.load(URL(fileURLWithPath: "Weights/tinyencoder-small"))
/// let summary = try HuggingFaceExport.write(folder, to: URL(fileURLWithPath: "exported"))
/// // Python: BertModel.from_pretrained("exported"); SentenceTransformer("exported")
/// ```
public enum HuggingFaceExport: Sendable {
    /// What `write` did, for the caller to report.
    public struct Summary: Equatable, Sendable {
        /// The folder had no pooler, so one was initialised (BertModel needs pooler.dense).
        public var poolerInitialized: Bool
        /// The model has no token-type table, so a zero one-row table was written (BertModel needs one).
        public var typeTableAdded: Bool
        /// The masked-LM head was written (BertForMaskedLM layout).
        public var wroteHead: Bool
        /// tokenizer_config.json's tokenizer_class.
        public var tokenizerClass: String
        /// The files written, relative to the folder.
        public var files: [String]
    }

    /// Writes `folder` in HF's layout at `url` (atomically: a temporary sibling, then a rename).
    ///
    /// - Parameters:
    ///   - includeHead: write BertForMaskedLM's layout ("bert." encoder, "cls." head) instead of
    ///     BertModel's. transformers' BertForMaskedLM then loads everything; BertModel and
    ///     sentence-transformers load it too but report the head's weights as unused.
    ///   - maxSequenceLength: sentence-transformers' max_seq_length (default: the folder's, else
    ///     the model's positions).
    /// - Throws: `FileError(.unsupported)` naming `pre_layer_norm` or `position_embedding_type`
    ///   for models BERT cannot express, or `.unsupported` naming `model.safetensors` when
    ///   `includeHead` is asked of a folder without a head; write errors.
    public static func write(_ folder: ModelFolder, to url: URL, includeHead: Bool = false,
                             maxSequenceLength: Int? = nil) throws -> Summary {
        let config = folder.config
        let configPath = folder.url.appendingPathComponent("config.json").path
        if config.preLayerNorm {
            throw FileError(.unsupported, file: configPath, field: "pre_layer_norm",
                            problem: "is true: BERT has post-LN blocks only, so BertModel cannot run a pre-LN model (nor its final LayerNorm)",
                            fix: "Export a post-LN model (pre_layer_norm false), or keep using it with TinyEncoder")
        }
        if config.positionEmbeddingType == .sinusoidal {
            throw FileError(.unsupported, file: configPath, field: "position_embedding_type",
                            problem: "is \"sinusoidal\": BertModel has only learned (\"absolute\") positions",
                            fix: "Export a model with learned positions, or keep using it with TinyEncoder")
        }
        if includeHead && !folder.hasTrainedHead {
            throw FileError(.unsupported, file: folder.url.appendingPathComponent("model.safetensors").path, field: "cls.predictions",
                            problem: "the folder has no masked-LM head weights", fix: "Export without the head (BertModel layout)")
        }
        let tokenizer = try folder.loadTokenizer()
        let (tensors, summary) = weights(of: folder, includeHead: includeHead)
        var result = summary
        result.tokenizerClass = tokenizerClass(of: tokenizer)
        let length = min(maxSequenceLength ?? folder.textSettings?.maxSequenceLength ?? config.maxPositions, config.maxPositions)

        try AtomicFolder.write(to: url) { output in
            var json = config.jsonObject()
            json["architectures"] = [includeHead ? "BertForMaskedLM" : "BertModel"]
            json["type_vocab_size"] = max(config.typeVocabularySize, 1)
            json["position_embedding_type"] = "absolute"
            try writeJSON(json, to: output.appendingPathComponent("config.json"))
            try Safetensors.write(tensors, metadata: ["format": "pt"], dtype: .float32, to: output.appendingPathComponent("model.safetensors"))
            try writeTokenizerFiles(tokenizer, class: result.tokenizerClass, maxLength: length, to: output)
            try SentenceTransformersFiles.write(pooling: folder.pooling, width: config.width, folder: output, dense: folder.dense)
            try writeJSON(["max_seq_length": length, "do_lower_case": folder.textSettings?.lowercasesInput ?? false],
                          to: output.appendingPathComponent("sentence_bert_config.json"))
            try writeJSON(["prompts": [String: String](), "default_prompt_name": NSNull(), "similarity_fn_name": "cosine"],
                          to: output.appendingPathComponent("config_sentence_transformers.json"))
            result.files = try FileManager.default.subpathsOfDirectory(atPath: output.path).sorted()
        }
        return result
    }

    // MARK: - Weights

    /// BertModel's tensors (or BertForMaskedLM's), with a pooler and a type table if the model lacks them.
    static func weights(of folder: ModelFolder, includeHead: Bool) -> ([(name: String, tensor: Tensor)], Summary) {
        let encoder = folder.model.encoder
        let config = folder.config
        let prefix = includeHead ? "bert." : ""
        var tensors = ModelWeights.tensors(of: encoder, prefix: prefix)
        var summary = Summary(poolerInitialized: false, typeTableAdded: false, wroteHead: includeHead, tokenizerClass: "", files: [])
        // BertForMaskedLM has no pooler (add_pooling_layer=False): a pooler would be an unexpected weight.
        if includeHead { tensors.removeAll { $0.name.hasPrefix(prefix + "pooler.") } }
        if config.typeVocabularySize == 0 {
            // Adding a zero row changes nothing: every token has type 0.
            tensors.append((prefix + "embeddings.token_type_embeddings.weight", Tensor(zeros: [1, config.width])))
            summary.typeTableAdded = true
        }
        if encoder.pooler == nil && !includeHead {
            // BERT's initialisation (N(0, σ²) truncated at ±2σ, σ = initializer_range; bias 0), fixed seed.
            var generator = SeededGenerator(seed: 0x600_1E4)
            let pooler = Linear(inFeatures: config.width, outFeatures: config.width, standardDeviation: config.initializerRange,
                                generator: &generator)
            tensors += pooler.parameters(prefix: "pooler").map { (prefix + CheckpointNames.huggingFaceName(for: $0.name), $0.parameter.value) }
            summary.poolerInitialized = true
        }
        if includeHead {
            tensors += folder.model.head.parameters(prefix: "head").map { (CheckpointNames.huggingFaceName(for: $0.name), $0.parameter.value) }
        }
        return (tensors, summary)
    }

    // MARK: - Tokenizer files

    /// "BertTokenizer" for BERT's WordPiece pipeline, else the generic "PreTrainedTokenizerFast"
    /// (transformers then reads tokenizer.json as it is).
    static func tokenizerClass(of tokenizer: Tokenizer) -> String {
        tokenizer.model is WordPiece && tokenizer.normalizer is BertNormalizer && tokenizer.preTokenizer is BertPreTokenizer
            ? "BertTokenizer" : "PreTrainedTokenizerFast"
    }

    /// The special tokens by transformers' role names, found among the special added tokens.
    static func specialTokens(of tokenizer: Tokenizer) -> [String: String] {
        let roles: [(String, [String])] = [("cls_token", ["[CLS]", "<s>"]), ("sep_token", ["[SEP]", "</s>"]), ("pad_token", ["[PAD]", "<pad>"]),
                                           ("mask_token", ["[MASK]", "<mask>"]), ("unk_token", ["[UNK]", "<unk>"])]
        let special = Set(tokenizer.addedVocabulary.tokens.filter(\.special).map(\.content))
        var result: [String: String] = [:]
        for (role, names) in roles {
            if let name = names.first(where: { special.contains($0) }) { result[role] = name }
        }
        return result
    }

    static func writeTokenizerFiles(_ tokenizer: Tokenizer, class tokenizerClass: String, maxLength: Int, to folder: URL) throws {
        try tokenizer.save(to: folder.appendingPathComponent("tokenizer.json"))
        let specials = specialTokens(of: tokenizer)
        var settings: [String: Any] = specials
        settings["tokenizer_class"] = tokenizerClass
        settings["model_max_length"] = maxLength
        settings["clean_up_tokenization_spaces"] = false
        if tokenizerClass == "BertTokenizer", let normalizer = tokenizer.normalizer as? BertNormalizer {
            settings["do_lower_case"] = normalizer.lowercase
            settings["strip_accents"] = normalizer.stripAccents.map { $0 as Any } ?? NSNull()
            settings["tokenize_chinese_chars"] = normalizer.handleChineseCharacters
        }
        try writeJSON(settings, to: folder.appendingPathComponent("tokenizer_config.json"))
        try writeJSON(specials, to: folder.appendingPathComponent("special_tokens_map.json"))
    }

    static func writeJSON(_ object: Any, to url: URL) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        try AtomicFile.write(data + Data("\n".utf8), to: url)
    }
}
