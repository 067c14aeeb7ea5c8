// Fused multi-head scaled dot-product attention (Vaswani et al., 2017), per batch b and head h:
//   pass 1  S = (Q_h K_hᵀ) / √D                       [T, T]
//   pass 2  S[i, j] = −∞ where key j is padding (or j > i when causal); P = softmax_rows(S)
//   pass 3  P̃ = P ⊙ dropout mask (training only)
//   pass 4  O_h = P̃ V_h                               [T, D], written into its columns of O
// Q, K, V and O stay [B, T, C]: head h is the column block h·D..<(h+1)·D, read in place through
// GEMM leading dimensions, so no split/merge copies are made. The backward undoes passes 4…1.
// Equivalent to the composition splitHeads → matmul → scale → mask → softmax → matmul →
// mergeHeads, written out at the end of this file as `composedAttention` (the readable reference,
// like nanoGPT's manual branch; CompositionTests checks the two agree, and MultiHeadAttention
// runs it when a trace wants scores and probabilities on the tape). Reference: llm.c
// attention_forward/attention_backward.
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
        var dropoutMask: Tensor? = nil                                     // [B, H, T, T]
        if let dropout, dropout.probability > 0 {
            var generator = dropout.generator
            dropoutMask = DropoutOp.scaledMask(shape: [b, heads, t, t], probability: dropout.probability, generator: &generator)
        }
        let hasMask = keyMask != nil, hasDropout = dropoutMask != nil
        withPointers(reading: query, key, value, keyMask ?? .absent, dropoutMask ?? .absent,
                     writing: &probabilities, &output) { read, p, o in
            let (q, k, v, keyMask, dropoutMask) = (read[0], read[1], read[2], read[3], read[4])
            parallelFor(b * heads) { _, range in
                let dropped = UnsafeMutablePointer<Float>.allocate(capacity: hasDropout ? t * t : 1)
                defer { dropped.deallocate() }
                for pair in range {
                    let (batch, head) = (pair / heads, pair % heads)
                    let base = batch * t * c + head * d               // Q_h, K_h, V_h, O_h start here
                    let (qh, kh, vh) = (Rows(q + base, stride: c), Rows(k + base, stride: c), Rows(v + base, stride: c))
                    let scores = p + pair * t * t                      // [T, T]
                    // pass 1: S = Q_h K_hᵀ / √D                          [T, D]·[D, T] → [T, T]
                    gemm(qh, times: kh, transposeB: true, into: MutableRows(scores, stride: t), m: t, n: t, k: d,
                         scale: scale, parallel: false)
                    // pass 2: mask, then softmax each row
                    maskAndSoftmax(scores, rows: t, t: t, keyMask: hasMask ? keyMask + batch * t : nil,
                                   lastVisibleKey: { row in causal ? row : t - 1 })
                    // pass 3: dropout on the probabilities (the cache keeps P itself)
                    var weights = UnsafePointer(scores)
                    if hasDropout {
                        let mask = dropoutMask + pair * t * t
                        for index in 0..<(t * t) { dropped[index] = scores[index] * mask[index] }
                        weights = UnsafePointer(dropped)
                    }
                    // pass 4: O_h = P̃ V_h, into columns h·D..<(h+1)·D of O   [T, T]·[T, D] → [T, D]
                    gemm(Rows(weights, stride: t), times: vh, into: MutableRows(o + base, stride: c), m: t, n: d, k: t,
                         parallel: false)
                }
            }
        }
        return (output, Cache(query: query, key: key, value: value, probabilities: probabilities,
                              dropoutMask: dropoutMask, heads: heads, scale: scale))
    }

    /// Masked, numerically stable softmax of `rows` score rows of length t, in place (this op's
    /// [T, T] block, SelectedQueryAttention's gathered rows): in row r, key j is hidden when it is
    /// padding (keyMask[j] == 0) or lies after `lastVisibleKey(r)` (causal). Hidden scores are set
    /// to −∞, every row goes through the vectorised `te_softmax_rows` (exp(−∞ − max) = 0), and a
    /// row with no visible key becomes all zeros.
    static func maskAndSoftmax(_ scores: UnsafeMutablePointer<Float>, rows: Int, t: Int, keyMask: UnsafePointer<Float>?,
                               lastVisibleKey: (Int) -> Int) {
        var emptyRows: [Int] = []
        for row in 0..<rows {
            let line = scores + row * t, last = lastVisibleKey(row)
            var visible = 0
            for j in 0..<t {
                if j > last || keyMask?[j] == 0 { line[j] = -.infinity } else { visible += 1 }
            }
            if visible == 0 { emptyRows.append(row) }
        }
        te_softmax_rows(scores, scores, rows, t)
        for row in emptyRows { (scores + row * t).update(repeating: 0, count: t) }  // softmax made them NaN
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
        withBackwardPointers((cache.query, cache.key, cache.value, cache.probabilities, cache.dropoutMask), dOut: dOut, dQuery: &dQuery, dKey: &dKey, dValue: &dValue) { x in
            parallelFor(b * heads) { _, range in
                let dS = UnsafeMutablePointer<Float>.allocate(capacity: t * t)  // dP̃, then dP, then dS
                let dropped = UnsafeMutablePointer<Float>.allocate(capacity: hasDropout ? t * t : 1)
                defer { dS.deallocate(); dropped.deallocate() }
                for pair in range {
                    let (batch, head) = (pair / heads, pair % heads)
                    let base = batch * t * c + head * d
                    let (qh, kh, vh) = (Rows(x.q + base, stride: c), Rows(x.k + base, stride: c), Rows(x.v + base, stride: c))
                    let dOh = Rows(x.dO + base, stride: c)
                    let probabilities = x.p + pair * t * t
                    var weights = probabilities                    // P̃ (= P without dropout)
                    if hasDropout {
                        let mask = x.mask + pair * t * t
                        for index in 0..<(t * t) { dropped[index] = probabilities[index] * mask[index] }
                        weights = UnsafePointer(dropped)
                    }
                    // 4: dV_h = P̃ᵀ dO_h                                  [T, T]ᵀ·[T, D] → [T, D]
                    gemm(Rows(weights, stride: t), transposeA: true, times: dOh, into: MutableRows(x.dV + base, stride: c),
                         m: t, n: d, k: t, parallel: false)
                    //    dP̃ = dO_h V_hᵀ                                  [T, D]·[D, T] → [T, T]
                    gemm(dOh, times: vh, transposeB: true, into: MutableRows(dS, stride: t), m: t, n: t, k: d, parallel: false)
                    // 3: dP = dP̃ ⊙ M
                    if hasDropout {
                        let mask = x.mask + pair * t * t
                        for index in 0..<(t * t) { dS[index] *= mask[index] }
                    }
                    // 2: dS = P ⊙ (dP − ⟨dP, P⟩) per row, in place
                    te_softmax_rows_backward(probabilities, dS, dS, t, t, 0)
                    // 1: dQ_h = dS K_h / √D                              [T, T]·[T, D] → [T, D]
                    gemm(Rows(dS, stride: t), times: kh, into: MutableRows(x.dQ + base, stride: c), m: t, n: d, k: t,
                         scale: scale, parallel: false)
                    //    dK_h = dSᵀ Q_h / √D                             [T, T]ᵀ·[T, D] → [T, D]
                    gemm(Rows(dS, stride: t), transposeA: true, times: qh, into: MutableRows(x.dK + base, stride: c),
                         m: t, n: d, k: t, scale: scale, parallel: false)
                }
            }
        }
        return (dQuery, dKey, dValue)
    }

    /// The raw pointers an attention backward works on (this op's and SelectedQueryAttention's).
    struct BackwardPointers {
        let q, k, v, p, dO: UnsafePointer<Float>
        let mask: UnsafePointer<Float>    // the dropout mask; not to be read when there is none
        let dQ, dK, dV: UnsafeMutablePointer<Float>
    }

    /// Binds a cache's tensors and dOut (read) and the three gradients (written) for `body`.
    static func withBackwardPointers(_ cache: (query: Tensor, key: Tensor, value: Tensor, probabilities: Tensor, dropoutMask: Tensor?),
                                     dOut: Tensor, dQuery: inout Tensor, dKey: inout Tensor, dValue: inout Tensor,
                                     _ body: (BackwardPointers) -> Void) {
        withPointers(reading: cache.query, cache.key, cache.value, cache.probabilities, dOut, cache.dropoutMask ?? .absent,
                     writing: &dQuery, &dKey, &dValue) { read, dQ, dK, dV in
            body(BackwardPointers(q: read[0], k: read[1], v: read[2], p: read[3], dO: read[4], mask: read[5], dQ: dQ, dK: dK, dV: dV))
        }
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
    let variable = Tape.record(.attention, output: output, inputs: [query, key, value]) { dOut in
        let (dQuery, dKey, dValue) = ScaledDotProductAttentionOp.backward(dOut, cache)
        return [dQuery, dKey, dValue]
    }
    return (variable, cache.probabilities)
}

// MARK: - Reference: the same attention composed from primitive ops

/// The attention above, written as its formula from primitive ops (nanoGPT's manual branch):
///   S = Q_h K_hᵀ / √D + A,  P = softmax_rows(S),  O_h = P V_h,
/// where the additive mask A is −10⁹ on hidden keys (padding, or j > i when causal), so their
/// probability underflows to exactly 0. Every intermediate is a tape value with a gradient of
/// its own, which is why traces run it. Equal to `scaledDotProductAttention` (CompositionTests),
/// except for a row whose every key is hidden (uniform here, zeros in the fused op); no dropout.
///
/// - Parameters: as `scaledDotProductAttention`.
/// - Returns: O [B, T, C], the masked scores S [B, H, T, T] and the probabilities P [B, H, T, T].
/// - Complexity: the fused op's multiply-adds, plus head split/merge copies and a [B·H, T, T] mask.
public func composedAttention(query: Variable, key: Variable, value: Variable, heads: Int, keyMask: Tensor?,
                              causal: Bool = false) -> (output: Variable, scores: Variable, probabilities: Variable) {
    let (b, t, c) = (query.shape[0], query.shape[1], query.shape[2])
    let (h, d) = (heads, c / heads)
    let perHead = { (x: Variable) in reshape(splitHeads(x, heads: h), [b * h, t, d]) }    // [BH, T, D]
    let (q, k, v) = (perHead(query), perHead(key), perHead(value))
    var scores = scale(matmul(q, k, transposeB: true), by: 1 / Float(d).squareRoot())    // [BH, T, T]
    if keyMask != nil || causal {
        var additive = Tensor(zeros: [b * h, t, t])                                       // [BH, T, T]
        let maskValues = keyMask?.scalars
        additive.withUnsafeMutableBufferPointer { values in
            for pair in 0..<(b * h) {
                for row in 0..<t {
                    for column in 0..<t {
                        let padded = maskValues.map { $0[(pair / h) * t + column] == 0 } ?? false
                        if padded || (causal && column > row) { values[(pair * t + row) * t + column] = -1e9 }
                    }
                }
            }
        }
        scores = add(scores, Variable(constant: additive))
    }
    let scores4 = reshape(scores, [b, h, t, t])                                           // [B, H, T, T]
    let probabilities = softmax(scores4)                                                  // [B, H, T, T]
    let attended = matmul(reshape(probabilities, [b * h, t, t]), v)                       // [BH, T, D]
    return (mergeHeads(reshape(attended, [b, h, t, d])), scores4, probabilities)          // [B, T, C]
}
