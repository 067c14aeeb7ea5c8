// Masks by hand on the single-head example: a padding mask (the last token is padding, so no
// query may attend to it) and a causal mask (query i sees keys 0…i). A hidden score becomes −∞
// before the softmax, so its probability is exactly 0 and the other weights renormalise.
// Checked against the library's fused op with `keyMask` and `causal`.
// Not handled: masks that hide a whole row (the library returns a zero row; see the op's file).

import Foundation
import TinyEncoder

enum Masks {
    static func run() {
        print("=== Masks: S = Q Kᵀ/√d, hidden entries set to −∞ before the softmax ===\n")
        let f = SingleHead.forward()
        let tokens = SingleHead.tokens

        // Padding: key 3 ("down") is padding for every query.
        let padding = f.s.map { row in row.enumerated().map { $0.offset == 3 ? -Double.infinity : $0.element } }
        show("S with the padding key masked (−inf)", padding, rows: tokens, columns: tokens, decimals: 2)
        let pPadding = softmaxRows(padding)
        show("P = softmax: column 'down' is exactly 0; each row renormalises over 3 keys", pPadding, rows: tokens, columns: tokens)
        // Row "the" by hand: S = [0, 1.5, 0.5, −∞] ⇒ weights e⁰, e^1.5, e^0.5 over their sum.
        let e = [exp(0.0), exp(1.5), exp(0.5)]
        print(String(format: "row 'the' by hand: e^0, e^1.5, e^0.5 = %.4f, %.4f, %.4f; sum %.4f ⇒ P = %.4f, %.4f, %.4f, 0\n",
                     e[0], e[1], e[2], e.reduce(0, +), e[0] / e.reduce(0, +), e[1] / e.reduce(0, +), e[2] / e.reduce(0, +)))

        // Causal: key j > query i is hidden.
        let causal = f.s.enumerated().map { i, row in row.enumerated().map { $0.offset > i ? -Double.infinity : $0.element } }
        let pCausal = softmaxRows(causal)
        show("P with a causal mask (query i sees keys 0…i): lower-triangular, row 0 is [1, 0, 0, 0]", pCausal, rows: tokens, columns: tokens)

        let q = Variable(constant: tensor(f.q, batch: true)), k = Variable(constant: tensor(f.k, batch: true))
        let v = Variable(constant: tensor(f.v, batch: true))
        let keyMask = Tensor(shape: [1, 4], scalars: [1, 1, 1, 0])
        let padded = scaledDotProductAttention(query: q, key: k, value: v, heads: 1, keyMask: keyMask)
        let causalRun = scaledDotProductAttention(query: q, key: k, value: v, heads: 1, keyMask: nil, causal: true)
        print("library (fused op, keyMask = [1, 1, 1, 0]; then causal: true):")
        check("P with padding", maxDifference(matrix(padded.probabilities), pPadding), tolerance: 1e-6)
        check("O with padding", maxDifference(matrix(padded.output.value), product(pPadding, f.v)), tolerance: 1e-6)
        check("P causal", maxDifference(matrix(causalRun.probabilities), pCausal), tolerance: 1e-6)
        let zeros = matrix(padded.probabilities).map { $0[3] }
        print("  padding column of P (exactly 0.0, not just small): \(zeros.map { $0 == 0 ? "0.0" : String($0) }.joined(separator: ", "))\n")
    }
}
