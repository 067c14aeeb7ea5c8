// Fused multi-head scaled dot-product attention (Vaswani et al., 2017), per batch b and head h:
//   pass 1  S = (Q_h K_hᵀ) / √D                       [T, T]
//   pass 2  S[i, j] = −∞ where key j is padding (or j > i when causal); P = softmax_rows(S)
//   pass 3  P̃ = P ⊙ dropout mask (training only)
//   pass 4  O_h = P̃ V_h                               [T, D], written into its columns of O
// Q, K, V and O stay [B, T, C]: head h is the column block h·D..<(h+1)·D, read in place through
// GEMM leading dimensions, so no split/merge copies are made. The backward undoes passes 4…1.
// Equivalent to the composition splitHeads → matmul → scale → mask → softmax → matmul →
// mergeHeads (tested). Reference: llm.c attention_forward/attention_backward.
// Not handled: relative position biases, key/value caches, grouped-query heads.

import CKernels
import TensorCore

/// Scaled dot-product attention over H heads with a key padding mask and an optional causal mask.
public enum ScaledDotProductAttentionOp: Sendable {
    /// What the backward needs: the three inputs, the probabilities, and the dropout mask if any.
    public struct Cache: Sendable {
        public let query: Tensor          // [B, T, C]
        public let key: Tensor            // [B, T, C]
        public let value: Tensor          // [B, T, C]
        public let probabilities: Tensor  // [B, H, T, T], P before dropout
        public let dropoutMask: Tensor?   // [B, H, T, T], 0 or 1/(1 − p)
        public let heads: Int
        public let scale: Float
    }

    // B batch, T tokens, C model width, H heads, D = C/H per head.

    /// - Parameters:
    ///   - query, key, value: [B, T, C] each.
    ///   - keyMask: [B, T], 1 for a real token and 0 for padding, or nil when nothing is padded.
    ///   - causal: also hide keys after the query (j > i).
    ///   - dropout: attention dropout probability and its generator, or nil.
    /// - Returns: the output [B, T, C] and the cache, whose `probabilities` are P [B, H, T, T].
    /// - Complexity: 4·B·T²·C multiply-adds forward, twice that backward.
    public static func forward(
        query: Tensor, key: Tensor, value: Tensor, heads: Int, keyMask: Tensor?, causal: Bool,
        dropout: (probability: Float, generator: SeededGenerator)? = nil
    ) -> (output: Tensor, cache: Cache) {
        checkShape(query.rank == 3 && key.shape == query.shape && value.shape == query.shape, "attention",
                   "query, key and value must share one [B, T, C] shape, got \(query.shape), \(key.shape), \(value.shape)")
        let (b, t, c) = (query.shape[0], query.shape[1], query.shape[2])
        checkShape(heads > 0 && c % heads == 0, "attention", "width \(c) is not divisible by \(heads) heads")
        if let keyMask { checkShape(keyMask.shape == [b, t], "attention", "key mask \(keyMask.shape), expected [\(b), \(t)]") }
        let d = c / heads
        let scale = 1 / Float(d).squareRoot()
        var probabilities = Tensor(uninitializedShape: [b, heads, t, t])  // [B, H, T, T]
        var output = Tensor(uninitializedShape: [b, t, c])                 // [B, T, C]
        var dropoutMask: Tensor? = nil
        if let dropout, dropout.probability > 0 {
            var generator = dropout.generator
            let keep = 1 / (1 - dropout.probability)
            var mask = Tensor(uninitializedShape: [b, heads, t, t])
            mask.withUnsafeMutableBufferPointer { values in
                for index in values.indices { values[index] = generator.nextUniform() < dropout.probability ? 0 : keep }
            }
            dropoutMask = mask
        }
        let maskValues = keyMask?.scalars ?? []
        let dropoutValues = dropoutMask?.scalars ?? []
        query.withUnsafeBufferPointer { qv in key.withUnsafeBufferPointer { kv in value.withUnsafeBufferPointer { vv in
            probabilities.withUnsafeMutableBufferPointer { pv in output.withUnsafeMutableBufferPointer { ov in
                maskValues.withUnsafeBufferPointer { mv in dropoutValues.withUnsafeBufferPointer { dv in
                    let q = qv.baseAddress!, k = kv.baseAddress!, v = vv.baseAddress!
                    let p = pv.baseAddress!, o = ov.baseAddress!
                    let hasMask = keyMask != nil, hasDropout = dropoutMask != nil
                    parallelFor(b * heads) { _, range in
                        let dropped = UnsafeMutablePointer<Float>.allocate(capacity: hasDropout ? t * t : 1)
                        defer { dropped.deallocate() }
                        for pair in range {
                            let (batch, head) = (pair / heads, pair % heads)
                            let base = batch * t * c + head * d           // Q_h, K_h, V_h, O_h start here
                            let scores = p + pair * t * t                  // [T, T]
                            // pass 1: S = Q_h K_hᵀ / √D
                            te_sgemm(0, 1, t, t, d, scale, q + base, c, k + base, c, 0, scores, t)
                            // pass 2: mask, then softmax each row
                            maskAndSoftmax(scores, t: t, keyMask: hasMask ? mv.baseAddress! + batch * t : nil, causal: causal)
                            // pass 3: dropout on the probabilities (the cache keeps P itself)
                            var weights = UnsafePointer(scores)
                            if hasDropout {
                                let mask = dv.baseAddress! + pair * t * t
                                for index in 0..<(t * t) { dropped[index] = scores[index] * mask[index] }
                                weights = UnsafePointer(dropped)
                            }
                            // pass 4: O_h = P̃ V_h, into columns h·D..<(h+1)·D of O
                            te_sgemm(0, 0, t, d, t, 1, weights, t, v + base, c, 0, o + base, c)
                        }
                    }
                }}
            }}
        }}}
        return (output, Cache(query: query, key: key, value: value, probabilities: probabilities,
                              dropoutMask: dropoutMask, heads: heads, scale: scale))
    }

    /// Masked, numerically stable softmax of each row of a [T, T] score block, in place.
    /// Hidden entries get probability exactly 0; a row with every key hidden becomes all zeros.
    /// Hidden scores are set to −∞ first (only the hidden columns are visited), then every row
    /// goes through the vectorised `te_softmax_rows`, where exp(−∞ − max) = 0.
    static func maskAndSoftmax(_ scores: UnsafeMutablePointer<Float>, t: Int, keyMask: UnsafePointer<Float>?, causal: Bool) {
        var hiddenKeys: [Int] = []
        if let keyMask { for column in 0..<t where keyMask[column] == 0 { hiddenKeys.append(column) } }
        if hiddenKeys.count == t {  // no key to attend to: all rows are zeros
            scores.update(repeating: 0, count: t * t)
            return
        }
        for row in 0..<t {
            let line = scores + row * t
            for column in hiddenKeys { line[column] = -.infinity }
            if causal { for column in (row + 1)..<max(t, row + 1) { line[column] = -.infinity } }
        }
        te_softmax_rows(scores, scores, t, t)
        // With `causal`, rows before the first visible key had none left (softmax made them NaN).
        if causal, let firstVisible = (0..<t).first(where: { !hiddenKeys.contains($0) }), firstVisible > 0 {
            scores.update(repeating: 0, count: firstVisible * t)
        }
    }

    /// Undoes passes 4…1 for each (b, h):
    ///   4: O_h = P̃ V_h          ⇒ dV_h = P̃ᵀ dO_h,  dP̃ = dO_h V_hᵀ
    ///   3: P̃ = P ⊙ M            ⇒ dP = dP̃ ⊙ M
    ///   2: P = softmax(S)        ⇒ dS = P ⊙ (dP − rowsum(dP ⊙ P))   (hidden entries have P = 0)
    ///   1: S = Q_h K_hᵀ / √D     ⇒ dQ_h = dS K_h / √D,  dK_h = dSᵀ Q_h / √D
    public static func backward(_ dOut: Tensor, _ cache: Cache) -> (dQuery: Tensor, dKey: Tensor, dValue: Tensor) {
        let (b, t, c) = (cache.query.shape[0], cache.query.shape[1], cache.query.shape[2])
        let heads = cache.heads, d = c / heads, scale = cache.scale
        var dQuery = Tensor(uninitializedShape: [b, t, c])
        var dKey = Tensor(uninitializedShape: [b, t, c])
        var dValue = Tensor(uninitializedShape: [b, t, c])
        let hasDropout = cache.dropoutMask != nil
        withBackwardPointers(query: cache.query, key: cache.key, value: cache.value, probabilities: cache.probabilities,
                             dropoutMask: cache.dropoutMask, dOut: dOut, dQuery: &dQuery, dKey: &dKey, dValue: &dValue) { x in
            let (q, k, v, p, dO, dQ, dK, dV) = (x.q, x.k, x.v, x.p, x.dO, x.dQ, x.dK, x.dV)
            parallelFor(b * heads) { _, range in
                let dS = UnsafeMutablePointer<Float>.allocate(capacity: t * t)  // dP̃, then dP, then dS
                let dropped = UnsafeMutablePointer<Float>.allocate(capacity: hasDropout ? t * t : 1)
                defer { dS.deallocate(); dropped.deallocate() }
                for pair in range {
                    let (batch, head) = (pair / heads, pair % heads)
                    let base = batch * t * c + head * d
                    let probabilities = p + pair * t * t
                    var weights = probabilities                    // P̃ (= P without dropout)
                    if hasDropout {
                        let mask = x.mask! + pair * t * t
                        for index in 0..<(t * t) { dropped[index] = probabilities[index] * mask[index] }
                        weights = UnsafePointer(dropped)
                    }
                    // 4: dV_h = P̃ᵀ dO_h; dP̃ = dO_h V_hᵀ
                    te_sgemm(1, 0, t, d, t, 1, weights, t, dO + base, c, 0, dV + base, c)
                    te_sgemm(0, 1, t, t, d, 1, dO + base, c, v + base, c, 0, dS, t)
                    // 3: dP = dP̃ ⊙ M
                    if hasDropout {
                        let mask = x.mask! + pair * t * t
                        for index in 0..<(t * t) { dS[index] *= mask[index] }
                    }
                    // 2: dS = P ⊙ (dP − ⟨dP, P⟩) per row, in place
                    te_softmax_rows_backward(probabilities, dS, dS, t, t, 0)
                    // 1: dQ_h = dS K_h / √D; dK_h = dSᵀ Q_h / √D
                    te_sgemm(0, 0, t, d, t, scale, dS, t, k + base, c, 0, dQ + base, c)
                    te_sgemm(1, 0, t, d, t, scale, dS, t, q + base, c, 0, dK + base, c)
                }
            }
        }
        return (dQuery, dKey, dValue)
    }

    /// The raw pointers an attention backward works on (this op's and SelectedQueryAttention's).
    struct BackwardPointers {
        let q, k, v, p, dO: UnsafePointer<Float>
        let mask: UnsafePointer<Float>?   // the dropout mask, when there is one
        let dQ, dK, dV: UnsafeMutablePointer<Float>
    }

    /// Binds the inputs (read) and the three gradients (written) for `body`.
    static func withBackwardPointers(query: Tensor, key: Tensor, value: Tensor, probabilities: Tensor, dropoutMask: Tensor?,
                                     dOut: Tensor, dQuery: inout Tensor, dKey: inout Tensor, dValue: inout Tensor,
                                     _ body: (BackwardPointers) -> Void) {
        let maskValues = dropoutMask?.scalars ?? []
        query.withUnsafeBufferPointer { qv in key.withUnsafeBufferPointer { kv in
            value.withUnsafeBufferPointer { vv in probabilities.withUnsafeBufferPointer { pv in
                dOut.withUnsafeBufferPointer { dov in dQuery.withUnsafeMutableBufferPointer { dqv in
                    dKey.withUnsafeMutableBufferPointer { dkv in dValue.withUnsafeMutableBufferPointer { dvv in
                        maskValues.withUnsafeBufferPointer { mv in
                            body(BackwardPointers(q: qv.baseAddress!, k: kv.baseAddress!, v: vv.baseAddress!, p: pv.baseAddress!,
                                                  dO: dov.baseAddress!, mask: dropoutMask == nil ? nil : mv.baseAddress,
                                                  dQ: dqv.baseAddress!, dK: dkv.baseAddress!, dV: dvv.baseAddress!))
                        }
                    }}
                }}
            }}
        }}
    }
}

/// Multi-head scaled dot-product attention on [B, T, C] projections, recorded on the tape.
///
/// ```swift
/// let (context, probabilities) = scaledDotProductAttention(
///     query: q, key: k, value: v, heads: 4, keyMask: attentionMask, causal: false)
/// // context [B, T, C]; probabilities [B, H, T, T], each row summing to 1 over real tokens
/// ```
public func scaledDotProductAttention(
    query: Variable, key: Variable, value: Variable, heads: Int, keyMask: Tensor?, causal: Bool = false,
    dropout: (probability: Float, generator: SeededGenerator)? = nil
) -> (output: Variable, probabilities: Tensor) {
    let (output, cache) = ScaledDotProductAttentionOp.forward(
        query: query.value, key: key.value, value: value.value, heads: heads, keyMask: keyMask,
        causal: causal, dropout: dropout)
    let variable = Tape.record("attention", output: output, inputs: [query, key, value]) { dOut in
        let (dQuery, dKey, dValue) = ScaledDotProductAttentionOp.backward(dOut, cache)
        return [dQuery, dKey, dValue]
    }
    return (variable, cache.probabilities)
}
