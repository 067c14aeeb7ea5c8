// The encoder's input layer: token embedding + position embedding (+ token-type embedding),
// then LayerNorm and dropout, as in BERT:  E = LN(W_tok[ids] + P[0..<T] + W_type[types]).
// Positions are learned (a table) or sinusoidal (fixed), per EncoderConfig.
// Not handled: embedding factorisation (ALBERT), scaling the token embedding by √C (the original
// Transformer) — BERT does neither.

import Autograd
import NeuralNetwork
import TensorCore

// B batch, T tokens, C model width, V vocabulary.

/// Token + position + token-type embeddings, normalised.
public final class Embeddings: Layer {
    public let token: Embedding                    // [V, C]
    public let learnedPositions: LearnedPositions? // [maxPositions, C]
    public let sinusoidalPositions: SinusoidalPositions?
    public let tokenType: Embedding?               // [typeVocabularySize, C]
    public let norm: LayerNorm
    public let dropoutProbability: Float

    public init(config: EncoderConfig, generator: inout SeededGenerator) {
        let sigma = config.initializerRange
        token = Embedding(count: config.vocabularySize, dimension: config.width, standardDeviation: sigma, generator: &generator)
        token.zeroRow(config.padTokenId)  // HF BERT initialises the padding row to zeros
        switch config.positionEmbeddingType {
        case .learned:
            learnedPositions = LearnedPositions(maxPositions: config.maxPositions, dimension: config.width, standardDeviation: sigma, generator: &generator)
            sinusoidalPositions = nil
        case .sinusoidal:
            learnedPositions = nil
            sinusoidalPositions = SinusoidalPositions(maxPositions: config.maxPositions, dimension: config.width)
        }
        tokenType = config.typeVocabularySize > 0
            ? Embedding(count: config.typeVocabularySize, dimension: config.width, standardDeviation: sigma, generator: &generator) : nil
        norm = LayerNorm(dimension: config.width, epsilon: config.layerNormEpsilon)
        dropoutProbability = config.hiddenDropout
    }

    public var children: [(name: String, layer: any Layer)] {
        var result: [(name: String, layer: any Layer)] = [("token", token)]
        if let learnedPositions { result.append(("position", learnedPositions)) }
        if let sinusoidalPositions { result.append(("sinusoidal", sinusoidalPositions)) }
        if let tokenType { result.append(("tokenType", tokenType)) }
        result.append(("norm", norm))
        return result
    }

    public var summary: String { "Embeddings" }

    /// ids, types: B·T values (row-major [B, T]) → [B, T, C].
    public func callAsFunction(ids: [Int], tokenTypes: [Int]?, batch: Int, length: Int, context: ForwardContext) -> Variable {
        var sum = token(ids, batch: batch, length: length, context: context)          // [B, T, C]
        let width = token.dimension
        let positions: Variable                                                        // [T, C]
        if let learnedPositions {
            positions = learnedPositions(length: length, context: context)
        } else {
            positions = sinusoidalPositions!(length: length)
        }
        // Positions are the same for every sequence: tile [T, C] to [B, T, C] through a gather.
        let tiled = gatherRows(positions, indices: (0..<(batch * length)).map { $0 % length })
        sum = add(sum, reshape(tiled, [batch, length, width]))
        if let tokenType {
            let types = tokenTypes ?? [Int](repeating: 0, count: batch * length)
            sum = add(sum, tokenType(types, batch: batch, length: length, context: context))
        }
        context.record("embeddings.sum", sum)
        var output = norm(sum, context: context)
        if context.isTraining && dropoutProbability > 0 {
            output = dropout(output, probability: dropoutProbability, generator: &context.generator)
        }
        context.record("embeddings", output)
        return output
    }
}
