// AttentionInternals: every number inside every attention head of one pass, as typed Swift values
// with shape-labelled accessors: per layer and head the tokens' queries, keys and values [T, D],
// the scaled scores, the mask and the probabilities [T, T], and the head's output [T, D]; with
// masked positions (masked-LM loss) also the gradient of the loss with respect to each of them.
// It is the data of `EncoderTrace` (names in Docs/Trace.md), cut per head. Reference: Vaswani et
// al. (2017) §3.2 for the quantities; bertviz for what a teacher wants to look at.
// Not handled: several texts at once or padded batches (capture one text at a time), dropout.

import Encoder
import Foundation
import TensorCore
import Tokenization

// T tokens, D = C/H per-head width, H heads, L layers.

// MARK: - One head, one layer

/// ∂L/∂(each quantity of one head), L the mean masked-LM cross-entropy.
public struct AttentionHeadGradients: Sendable {
    public let query: TokenVectors          // [T, D]
    public let key: TokenVectors            // [T, D]
    public let value: TokenVectors          // [T, D]
    public let scores: TokenPairMatrix      // [T, T]
    public let probabilities: TokenPairMatrix  // [T, T]
    public let output: TokenVectors         // [T, D]
}

/// Everything inside one head of one layer:
/// S = Q Kᵀ/√D (−10⁹ where the mask hides a key), P = softmax(S) per row, O = P V.
public struct AttentionHead: Sendable {
    /// Which layer (0-based, as in the trace names `layers.L`).
    public let layer: Int
    /// Which head (0-based): columns h·D..<(h+1)·D of the projections.
    public let index: Int
    public let query: TokenVectors          // Q [T, D]
    public let key: TokenVectors            // K [T, D]
    public let value: TokenVectors          // V [T, D]
    /// S = Q Kᵀ/√D plus the additive mask: the values the softmax receives. [T, T]
    public let scores: TokenPairMatrix
    /// 1 where the query may see the key, 0 where it is hidden (padding, or the future when causal). [T, T]
    public let mask: TokenPairMatrix
    /// P = softmax(S) over keys; each row sums to 1. [T, T]
    public let probabilities: TokenPairMatrix
    /// O = P V: the head's columns of the attention context, before the output projection. [T, D]
    public let output: TokenVectors
    /// Present when the capture had masked positions.
    public let gradients: AttentionHeadGradients?

    /// T.
    public var tokenCount: Int { probabilities.rows }
    /// D.
    public var width: Int { query.columns }

    /// The entropy of query `query`'s attention row in bits: −Σⱼ Pᵢⱼ log₂ Pᵢⱼ.
    /// 0 when all weight is on one key; log₂ T when it is spread evenly over T keys.
    public func entropy(query: Int) -> Double {
        var total = 0.0
        for p in probabilities.row(query: query) where p > 0 { total -= Double(p) * log2(Double(p)) }
        return total
    }

    /// The mean over queries of `entropy(query:)`, in bits.
    public var meanEntropy: Double {
        tokenCount == 0 ? 0 : (0..<tokenCount).map(entropy(query:)).reduce(0, +) / Double(tokenCount)
    }
}

/// The H heads of one layer.
public struct AttentionLayer: Sendable {
    public let index: Int
    public let heads: [AttentionHead]

    /// Head `index` (0-based).
    public func head(_ index: Int) -> AttentionHead {
        precondition(index >= 0 && index < heads.count, "head(\(index)): the layer has heads 0..<\(heads.count)")
        return heads[index]
    }
}

// MARK: - The whole pass

/// Why internals could not be built from a trace.
public enum AttentionInternalsError: Error, CustomStringConvertible, Equatable, Sendable {
    case missingTensor(name: String)
    case unexpectedShape(name: String, shape: [Int], expected: String)
    case tokenCountMismatch(tokens: Int, traced: Int)

    public var description: String {
        switch self {
        case let .missingTensor(name):
            return "attention internals: the trace has no tensor \"\(name)\"; capture with EncoderTrace.run (masked positions give the .grad tensors)"
        case let .unexpectedShape(name, shape, expected):
            return "attention internals: \"\(name)\" has shape \(shape), expected \(expected); the trace must come from one unpadded text"
        case let .tokenCountMismatch(tokens, traced):
            return "attention internals: \(tokens) token labels for a trace of \(traced) tokens; pass the tokens of the traced text"
        }
    }
}

/// Every layer's and head's attention internals for one text.
///
/// ```swift
/// let internals = try AttentionInternals.capture(embedder: embedder, text: "The cat sat.", maskedPositions: [2])
/// let p = internals.layer(1).head(3).probabilities      // [T, T]
/// print(internals.labels[0], "→", internals.labels[2], p[query: 0, key: 2])
/// let dS = internals.layer(1).head(3).gradients?.scores  // ∂L/∂S, [T, T]
/// ```
public struct AttentionInternals: Sendable {
    /// The tokenizer's token strings ("Ġcat" for byte-level BPE), or the ids as text.
    public let tokens: [String]
    /// Readable labels: each token's slice of the text ("cat"), special tokens as spelled ("[CLS]").
    public let labels: [String]
    /// Whether the text has white space just before each token (to lay tokens out as text).
    public let spaceBefore: [Bool]
    /// The ids fed to the model (masked positions already replaced by the mask id).
    public let ids: [Int]
    /// Positions predicted by the masked-LM head (empty for a forward-only capture).
    public let maskedPositions: [Int]
    /// The masked-LM loss, when there were masked positions.
    public let loss: Float?
    public let layers: [AttentionLayer]

    /// Layer `index` (0-based).
    public func layer(_ index: Int) -> AttentionLayer {
        precondition(index >= 0 && index < layers.count, "layer(\(index)): the model has layers 0..<\(layers.count)")
        return layers[index]
    }

    public var layerCount: Int { layers.count }
    public var headCount: Int { layers.first?.heads.count ?? 0 }
    public var tokenCount: Int { tokens.count }

    /// Cuts a trace into heads.
    ///
    /// - Parameters:
    ///   - trace: `EncoderTrace.run`'s pairs; needs `layers.L.attention.{query,key,value,scores,
    ///     probabilities,context}` for every L, and their `.grad` when `maskedPositions` is not empty.
    ///   - tokens, labels, spaceBefore: per token; labels default to the tokens.
    ///   - keyMask: 1 for a key every query may see, 0 to hide it (default: all visible).
    ///   - causal: whether the model hid keys after each query.
    /// - Complexity: O(L·H·T·(T + D)) copies.
    public init(trace: [(name: String, tensor: Tensor)], tokens: [String], labels: [String]? = nil, spaceBefore: [Bool]? = nil,
                ids: [Int], maskedPositions: [Int] = [], keyMask: [Float]? = nil, causal: Bool = false) throws {
        for count in [labels?.count, spaceBefore?.count].compactMap({ $0 }) where count != tokens.count {
            throw AttentionInternalsError.tokenCountMismatch(tokens: count, traced: tokens.count)
        }
        var named: [String: Tensor] = [:]
        for entry in trace { named[entry.name] = entry.tensor }
        func find(_ name: String) throws -> Tensor {
            guard let tensor = named[name] else { throw AttentionInternalsError.missingTensor(name: name) }
            return tensor
        }
        var layers: [AttentionLayer] = []
        var layer = 0
        while named["layers.\(layer).attention.probabilities"] != nil {
            let base = "layers.\(layer).attention"
            let probabilities = try find("\(base).probabilities")  // [1, H, T, T]
            guard probabilities.rank == 4, probabilities.shape[0] == 1, probabilities.shape[2] == probabilities.shape[3] else {
                throw AttentionInternalsError.unexpectedShape(name: "\(base).probabilities", shape: probabilities.shape, expected: "[1, H, T, T]")
            }
            let (h, t) = (probabilities.shape[1], probabilities.shape[2])
            guard t == tokens.count else { throw AttentionInternalsError.tokenCountMismatch(tokens: tokens.count, traced: t) }
            var perToken: [String: Tensor] = [:]
            for part in ["query", "key", "value", "context"] {
                let tensor = try find("\(base).\(part)")  // [1, T, C]
                guard tensor.rank == 3, tensor.shape[0] == 1, tensor.shape[1] == t, tensor.shape[2] % h == 0 else {
                    throw AttentionInternalsError.unexpectedShape(name: "\(base).\(part)", shape: tensor.shape, expected: "[1, \(t), C] with C divisible by \(h)")
                }
                perToken[part] = tensor
            }
            let scores = try find("\(base).scores")
            guard scores.shape == probabilities.shape else {
                throw AttentionInternalsError.unexpectedShape(name: "\(base).scores", shape: scores.shape, expected: "\(probabilities.shape)")
            }
            let mask = Self.mask(tokens: t, keyMask: keyMask, causal: causal)
            var gradients: [String: Tensor]? = nil
            if !maskedPositions.isEmpty {
                var found: [String: Tensor] = [:]
                for part in ["query", "key", "value", "context", "scores", "probabilities"] {
                    let tensor = try find("\(base).\(part).grad")
                    let expected = part == "scores" || part == "probabilities" ? probabilities.shape : perToken[part]!.shape
                    guard tensor.shape == expected else {
                        throw AttentionInternalsError.unexpectedShape(name: "\(base).\(part).grad", shape: tensor.shape, expected: "\(expected)")
                    }
                    found[part] = tensor
                }
                gradients = found
            }
            let heads = (0..<h).map { head -> AttentionHead in
                let columns = { (tensor: Tensor) in Self.headColumns(tensor, head: head, heads: h) }
                let pairs = { (tensor: Tensor) in Self.headPairs(tensor, head: head) }
                let headGradients = gradients.map { g in
                    AttentionHeadGradients(query: columns(g["query"]!), key: columns(g["key"]!), value: columns(g["value"]!),
                                           scores: pairs(g["scores"]!), probabilities: pairs(g["probabilities"]!),
                                           output: columns(g["context"]!))
                }
                return AttentionHead(layer: layer, index: head, query: columns(perToken["query"]!), key: columns(perToken["key"]!),
                                     value: columns(perToken["value"]!), scores: pairs(scores), mask: mask,
                                     probabilities: pairs(probabilities), output: columns(perToken["context"]!),
                                     gradients: headGradients)
            }
            layers.append(AttentionLayer(index: layer, heads: heads))
            layer += 1
        }
        if layers.isEmpty { throw AttentionInternalsError.missingTensor(name: "layers.0.attention.probabilities") }
        self.tokens = tokens
        self.labels = labels ?? tokens
        self.spaceBefore = spaceBefore ?? tokens.indices.map { $0 > 0 }
        self.ids = ids
        self.maskedPositions = maskedPositions
        self.loss = maskedPositions.isEmpty ? nil : named["mlm.loss"]?.scalars.first
        self.layers = layers
    }

    /// Runs `model` on one tokenised text with recording on (`EncoderTrace.run`) and cuts the result.
    ///
    /// - Parameters:
    ///   - ids: the text's ids with its special tokens.
    ///   - tokens, labels, spaceBefore: per token (default: the ids as text).
    ///   - maskedPositions: positions replaced by `maskTokenId` and predicted; they add the gradients.
    public static func capture(model: MaskedLanguageModel, ids: [Int], tokens: [String]? = nil, labels: [String]? = nil,
                               spaceBefore: [Bool]? = nil, maskedPositions: [Int] = [], maskTokenId: Int? = nil) throws -> AttentionInternals {
        let trace = try EncoderTrace.run(model: model, ids: ids, maskedPositions: maskedPositions, maskTokenId: maskTokenId)
        var fed = ids
        if let maskTokenId { for position in maskedPositions { fed[position] = maskTokenId } }
        return try AttentionInternals(trace: trace, tokens: tokens ?? ids.map(String.init), labels: labels, spaceBefore: spaceBefore,
                                      ids: fed, maskedPositions: maskedPositions,
                                      causal: model.encoder.layers.first?.attention.isCausal ?? false)
    }

    /// Tokenises `text` with the model folder's tokenizer (special tokens included) and captures it.
    ///
    /// - Parameter maskedPositions: token positions (0 = the first token, usually [CLS]) to mask
    ///   with the tokenizer's [MASK] (or <mask>) token; the folder must have masked-LM head weights.
    /// A text longer than the model's positions throws `EncoderInputError.sequenceTooLong` unless
    /// `embedder.truncates` is set (then it is cut, keeping the closing special token).
    /// - Throws: `EncoderInputError`, or `AttentionCaptureError` when masking is impossible.
    public static func capture(embedder: SentenceEmbedder, text: String, maskedPositions: [Int] = []) throws -> AttentionInternals {
        var encoding = try embedder.tokenizer.encode(text)
        let maximum = embedder.config.maxPositions
        if encoding.count > maximum {
            guard embedder.truncates else {
                throw EncoderInputError.sequenceTooLong(sequence: 0, length: encoding.count, maximum: maximum)
            }
            encoding = truncated(encoding, to: maximum)
        }
        if let bad = maskedPositions.first(where: { $0 < 0 || $0 >= encoding.count }) {
            throw AttentionCaptureError.positionOutOfRange(position: bad, tokenCount: encoding.count)
        }
        var maskId: Int? = nil
        if !maskedPositions.isEmpty {
            maskId = ["[MASK]", "<mask>"].lazy.compactMap { embedder.tokenizer.id(forToken: $0) }.first
            guard maskId != nil else { throw AttentionCaptureError.noMaskToken }
            guard embedder.folder.hasTrainedHead else { throw AttentionCaptureError.noMaskedLMHead(folder: embedder.folder.url.path) }
        }
        let (labels, spaces) = readableLabels(text: text, encoding: encoding)
        return try capture(model: embedder.folder.model, ids: encoding.ids, tokens: encoding.tokens, labels: labels,
                           spaceBefore: spaces, maskedPositions: maskedPositions, maskTokenId: maskId)
    }

    // MARK: - Helpers

    /// Each token's slice of the text, trimmed (special tokens keep their spelling), and whether
    /// white space or a gap precedes it in the text.
    public static func readableLabels(text: String, encoding: Encoding) -> (labels: [String], spaceBefore: [Bool]) {
        let bytes = Array(text.utf8)
        var labels: [String] = [], spaces: [Bool] = []
        var previousEnd: Int? = nil
        for index in 0..<encoding.count {
            let range = index < encoding.offsets.count ? encoding.offsets[index] : 0..<0
            let special = index < encoding.specialTokensMask.count && encoding.specialTokensMask[index] == 1
            if special || range.isEmpty || range.upperBound > bytes.count {
                labels.append(encoding.tokens[index])
                spaces.append(index > 0)
                continue
            }
            let raw = String(decoding: bytes[range], as: UTF8.self)
            let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            labels.append(trimmed.isEmpty ? encoding.tokens[index] : trimmed)
            let gap = previousEnd.map { range.lowerBound > $0 } ?? (index > 0)
            spaces.append(gap || raw.first?.isWhitespace == true)
            previousEnd = range.upperBound
        }
        return (labels, spaces)
    }

    /// The first `maximum` tokens, keeping a closing special token (e.g. [SEP]) in the last place,
    /// as `SentenceEmbedder.tokenize` does.
    static func truncated(_ encoding: Encoding, to maximum: Int) -> Encoding {
        var kept: [Int] = Array(0..<maximum)
        if encoding.specialTokensMask.last == 1, maximum > 0 { kept[maximum - 1] = encoding.count - 1 }
        var result = Encoding()
        result.ids = kept.map { encoding.ids[$0] }
        result.tokens = kept.map { encoding.tokens[$0] }
        result.offsets = kept.map { $0 < encoding.offsets.count ? encoding.offsets[$0] : 0..<0 }
        result.specialTokensMask = kept.map { $0 < encoding.specialTokensMask.count ? encoding.specialTokensMask[$0] : 0 }
        return result
    }

    /// Head `head`'s columns h·D..<(h+1)·D of a [1, T, C] tensor, as [T, D].
    static func headColumns(_ tensor: Tensor, head: Int, heads: Int) -> TokenVectors {
        let (t, c) = (tensor.shape[1], tensor.shape[2])
        let d = c / heads
        var values = [Float](repeating: 0, count: t * d)
        tensor.withUnsafeBufferPointer { source in
            for token in 0..<t {
                for feature in 0..<d { values[token * d + feature] = source[token * c + head * d + feature] }
            }
        }
        return TokenVectors(rows: t, columns: d, values: values)
    }

    /// Head `head`'s [T, T] block of a [1, H, T, T] tensor.
    static func headPairs(_ tensor: Tensor, head: Int) -> TokenPairMatrix {
        let t = tensor.shape[2]
        let values = tensor.withUnsafeBufferPointer { Array($0[(head * t * t)..<((head + 1) * t * t)]) }
        return TokenPairMatrix(rows: t, columns: t, values: values)
    }

    /// 1 where query i may see key j.
    static func mask(tokens t: Int, keyMask: [Float]?, causal: Bool) -> TokenPairMatrix {
        var values = [Float](repeating: 1, count: t * t)
        for query in 0..<t {
            for key in 0..<t where (keyMask.map { key < $0.count && $0[key] == 0 } ?? false) || (causal && key > query) {
                values[query * t + key] = 0
            }
        }
        return TokenPairMatrix(rows: t, columns: t, values: values)
    }
}

/// Why a text could not be captured with masked positions.
public enum AttentionCaptureError: Error, CustomStringConvertible, Equatable, Sendable {
    case noMaskToken
    case noMaskedLMHead(folder: String)
    case positionOutOfRange(position: Int, tokenCount: Int)

    public var description: String {
        switch self {
        case .noMaskToken:
            return "the tokenizer has no [MASK] or <mask> token, so positions cannot be masked; capture without masked positions"
        case let .noMaskedLMHead(folder):
            return "\(folder) has no masked-LM head weights, so masked positions cannot give a loss; capture without masked positions"
        case let .positionOutOfRange(position, count):
            return "masked position \(position) is outside the text's \(count) tokens (0..<\(count), 0 is usually [CLS])"
        }
    }
}
