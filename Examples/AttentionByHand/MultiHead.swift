// Multi-head attention by hand on the same 4 tokens: C = 4 split into H = 2 heads of D = 2.
// Project once (Q, K, V are [T, C]), split the columns into heads, attend within each head with
// its own √D, put the heads' outputs side by side, and mix them with the output projection W_o.
// Checked against the library's MultiHeadAttention layer given the same weights.
// Docs/MultiHeadAttention.md walks through this output.
// Not handled: masks (see Masks.swift), dropout.

import Foundation
import TinyEncoder

enum MultiHead {
    /// The output projection: y = O W_oᵀ (no bias, to keep the arithmetic short). Output feature 0
    /// averages feature 0 of both heads, feature 1 subtracts head 1's from head 0's, 2 and 3 copy one head each.
    static let wo: Matrix = [[0.5, 0, 0.5, 0], [0, 1, 0, -1], [1, 0, 0, 0], [0, 0, 0, 1]]

    static func run() {
        print("=== Multi-head attention by hand: T = 4, C = 4, H = 2 heads of D = 2 ===\n")
        let tokens = SingleHead.tokens
        let f = SingleHead.forward()  // Q, K, V [T, C] are the same projections as before
        show("Q = X W_qᵀ [T, C]  (head 0 = columns 0–1, head 1 = columns 2–3)", f.q, rows: tokens, decimals: 1)
        var outputs: [Matrix] = [], probabilities: [Matrix] = []
        for head in 0..<2 {
            let columns = (2 * head)..<(2 * head + 2)
            let qh = f.q.map { Array($0[columns]) }, kh = f.k.map { Array($0[columns]) }, vh = f.v.map { Array($0[columns]) }
            let s = scaled(product(qh, transposed(kh)), 1 / Double(2).squareRoot())  // √D = √2
            let p = softmaxRows(s)
            let o = product(p, vh)
            print("--- head \(head): columns \(columns.lowerBound)–\(columns.upperBound - 1) ---")
            show("Q_\(head) [T, D]", qh, rows: tokens, decimals: 1)
            show("K_\(head)", kh, rows: tokens, decimals: 1)
            show("S_\(head) = Q_\(head) K_\(head)ᵀ / √2", s, rows: tokens, columns: tokens)
            show("P_\(head) = softmax(S_\(head))  (row entropies: \(p.map { String(format: "%.2f", entropyBits($0)) }.joined(separator: ", ")) bits)",
                 p, rows: tokens, columns: tokens)
            show("O_\(head) = P_\(head) V_\(head) [T, D]", o, rows: tokens)
            outputs.append(o)
            probabilities.append(p)
        }
        let merged = (0..<4).map { outputs[0][$0] + outputs[1][$0] }
        show("O = [O_0 | O_1] [T, C]: the heads side by side", merged, rows: tokens)
        show("W_o [C, C]", wo, decimals: 1)
        let y = product(merged, transposed(wo))
        show("y = O W_oᵀ [T, C]: the layer's output (features 0 and 1 mix the two heads)", y, rows: tokens)

        // The library layer with the same weights.
        var generator = SeededGenerator(seed: 0)
        let layer = MultiHeadAttention(width: 4, headCount: 2, generator: &generator)
        for (linear, weight) in [(layer.query, SingleHead.wq), (layer.key, SingleHead.wk), (layer.value, SingleHead.wv), (layer.output, wo)] {
            linear.weight.value = tensor(weight)
            linear.bias?.value = Tensor(zeros: [4])
        }
        let (output, p) = layer(Variable(constant: tensor(SingleHead.x, batch: true)), mask: nil, context: .inference())
        print("library (NeuralNetwork.MultiHeadAttention, fused attention op):")
        let pValues = p.scalars  // [1, H, T, T]
        for head in 0..<2 {
            let block = (0..<4).map { i in (0..<4).map { j in Double(pValues[(head * 4 + i) * 4 + j]) } }
            check("P of head \(head)", maxDifference(block, probabilities[head]), tolerance: 1e-6)
        }
        check("y", maxDifference(matrix(output.value), y), tolerance: 1e-6)
        print("""

            Cost: the projections are 4·T·C² = \(4 * 4 * 16) multiply-adds and the attention 2·T²·C = \(2 * 16 * 4)
            whatever H is: splitting C into heads changes what is compared, not how much work it is.
            Parameters: 4·C² + 4·C = \(4 * 16 + 4 * 4) (W_q, W_k, W_v, W_o and their biases).

            """)
    }
}
