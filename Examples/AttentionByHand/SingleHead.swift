// One head of scaled dot-product attention worked by hand: 4 tokens, d = 4, every matrix printed,
// forward (Q, K, V, QKᵀ, scaled, softmax, output) and backward (dO → dV, dP, dS, dQ, dK, dW),
// then checked against the library's fused attention op on a tape and against a central
// difference. The numbers are small integers and halves so that a reader can redo them on paper.
// Docs/Attention.md walks through this output.
// Not handled: several heads (see MultiHead.swift), masks (Masks.swift).

import Foundation
import TinyEncoder

enum SingleHead {
    static let tokens = ["the", "cat", "sat", "down"]
    static let features = ["f0", "f1", "f2", "f3"]
    /// The tokens' input vectors X [T = 4, d = 4] (what the block receives).
    static let x: Matrix = [[1, 0, 1, 0],
                            [0, 2, 0, 1],
                            [1, 1, 0, 0],
                            [0, 0, 1, 1]]
    /// Projections in PyTorch's [out, in] layout: Q = X W_qᵀ. W_q = I, so Q = X.
    static let wq: Matrix = [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]
    /// W_k swaps features 0↔1 and 2↔3.
    static let wk: Matrix = [[0, 1, 0, 0], [1, 0, 0, 0], [0, 0, 0, 1], [0, 0, 1, 0]]
    /// W_v keeps features 0 and 2 and halves 1 and 3.
    static let wv: Matrix = [[1, 0, 0, 0], [0, 0.5, 0, 0], [0, 0, 1, 0], [0, 0, 0, 0.5]]
    /// The loss is L = Σᵢ Oᵢᵢ (the trace of O), so the gradient arriving at O is dO = I.
    static let r: Matrix = [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]

    /// The forward pass in Double: every intermediate.
    static func forward(wq: Matrix = wq) -> (q: Matrix, k: Matrix, v: Matrix, raw: Matrix, s: Matrix, p: Matrix, o: Matrix) {
        let q = product(x, transposed(wq)), k = product(x, transposed(wk)), v = product(x, transposed(wv))
        let raw = product(q, transposed(k))          // Q Kᵀ
        let s = scaled(raw, 1 / Double(4).squareRoot())   // / √d
        let p = softmaxRows(s)
        return (q, k, v, raw, s, p, product(p, v))
    }

    static func run() {
        print("=== One head by hand: T = 4 tokens, d = 4 ===\n")
        show("X: the tokens' vectors [T, d]", x, rows: tokens, columns: features, decimals: 1)
        show("W_q [d, d] (PyTorch layout [out, in]; Q = X W_qᵀ)", wq, decimals: 1)
        show("W_k", wk, decimals: 1)
        show("W_v", wv, decimals: 1)
        let f = forward()
        show("Q = X W_qᵀ", f.q, rows: tokens, decimals: 1)
        show("K = X W_kᵀ", f.k, rows: tokens, decimals: 1)
        show("V = X W_vᵀ", f.v, rows: tokens, decimals: 1)
        show("Q Kᵀ [T, T]: row = query, column = key", f.raw, rows: tokens, columns: tokens, decimals: 1)
        show("S = Q Kᵀ / √d = Q Kᵀ / 2", f.s, rows: tokens, columns: tokens, decimals: 2)
        show("P = softmax(S) per row", f.p, rows: tokens, columns: tokens)
        print("row sums: " + f.p.map { String(format: "%.6f", $0.reduce(0, +)) }.joined(separator: "  "))
        print("row entropies (bits, max log₂ 4 = 2): " + f.p.map { String(format: "%.4f", entropyBits($0)) }.joined(separator: "  ") + "\n")
        show("O = P V [T, d]: each row a weighted mean of V's rows", f.o, rows: tokens, columns: features)

        // The library: the same projections and the fused attention op, on a tape.
        let tape = Tape()
        let input = Variable(constant: tensor(x, batch: true))                 // [1, 4, 4]
        let weights = [wq, wk, wv].map { tape.variable(tensor($0)) }
        let (q, k, v) = (linear(input, weight: weights[0], bias: nil), linear(input, weight: weights[1], bias: nil),
                         linear(input, weight: weights[2], bias: nil))
        for projection in [q, k, v] { tape.retainGradient(of: projection) }
        let (output, probabilities) = scaledDotProductAttention(query: q, key: k, value: v, heads: 1, keyMask: nil)
        let loss = sum(multiply(output, Variable(constant: tensor(r, batch: true))))
        print("library (Autograd scaledDotProductAttention, fused):")
        check("P", maxDifference(matrix(probabilities), f.p), tolerance: 1e-6)
        check("O", maxDifference(matrix(output.value), f.o), tolerance: 1e-6)
        print("")

        print("=== Backward by hand: L = Σᵢ Oᵢᵢ, so dO = ∂L/∂O = I ===\n")
        let dO = r
        let dV = product(transposed(f.p), dO)                       // O = P V  ⇒  dV = Pᵀ dO
        let dP = product(dO, transposed(f.v))                       //           dP = dO Vᵀ
        let dots = zip(dP, f.p).map { zip($0, $1).map(*).reduce(0, +) }  // ⟨dPᵢ, Pᵢ⟩ per row
        let dS = f.p.indices.map { i in f.p[i].indices.map { j in f.p[i][j] * (dP[i][j] - dots[i]) } }  // dS = P ⊙ (dP − ⟨dP, P⟩)
        let dQ = scaled(product(dS, f.k), 0.5)                     // S = Q Kᵀ/√d  ⇒  dQ = dS K / √d
        let dK = scaled(product(transposed(dS), f.q), 0.5)         //                   dK = dSᵀ Q / √d
        let dWq = product(transposed(dQ), x)                       // Q = X W_qᵀ  ⇒  dW_q = dQᵀ X
        let dWk = product(transposed(dK), x)
        let dWv = product(transposed(dV), x)
        show("dV = Pᵀ dO", dV, rows: tokens, columns: features)
        show("dP = dO Vᵀ", dP, rows: tokens, columns: tokens)
        print("⟨dPᵢ, Pᵢ⟩ per row: " + dots.map { String(format: "%.4f", $0) }.joined(separator: "  ") + "\n")
        show("dS = P ⊙ (dP − ⟨dPᵢ, Pᵢ⟩)   (each row sums to 0)", dS, rows: tokens, columns: tokens)
        show("dQ = dS K / √d", dQ, rows: tokens, columns: features)
        show("dK = dSᵀ Q / √d", dK, rows: tokens, columns: features)
        show("dW_q = dQᵀ X", dWq)

        tape.backward(from: loss)
        print("library (the tape's backward through linear and the fused attention op):")
        check("dQ", maxDifference(matrix(tape.gradient(of: q)!), dQ), tolerance: 1e-5)
        check("dK", maxDifference(matrix(tape.gradient(of: k)!), dK), tolerance: 1e-5)
        check("dV", maxDifference(matrix(tape.gradient(of: v)!), dV), tolerance: 1e-5)
        check("dW_q", maxDifference(matrix(tape.gradient(of: weights[0])!), dWq), tolerance: 1e-5)
        check("dW_k", maxDifference(matrix(tape.gradient(of: weights[1])!), dWk), tolerance: 1e-5)
        check("dW_v", maxDifference(matrix(tape.gradient(of: weights[2])!), dWv), tolerance: 1e-5)

        // A central difference on one weight, with the Double forward above: (L(w+ε) − L(w−ε)) / 2ε.
        let epsilon = 1e-5
        var plus = wq, minus = wq
        plus[1][0] += epsilon
        minus[1][0] -= epsilon
        let trace = { (o: Matrix) in (0..<4).map { o[$0][$0] }.reduce(0, +) }
        let numeric = (trace(forward(wq: plus).o) - trace(forward(wq: minus).o)) / (2 * epsilon)
        print(String(format: "central difference: ∂L/∂W_q[1][0] ≈ %.6f, by hand %.6f", numeric, dWq[1][0]))
        check("finite difference", abs(numeric - dWq[1][0]), tolerance: 1e-8)
        print("")
    }
}
