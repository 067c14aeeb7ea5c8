// Multi-head self-attention (Vaswani et al., 2017, §3.2.2): project x to queries, keys and
// values, attend within each of H heads of width D = C/H, then mix the heads with an output
// projection. The attention itself is the fused op in Autograd/Ops/ScaledDotProductAttention.swift.
// When a recorder is attached (traces, teaching), Autograd's `composedAttention` (the same
// attention from primitive ops) runs instead, so that the scores and probabilities are tape
// values with gradients of their own; the two are equal (Tests/AutogradTests/CompositionTests.swift).
// Not handled: cross-attention (keys from another sequence), key/value caching.

import Autograd
import TensorCore

// B batch, T tokens, C model width, H heads, D = C/H per head.

/// Self-attention over H heads with query/key/value/output projections.
public final class MultiHeadAttention: Layer {
    public let query: Linear
    public let key: Linear
    public let value: Linear
    public let output: Linear
    public let headCount: Int
    public let dropoutProbability: Float
    public let isCausal: Bool

    public init(width: Int, headCount: Int, dropoutProbability: Float = 0, isCausal: Bool = false,
                standardDeviation: Float = 0.02, generator: inout SeededGenerator) {
        precondition(headCount > 0 && width % headCount == 0, "MultiHeadAttention: width \(width) is not divisible by \(headCount) heads")
        query = Linear(inFeatures: width, outFeatures: width, standardDeviation: standardDeviation, generator: &generator)
        key = Linear(inFeatures: width, outFeatures: width, standardDeviation: standardDeviation, generator: &generator)
        value = Linear(inFeatures: width, outFeatures: width, standardDeviation: standardDeviation, generator: &generator)
        output = Linear(inFeatures: width, outFeatures: width, standardDeviation: standardDeviation, generator: &generator)
        self.headCount = headCount
        self.dropoutProbability = dropoutProbability
        self.isCausal = isCausal
    }

    public var children: [(name: String, layer: any Layer)] {
        [("query", query), ("key", key), ("value", value), ("output", output)]
    }

    public var summary: String { "MultiHeadAttention(\(query.inFeatures) wide, \(headCount) heads\(isCausal ? ", causal" : ""))" }

    /// x: [B, T, C], mask: [B, T] (1 real, 0 padding) → [B, T, C], and P [B, H, T, T].
    ///
    /// With `rows` (flat indices b·T + i into [B, T]) only those positions ask: every position
    /// gives its key and value, but queries, attention and the output projection are computed for
    /// the N rows alone (SelectedQueryAttention.swift). The output is [N, C] and P is [N, H, T].
    /// A masked-LM step's last layer needs nothing else (EncoderBlock). `rowsOfX`, when the caller
    /// has already gathered those rows of x [N, C], is used instead of gathering them again.
    public func callAsFunction(_ x: Variable, mask: Tensor?, context: ForwardContext, name: String = "attention",
                               rows: [Int]? = nil, rowsOfX: Variable? = nil) -> (output: Variable, probabilities: Tensor) {
        let queried = rows.map { rowsOfX ?? gatherRows(reshape(x, [x.shape[0] * x.shape[1], x.shape[2]]), indices: $0) } ?? x
        let q = query(queried, context: context)  // [B, T, C], or [N, C] with rows
        let k = key(x, context: context)          // [B, T, C]
        let v = value(x, context: context)        // [B, T, C]
        context.record("\(name).query", q)
        context.record("\(name).key", k)
        context.record("\(name).value", v)
        let dropout: (probability: Float, generator: SeededGenerator)? =
            context.isTraining && dropoutProbability > 0 ? (dropoutProbability, context.generator.split()) : nil
        let attended: Variable
        let probabilities: Tensor
        if let rows {
            (attended, probabilities) = selectedQueryAttention(
                query: q, key: k, value: v, rows: rows, heads: headCount, keyMask: mask, causal: isCausal, dropout: dropout)
        } else if context.recorder != nil && dropout == nil {
            // The readable composition, so that scores and probabilities are tape values.
            let composed = composedAttention(query: q, key: k, value: v, heads: headCount, keyMask: mask, causal: isCausal)
            context.record("\(name).scores", composed.scores)
            context.record("\(name).probabilities", composed.probabilities)
            (attended, probabilities) = (composed.output, composed.probabilities.value)
        } else {
            (attended, probabilities) = scaledDotProductAttention(
                query: q, key: k, value: v, heads: headCount, keyMask: mask, causal: isCausal, dropout: dropout)
        }
        context.record("\(name).context", attended)
        let projected = output(attended, context: context)  // [B, T, C], or [N, C] with rows
        context.record("\(name).output", projected)
        return (projected, probabilities)
    }
}
