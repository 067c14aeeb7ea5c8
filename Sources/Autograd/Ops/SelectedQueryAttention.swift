// Multi-head scaled dot-product attention for chosen query positions only: N queries, each at a
// flat position r = b·T + i of a [B, T] batch, attend over the keys and values of their own
// sequence b. Per sequence b and head h, with G_b the queries that lie in sequence b:
//   pass 1  S = (Q_{G_b,h} K_{b,h}ᵀ) / √D                [|G_b|, T]
//   pass 2  hide padded keys (and keys j > i when causal); P = softmax_rows(S)
//   pass 3  P̃ = P ⊙ dropout mask (training only)
//   pass 4  O_{G_b,h} = P̃ V_{b,h}                        [|G_b|, D]
// It equals ScaledDotProductAttention.swift's op at those rows (tested), for |G_b|/T of its work.
// A masked-LM step's last layer needs no other rows (EncoderBlock); there ~15% of positions.
// The queries of a group need not be adjacent: they are gathered into a small block per
// (b, h), and the outputs and gradients scattered back. Sequences with no query get no work; their
// keys and values get zero gradients. The backward undoes passes 4…1.
// Not handled: relative position biases, key/value caches, grouped-query heads.

import CKernels
import TensorCore

/// Scaled dot-product attention at chosen query positions, over H heads.
public enum SelectedQueryAttentionOp: Sendable {
    /// What the backward needs.
    public struct Cache: Sendable {
        public let query: Tensor          // [N, C]
        public let key: Tensor            // [B, T, C]
        public let value: Tensor          // [B, T, C]
        public let probabilities: Tensor  // [N, H, T], P before dropout
        public let dropoutMask: Tensor?   // [N, H, T], 0 or 1/(1 − p)
        public let groups: [[Int]]        // per sequence b, the query indices n in it, in order
        public let heads: Int
        public let scale: Float
    }

    // N queries, B batch, T tokens, C model width, H heads, D = C/H per head, G one group's size.

    /// - Parameters:
    ///   - query: [N, C], the queries of positions `rows`.
    ///   - key, value: [B, T, C].
    ///   - rows: N flat positions b·T + i, in any order; repeats are allowed.
    ///   - keyMask: [B, T], 1 for a real token and 0 for padding, or nil.
    ///   - causal: also hide the keys after each query's own position i.
    /// - Returns: the output [N, C] and the cache, whose `probabilities` are P [N, H, T].
    /// - Complexity: 4·N·T·C multiply-adds forward, twice that backward.
    public static func forward(
        query: Tensor, key: Tensor, value: Tensor, rows: [Int], heads: Int, keyMask: Tensor?, causal: Bool,
        dropout: (probability: Float, generator: SeededGenerator)? = nil
    ) -> (output: Tensor, cache: Cache) {
        checkShape(key.rank == 3 && value.shape == key.shape, "attention",
                   "key and value must share one [B, T, C] shape, got \(key.shape), \(value.shape)")
        let (b, t, c) = (key.shape[0], key.shape[1], key.shape[2])
        let n = rows.count
        checkShape(query.shape == [n, c], "attention", "query \(query.shape), expected [\(n), \(c)] for \(n) rows")
        checkShape(heads > 0 && c % heads == 0, "attention", "width \(c) is not divisible by \(heads) heads")
        checkShape(rows.allSatisfy { $0 >= 0 && $0 < b * t }, "attention", "a row lies outside the [\(b), \(t)] batch")
        if let keyMask { checkShape(keyMask.shape == [b, t], "attention", "key mask \(keyMask.shape), expected [\(b), \(t)]") }
        let d = c / heads, scale = 1 / Float(d).squareRoot()
        var groups = [[Int]](repeating: [], count: b)
        for (index, row) in rows.enumerated() { groups[row / t].append(index) }
        var probabilities = Tensor(uninitializedShape: [n, heads, t])
        var output = Tensor(uninitializedShape: [n, c])
        var dropoutMask: Tensor? = nil                                     // [N, H, T]
        if let dropout, dropout.probability > 0 {
            var generator = dropout.generator
            dropoutMask = DropoutOp.scaledMask(shape: [n, heads, t], probability: dropout.probability, generator: &generator)
        }
        let pairs = (0..<(b * heads)).filter { !groups[$0 / heads].isEmpty }
        let hasMask = keyMask != nil, hasDropout = dropoutMask != nil
        withPointers(reading: query, key, value, keyMask ?? .absent, dropoutMask ?? .absent,
                     writing: &probabilities, &output) { read, p, o in
            let (q, k, v, keyMask, dropoutMask) = (read[0], read[1], read[2], read[3], read[4])
            parallelFor(pairs.count) { _, range in
                let largest = range.map { groups[pairs[$0] / heads].count }.max() ?? 0
                let block = UnsafeMutablePointer<Float>.allocate(capacity: largest * (2 * d + t))
                defer { block.deallocate() }
                let qg = block, og = block + largest * d, scores = og + largest * d
                for pairIndex in range {
                    let (batch, head) = (pairs[pairIndex] / heads, pairs[pairIndex] % heads)
                    let group = groups[batch], g = group.count
                    let base = batch * t * c + head * d   // K_{b,h}, V_{b,h} start here
                    for (slot, n) in group.enumerated() { (qg + slot * d).update(from: q + n * c + head * d, count: d) }
                    // pass 1: S = Q_G K_hᵀ / √D                          [G, D]·[D, T] → [G, T]
                    gemm(Rows(qg, stride: d), times: Rows(k + base, stride: c), transposeB: true,
                         into: MutableRows(scores, stride: t), m: g, n: t, k: d, scale: scale, parallel: false)
                    // pass 2: hide keys, softmax each row; P goes to its [n, h] row of the cache
                    ScaledDotProductAttentionOp.maskAndSoftmax(
                        scores, rows: g, t: t, keyMask: hasMask ? keyMask + batch * t : nil,
                        lastVisibleKey: { slot in causal ? rows[group[slot]] % t : t - 1 })
                    for (slot, n) in group.enumerated() {
                        let line = scores + slot * t
                        (p + (n * heads + head) * t).update(from: line, count: t)
                        // pass 3: dropout on the probabilities (the cache keeps P itself)
                        if hasDropout {
                            let mask = dropoutMask + (n * heads + head) * t
                            for j in 0..<t { line[j] *= mask[j] }
                        }
                    }
                    // pass 4: O_G = P̃ V_h, scattered to the queries' columns h·D..<(h+1)·D   [G, T]·[T, D] → [G, D]
                    gemm(Rows(scores, stride: t), times: Rows(v + base, stride: c), into: MutableRows(og, stride: d),
                         m: g, n: d, k: t, parallel: false)
                    for (slot, n) in group.enumerated() { (o + n * c + head * d).update(from: og + slot * d, count: d) }
                }
            }
        }
        return (output, Cache(query: query, key: key, value: value, probabilities: probabilities,
                              dropoutMask: dropoutMask, groups: groups, heads: heads, scale: scale))
    }

    /// Undoes passes 4…1 for each (b, h) with queries, on the gathered block of group G:
    ///   4: O_G = P̃ V_h          ⇒ dV_h = P̃ᵀ dO_G,  dP̃ = dO_G V_hᵀ
    ///   3: P̃ = P ⊙ M            ⇒ dP = dP̃ ⊙ M
    ///   2: P = softmax(S)        ⇒ dS = P ⊙ (dP − rowsum(dP ⊙ P))
    ///   1: S = Q_G K_hᵀ / √D     ⇒ dQ_G = dS K_h / √D,  dK_h = dSᵀ Q_G / √D
    public static func backward(_ dOut: Tensor, _ cache: Cache) -> (dQuery: Tensor, dKey: Tensor, dValue: Tensor) {
        let (b, t, c) = (cache.key.shape[0], cache.key.shape[1], cache.key.shape[2])
        let n = cache.query.shape[0], heads = cache.heads, d = c / heads, scale = cache.scale, groups = cache.groups
        var dQuery = Tensor(uninitializedShape: [n, c])
        var dKey = Tensor(zeros: [b, t, c])      // sequences without a query keep zeros
        var dValue = Tensor(zeros: [b, t, c])
        let hasDropout = cache.dropoutMask != nil
        let pairs = (0..<(b * heads)).filter { !groups[$0 / heads].isEmpty }
        ScaledDotProductAttentionOp.withBackwardPointers(
            (cache.query, cache.key, cache.value, cache.probabilities, cache.dropoutMask),
            dOut: dOut, dQuery: &dQuery, dKey: &dKey, dValue: &dValue) { x in
            let (q, p, dO, dQ) = (x.q, x.p, x.dO, x.dQ)
            parallelFor(pairs.count) { _, range in
                let largest = range.map { groups[pairs[$0] / heads].count }.max() ?? 0
                let block = UnsafeMutablePointer<Float>.allocate(capacity: largest * (3 * d + 3 * t))
                defer { block.deallocate() }
                let qg = block, dog = qg + largest * d, dqg = dog + largest * d
                let pg = dqg + largest * d, weights = pg + largest * t, dS = weights + largest * t
                for pairIndex in range {
                    let (batch, head) = (pairs[pairIndex] / heads, pairs[pairIndex] % heads)
                    let group = groups[batch], g = group.count
                    let base = batch * t * c + head * d
                    for (slot, row) in group.enumerated() {
                        (qg + slot * d).update(from: q + row * c + head * d, count: d)
                        (dog + slot * d).update(from: dO + row * c + head * d, count: d)
                        (pg + slot * t).update(from: p + (row * heads + head) * t, count: t)
                        if hasDropout {
                            let mask = x.mask + (row * heads + head) * t
                            for j in 0..<t { weights[slot * t + j] = pg[slot * t + j] * mask[j] }
                        }
                    }
                    let (kh, vh, dOg) = (Rows(x.k + base, stride: c), Rows(x.v + base, stride: c), Rows(dog, stride: d))
                    // 4: dV_h = P̃ᵀ dO_G                                  [G, T]ᵀ·[G, D] → [T, D]
                    gemm(Rows(hasDropout ? weights : pg, stride: t), transposeA: true, times: dOg,
                         into: MutableRows(x.dV + base, stride: c), m: t, n: d, k: g, parallel: false)
                    //    dP̃ = dO_G V_hᵀ                                  [G, D]·[D, T] → [G, T]
                    gemm(dOg, times: vh, transposeB: true, into: MutableRows(dS, stride: t), m: g, n: t, k: d, parallel: false)
                    // 3: dP = dP̃ ⊙ M
                    if hasDropout {
                        for (slot, row) in group.enumerated() {
                            let mask = x.mask + (row * heads + head) * t
                            for j in 0..<t { dS[slot * t + j] *= mask[j] }
                        }
                    }
                    // 2: dS = P ⊙ (dP − ⟨dP, P⟩) per row, in place
                    te_softmax_rows_backward(pg, dS, dS, g, t, 0)
                    // 1: dQ_G = dS K_h / √D                              [G, T]·[T, D] → [G, D]
                    gemm(Rows(dS, stride: t), times: kh, into: MutableRows(dqg, stride: d), m: g, n: d, k: t,
                         scale: scale, parallel: false)
                    //    dK_h = dSᵀ Q_G / √D                             [G, T]ᵀ·[G, D] → [T, D]
                    gemm(Rows(dS, stride: t), transposeA: true, times: Rows(qg, stride: d),
                         into: MutableRows(x.dK + base, stride: c), m: t, n: d, k: g, scale: scale, parallel: false)
                    for (slot, row) in group.enumerated() { (dQ + row * c + head * d).update(from: dqg + slot * d, count: d) }
                }
            }
        }
        return (dQuery, dKey, dValue)
    }
}

/// Attention for the queries of positions `rows` (flat b·T + i) only, recorded on the tape.
///
/// ```swift
/// let (context, probabilities) = selectedQueryAttention(
///     query: qAtRows, key: k, value: v, rows: [3, 130], heads: 4, keyMask: attentionMask)
/// // context [2, C]: rows 3 (sequence 0) and 130 (sequence 1 when T = 128); probabilities [2, H, T]
/// ```
public func selectedQueryAttention(
    query: Variable, key: Variable, value: Variable, rows: [Int], heads: Int, keyMask: Tensor?, causal: Bool = false,
    dropout: (probability: Float, generator: SeededGenerator)? = nil
) -> (output: Variable, probabilities: Tensor) {
    let (output, cache) = SelectedQueryAttentionOp.forward(
        query: query.value, key: key.value, value: value.value, rows: rows, heads: heads, keyMask: keyMask,
        causal: causal, dropout: dropout)
    let variable = Tape.record(.selectedQueryAttention, output: output, inputs: [query, key, value]) { dOut in
        let (dQuery, dKey, dValue) = SelectedQueryAttentionOp.backward(dOut, cache)
        return [dQuery, dKey, dValue]
    }
    return (variable, cache.probabilities)
}
