// The one place where our parameter names meet Hugging Face BERT's. Model code never sees
// checkpoint names; loading and saving translate through `huggingFaceName(for:)` and back.
//   ours                                   HF BERT (BertModel; "bert." prefix in BertForMaskedLM)
//   embeddings.token.weight                embeddings.word_embeddings.weight
//   embeddings.position.weight             embeddings.position_embeddings.weight
//   embeddings.tokenType.weight            embeddings.token_type_embeddings.weight
//   embeddings.norm.{weight,bias}          embeddings.LayerNorm.{weight,bias}
//   layers.i.attention.{query,key,value}.* encoder.layer.i.attention.self.{query,key,value}.*
//   layers.i.attention.output.*            encoder.layer.i.attention.output.dense.*
//   layers.i.attentionNorm.*               encoder.layer.i.attention.output.LayerNorm.*
//   layers.i.feedForward.intermediate.*    encoder.layer.i.intermediate.dense.*
//   layers.i.feedForward.output.*          encoder.layer.i.output.dense.*
//   layers.i.outputNorm.*                  encoder.layer.i.output.LayerNorm.*
//   finalNorm.*                            encoder.final_layer_norm.*   (ours: pre-LN only)
//   pooler.*                               pooler.dense.*
//   head.transform.*                       cls.predictions.transform.dense.*
//   head.norm.*                            cls.predictions.transform.LayerNorm.*
//   head.bias                              cls.predictions.bias
// Not handled: other architectures' names (RoBERTa's "roberta." prefix maps the same way but is
// not offered, since RoBERTa uses position offsets we do not implement).

/// Translation between our parameter names and Hugging Face BERT checkpoint names.
public enum CheckpointNames: Sendable {
    /// The HF name of an encoder or head parameter, without any "bert." prefix.
    public static func huggingFaceName(for name: String) -> String {
        var parts = name.split(separator: ".").map(String.init)
        if parts.first == "encoder" { parts.removeFirst() }  // MaskedLanguageModel's "encoder." prefix
        let name = parts.joined(separator: ".")
        let fixed: [String: String] = [
            "embeddings.token.weight": "embeddings.word_embeddings.weight",
            "embeddings.position.weight": "embeddings.position_embeddings.weight",
            "embeddings.tokenType.weight": "embeddings.token_type_embeddings.weight",
            "embeddings.norm.weight": "embeddings.LayerNorm.weight",
            "embeddings.norm.bias": "embeddings.LayerNorm.bias",
            "finalNorm.weight": "encoder.final_layer_norm.weight",
            "finalNorm.bias": "encoder.final_layer_norm.bias",
            "pooler.weight": "pooler.dense.weight",
            "pooler.bias": "pooler.dense.bias",
            "head.transform.weight": "cls.predictions.transform.dense.weight",
            "head.transform.bias": "cls.predictions.transform.dense.bias",
            "head.norm.weight": "cls.predictions.transform.LayerNorm.weight",
            "head.norm.bias": "cls.predictions.transform.LayerNorm.bias",
            "head.bias": "cls.predictions.bias",
        ]
        if let mapped = fixed[name] { return mapped }
        // layers.i.<module>.<leaf>
        guard parts.count >= 4, parts[0] == "layers" else { return name }
        let layer = parts[1], leaf = parts.last!
        let module = parts[2..<(parts.count - 1)].joined(separator: ".")
        let prefix = "encoder.layer.\(layer)."
        switch module {
        case "attention.query", "attention.key", "attention.value":
            return prefix + "attention.self." + parts[3] + "." + leaf
        case "attention.output": return prefix + "attention.output.dense." + leaf
        case "attentionNorm": return prefix + "attention.output.LayerNorm." + leaf
        case "feedForward.intermediate": return prefix + "intermediate.dense." + leaf
        case "feedForward.output": return prefix + "output.dense." + leaf
        case "outputNorm": return prefix + "output.LayerNorm." + leaf
        default: return name
        }
    }

    /// Whether a name belongs to the masked-LM head (stored without the "bert." prefix).
    public static func isHeadName(_ huggingFaceName: String) -> Bool {
        huggingFaceName.hasPrefix("cls.")
    }

    /// The names under which a checkpoint may store an HF tensor: with or without "bert.",
    /// and the old LayerNorm spelling (gamma/beta for weight/bias).
    public static func candidates(for huggingFaceName: String) -> [String] {
        var names = isHeadName(huggingFaceName) ? [huggingFaceName] : [huggingFaceName, "bert." + huggingFaceName]
        if huggingFaceName.contains("LayerNorm.") || huggingFaceName.contains("final_layer_norm.") {
            let old = huggingFaceName.replacingSuffix(".weight", with: ".gamma").replacingSuffix(".bias", with: ".beta")
            if old != huggingFaceName { names += isHeadName(old) ? [old] : [old, "bert." + old] }
        }
        return names
    }
}

extension String {
    func replacingSuffix(_ suffix: String, with replacement: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) + replacement : self
    }
}
