// EncoderConfig: the shape of a Transformer encoder, one Codable value saved as config.json with
// Hugging Face BERT's keys (vocab_size, hidden_size, num_hidden_layers, …) plus ours for what BERT
// lacks (position_embedding_type "sinusoidal", pre_layer_norm). Defaults follow BERT (Devlin et
// al., 2019); presets name the sizes used in this project. Reading validates every field and
// names the key that is wrong.
// Not handled: BERT variants with other keys (ALBERT's embedding_size, relative positions…): they
// are refused with an error naming the key.

import Foundation
import NeuralNetwork
import TensorCore

/// Where positions come from.
public enum PositionEmbeddingType: String, Codable, Sendable {
    /// A learned table (BERT's "absolute").
    case learned = "absolute"
    /// The fixed sin/cos table.
    case sinusoidal
}

/// The hyper-parameters of a Transformer encoder and its masked-LM head.
public struct EncoderConfig: Equatable, Sendable {
    /// Tokens in the vocabulary (rows of the token embedding). HF: vocab_size.
    public var vocabularySize: Int
    /// Model width C. HF: hidden_size.
    public var width: Int
    /// Encoder blocks. HF: num_hidden_layers.
    public var layerCount: Int
    /// Attention heads H; must divide `width`. HF: num_attention_heads.
    public var headCount: Int
    /// Feed-forward inner width F (4·C in BERT). HF: intermediate_size.
    public var intermediateSize: Int
    /// The feed-forward activation. HF: hidden_act ("gelu", "gelu_new", "relu").
    public var activation: Activation
    /// Longest sequence, in tokens. HF: max_position_embeddings.
    public var maxPositions: Int
    /// Token-type (segment) ids; 0 drops the table. HF: type_vocab_size.
    public var typeVocabularySize: Int
    /// ε in every LayerNorm. HF: layer_norm_eps (BERT: 1e-12).
    public var layerNormEpsilon: Float
    /// Dropout after the embeddings, attention output and FFN output. HF: hidden_dropout_prob.
    public var hiddenDropout: Float
    /// Dropout on the attention probabilities. HF: attention_probs_dropout_prob.
    public var attentionDropout: Float
    /// σ of the truncated-normal initialisation. HF: initializer_range.
    public var initializerRange: Float
    /// Learned (BERT) or sinusoidal positions. HF: position_embedding_type (ours adds "sinusoidal").
    public var positionEmbeddingType: PositionEmbeddingType
    /// Pre-LN blocks plus a final LayerNorm, instead of BERT's post-LN. Ours: pre_layer_norm.
    public var preLayerNorm: Bool
    /// The padding token's id. HF: pad_token_id.
    public var padTokenId: Int

    public init(vocabularySize: Int, width: Int, layerCount: Int, headCount: Int, intermediateSize: Int? = nil,
                activation: Activation = .gelu, maxPositions: Int = 512, typeVocabularySize: Int = 2,
                layerNormEpsilon: Float = 1e-12, hiddenDropout: Float = 0.1, attentionDropout: Float = 0.1,
                initializerRange: Float = 0.02, positionEmbeddingType: PositionEmbeddingType = .learned,
                preLayerNorm: Bool = false, padTokenId: Int = 0) {
        self.vocabularySize = vocabularySize
        self.width = width
        self.layerCount = layerCount
        self.headCount = headCount
        self.intermediateSize = intermediateSize ?? 4 * width
        self.activation = activation
        self.maxPositions = maxPositions
        self.typeVocabularySize = typeVocabularySize
        self.layerNormEpsilon = layerNormEpsilon
        self.hiddenDropout = hiddenDropout
        self.attentionDropout = attentionDropout
        self.initializerRange = initializerRange
        self.positionEmbeddingType = positionEmbeddingType
        self.preLayerNorm = preLayerNorm
        self.padTokenId = padTokenId
    }

    // MARK: - Presets

    /// 2 layers × 128 wide, 2 heads: tests, examples, quick experiments.
    public static func tiny(vocabularySize: Int) -> EncoderConfig {
        EncoderConfig(vocabularySize: vocabularySize, width: 128, layerCount: 2, headCount: 2, maxPositions: 512)
    }

    /// 4 layers × 256 wide, 4 heads, FFN 1024: the benchmark configuration.
    public static func small(vocabularySize: Int) -> EncoderConfig {
        EncoderConfig(vocabularySize: vocabularySize, width: 256, layerCount: 4, headCount: 4, maxPositions: 512)
    }

    /// 6 layers × 384 wide, 12 heads, FFN 1536: all-MiniLM-L6-v2's shape.
    public static func miniLM(vocabularySize: Int = 30522) -> EncoderConfig {
        EncoderConfig(vocabularySize: vocabularySize, width: 384, layerCount: 6, headCount: 12, intermediateSize: 1536)
    }

    /// D = C / H.
    public var headWidth: Int { width / headCount }

    /// The Float values `MaskedLanguageModel(config:)` allocates: encoder and masked-LM head
    /// parameters plus the position table ([P, C], learned or sinusoidal):
    ///   C·(V + P + T + 2) + L·(4C² + 2C·F + 9C + F) + (pre-LN: 2C) + C² + 3C + V.
    /// Loaders compare it with the values in the weights file before allocating anything, so a
    /// config.json cannot ask for more memory than its weights justify (Docs/Reliability.md).
    /// Call it on a validated config: `validate` bounds every field, so the sum cannot overflow.
    public var allocatedValueCount: Int {
        let (C, V, P, T, F, L) = (width, vocabularySize, maxPositions, typeVocabularySize, intermediateSize, layerCount)
        let perLayer = 4 * C * C + 2 * C * F + 9 * C + F
        return C * (V + P + T + 2) + L * perLayer + (preLayerNorm ? 2 * C : 0) + C * C + 3 * C + V
    }

    /// Checks the relations between fields; `file` names where the config came from.
    public func validate(file: String = "config.json") throws {
        func fail(_ key: String, _ problem: String, _ fix: String) -> FileError {
            FileError(.malformed, file: file, field: key, problem: problem, fix: fix)
        }
        guard vocabularySize > 0 && vocabularySize <= 10_000_000 else { throw fail("vocab_size", "\(vocabularySize) is outside 1...10,000,000", "Set the tokenizer's vocabulary size") }
        guard width > 0 && width <= 65536 else { throw fail("hidden_size", "\(width) is outside 1...65,536", "Use a positive width") }
        guard layerCount >= 0 && layerCount <= 1000 else { throw fail("num_hidden_layers", "\(layerCount) is outside 0...1000", "Use a sensible layer count") }
        guard headCount > 0 && width % headCount == 0 else {
            throw fail("num_attention_heads", "\(headCount) heads do not divide hidden_size \(width)", "Choose a head count that divides the width (e.g. \(width / 64 > 0 ? width / 64 : 1))")
        }
        guard intermediateSize > 0 && intermediateSize <= 1 << 20 else { throw fail("intermediate_size", "\(intermediateSize) is outside 1...1,048,576", "Use about 4 × hidden_size") }
        guard maxPositions > 0 && maxPositions <= 1 << 20 else { throw fail("max_position_embeddings", "\(maxPositions) is outside 1...1,048,576", "Use the longest sequence you need, e.g. 512") }
        guard typeVocabularySize >= 0 && typeVocabularySize <= 1024 else { throw fail("type_vocab_size", "\(typeVocabularySize) is outside 0...1024", "Use 2 (BERT) or 0") }
        guard layerNormEpsilon > 0 && layerNormEpsilon < 1 else { throw fail("layer_norm_eps", "\(layerNormEpsilon) is not in (0, 1)", "Use 1e-12 (BERT) or 1e-5") }
        for (key, value) in [("hidden_dropout_prob", hiddenDropout), ("attention_probs_dropout_prob", attentionDropout)] where !(value >= 0 && value < 1) {
            throw fail(key, "\(value) is not a probability in [0, 1)", "Use 0.1 (BERT) or 0")
        }
        guard padTokenId >= 0 && padTokenId < vocabularySize else { throw fail("pad_token_id", "\(padTokenId) is outside the vocabulary 0..<\(vocabularySize)", "Set it to the tokenizer's [PAD] id") }
    }
}
