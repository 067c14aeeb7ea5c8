// Sentence vectors from contextual token embeddings: CLS (the first token), masked mean
// (sentence-transformers' default) or masked max, optionally L2-normalised so that a dot product
// is a cosine. The ops and their backward passes are in Autograd/Ops/*Pooling.swift.
// Not handled: weighted-mean or attention pooling, BERT's pooler (dense + tanh).

import Autograd
import TensorCore

/// How token vectors become one sentence vector.
public enum PoolingStrategy: String, Codable, CaseIterable, Sendable {
    /// The first token's vector ([CLS] in BERT-style inputs).
    case cls
    /// The mean of the real tokens' vectors.
    case mean
    /// The per-feature maximum over the real tokens.
    case max
}

/// Pooling plus optional L2 normalisation.
public struct Pooling: Equatable, Sendable {
    public var strategy: PoolingStrategy
    public var normalize: Bool

    public init(_ strategy: PoolingStrategy, normalize: Bool = false) {
        self.strategy = strategy
        self.normalize = normalize
    }

    /// hidden [B, T, C], mask [B, T] → sentence vectors [B, C].
    public func callAsFunction(_ hidden: Variable, mask: Tensor) -> Variable {
        let pooled: Variable
        switch strategy {
        case .cls: pooled = clsPooling(hidden)
        case .mean: pooled = maskedMeanPooling(hidden, mask: mask)
        case .max: pooled = maskedMaxPooling(hidden, mask: mask)
        }
        return normalize ? l2Normalize(pooled) : pooled
    }
}
