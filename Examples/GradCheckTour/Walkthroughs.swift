// Worked examples of single ops, every intermediate printed and each backward checked three ways:
// the formula written out here in Double, the library op on a tape, and a central difference.
// Not handled: batched shapes (one row is enough to see the algebra).

import Foundation
import TinyEncoder

func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
    let gap = String(repeating: " ", count: max(width - text.count, 0))
    return left ? text + gap : gap + text
}

/// "[a, b, c]" with `decimals` places.
func format(_ values: [Double], _ decimals: Int = 4) -> String {
    "[" + values.map { String(format: "%.\(decimals)f", $0 == 0 ? 0 : $0) }.joined(separator: ", ") + "]"
}

func line(_ name: String, _ values: [Double], _ decimals: Int = 4) { print(pad(name, 46, left: true) + format(values, decimals)) }

func agreement(_ name: String, _ a: [Double], _ b: [Double]) {
    let difference = zip(a, b).map { abs($0 - $1) }.max() ?? 0
    print("  check: \(name): max |difference| = \(String(format: "%.1e", difference))")
}

/// Central differences of a scalar function of a vector, in Double.
func numericGradient(_ x: [Double], epsilon: Double = 1e-6, _ f: ([Double]) -> Double) -> [Double] {
    x.indices.map { i in
        var plus = x, minus = x
        plus[i] += epsilon
        minus[i] -= epsilon
        return (f(plus) - f(minus)) / (2 * epsilon)
    }
}

enum Walkthroughs {
    static func tape() {
        print("=== The tape: L = tanh(a·b + a) with a = 0.5, b = −0.8 (a is used twice) ===\n")
        let tape = Tape()
        let a = tape.variable(Tensor(shape: [1], scalars: [0.5])), b = tape.variable(Tensor(shape: [1], scalars: [-0.8]))
        let c = multiply(a, b)        // record 1: c = a·b
        let d = add(c, a)             // record 2: d = c + a
        let loss = tanh(d)            // record 3: L = tanh d
        print(String(format: "forward: c = a·b = %.6f, d = c + a = %.6f, L = tanh d = %.6f", c.value.scalar, d.value.scalar, loss.value.scalar))
        print("tape: \(tape.nodeCount) nodes (2 leaves + 3 op outputs), records in order: \(tape.opNames.joined(separator: " → "))")
        print("backward walks the records in reverse: \(tape.opNames.reversed().joined(separator: " → "))\n")
        tape.backward(from: loss)
        let t = tanh(0.1)
        print("  dL/dL = 1")
        print(String(format: "  tanh:     dL/dd = 1 − tanh²(d) = 1 − %.6f² = %.6f", t, 1 - t * t))
        print(String(format: "  add:      dL/dc = dL/dd = %.6f;   dL/da += dL/dd = %.6f   (first contribution to a)", 1 - t * t, 1 - t * t))
        print(String(format: "  multiply: dL/da += dL/dc · b = %.6f · (−0.8);   dL/db = dL/dc · a = %.6f", 1 - t * t, (1 - t * t) * 0.5))
        print(String(format: "  so dL/da = (1 − tanh² d)(b + 1) = %.6f and dL/db = (1 − tanh² d)·a = %.6f", (1 - t * t) * 0.2, (1 - t * t) * 0.5))
        print("  library: dL/da = \(String(format: "%.6f", tape.gradient(of: a)!.scalar)), dL/db = \(String(format: "%.6f", tape.gradient(of: b)!.scalar))")
        let numeric = numericGradient([0.5, -0.8]) { Foundation.tanh($0[0] * $0[1] + $0[0]) }
        print("  central differences: dL/da ≈ \(String(format: "%.6f", numeric[0])), dL/db ≈ \(String(format: "%.6f", numeric[1]))\n")
    }

    static func layerNorm() {
        print("=== LayerNorm on one row: x = [1, 2, 4, 7], γ = [2, 1, 1, 1], β = [0, 0, 0, 0.5], ε = 1e-5 ===\n")
        let x = [1.0, 2, 4, 7], gamma = [2.0, 1, 1, 1], beta = [0.0, 0, 0, 0.5], epsilon = 1e-5
        let c = Double(x.count)
        let mu = x.reduce(0, +) / c
        let variance = x.map { ($0 - mu) * ($0 - mu) }.reduce(0, +) / c
        let rstd = 1 / (variance + epsilon).squareRoot()
        let xhat = x.map { ($0 - mu) * rstd }
        let y = xhat.indices.map { gamma[$0] * xhat[$0] + beta[$0] }
        print(String(format: "μ = Σx/C = 14/4 = %.4f;  σ² = Σ(x − μ)²/C = 21/4 = %.4f;  rstd = 1/√(σ² + ε) = %.6f", mu, variance, rstd))
        line("x̂ = (x − μ)·rstd", xhat)
        line("y = γ ⊙ x̂ + β", y)
        print("(x̂ has mean 0 and mean square σ²/(σ² + ε) ≈ 1.)\n")

        let dy = [1.0, 0, 0, 0]
        print("backward with dy = \(format(dy, 0)) (only y₀ matters to the loss):")
        let dxhat = dy.indices.map { dy[$0] * gamma[$0] }
        let meanDxhat = dxhat.reduce(0, +) / c
        let meanDxhatXhat = zip(dxhat, xhat).map(*).reduce(0, +) / c
        let dx = x.indices.map { rstd * (dxhat[$0] - meanDxhat - xhat[$0] * meanDxhatXhat) }
        line("dβ = dy", dy)
        line("dγ = dy ⊙ x̂", zip(dy, xhat).map(*))
        line("dx̂ = dy ⊙ γ", dxhat)
        print(String(format: "  mean(dx̂) = %.4f;  mean(dx̂ ⊙ x̂) = %.6f", meanDxhat, meanDxhatXhat))
        line("dx = rstd·(dx̂ − mean(dx̂) − x̂·mean(dx̂⊙x̂))", dx, 6)
        print(String(format: "  Σ dx = %.2e (shifting every x by the same amount changes nothing)", dx.reduce(0, +)))
        let tape = Tape()
        let leaves = [tape.variable(Tensor(shape: [1, 4], scalars: x.map(Float.init))),
                      tape.variable(Tensor(shape: [4], scalars: gamma.map(Float.init))),
                      tape.variable(Tensor(shape: [4], scalars: beta.map(Float.init)))]
        let out = TinyEncoder.layerNorm(leaves[0], gamma: leaves[1], beta: leaves[2], epsilon: Float(epsilon))
        tape.backward(from: out, seed: Tensor(shape: [1, 4], scalars: dy.map(Float.init)))
        agreement("library y", out.value.scalars.map(Double.init), y)
        agreement("library dx", tape.gradient(of: leaves[0])!.scalars.map(Double.init), dx)
        agreement("library dγ", tape.gradient(of: leaves[1])!.scalars.map(Double.init), zip(dy, xhat).map(*))
        let numeric = numericGradient(x) { v in
            let m = v.reduce(0, +) / c
            let r = 1 / (v.map { ($0 - m) * ($0 - m) }.reduce(0, +) / c + epsilon).squareRoot()
            return gamma[0] * (v[0] - m) * r + beta[0]
        }
        agreement("central differences dx", numeric, dx)
        print("")
    }

    static func crossEntropy() {
        print("=== Softmax and cross-entropy: logits z = [2, 1, 0.1, −1], target class 0 ===\n")
        let z = [2.0, 1, 0.1, -1]
        let m = z.max()!
        let e = z.map { exp($0 - m) }
        let p = e.map { $0 / e.reduce(0, +) }
        line("exp(z − max z)", e)
        line("p = softmax(z)", p)
        let loss = -log(p[0])
        print(String(format: "L = −log p₀ = logsumexp(z) − z₀ = %.6f\n", loss))
        print("Jacobian of the softmax, J = diag(p) − p pᵀ (∂pᵢ/∂zⱼ = pᵢ(δᵢⱼ − pⱼ)):")
        func jacobian(_ i: Int, _ j: Int) -> Double { (i == j ? p[i] : 0.0) - p[i] * p[j] }
        for i in 0..<4 { print("  " + format((0..<4).map { jacobian(i, $0) })) }
        let dp: [Double] = [-1 / p[0], 0, 0, 0]
        let viaJacobian: [Double] = (0..<4).map { j in (0..<4).map { i in jacobian(i, j) * dp[i] }.reduce(0, +) }
        let fused: [Double] = p.indices.map { p[$0] - ($0 == 0 ? 1.0 : 0.0) }
        print("")
        line("dL/dp = [−1/p₀, 0, 0, 0]", dp)
        line("dz = Jᵀ dL/dp", viaJacobian)
        line("dz = p − onehot(0)  (fused)", fused)
        let dot = zip(dp, p).map(*).reduce(0, +)
        line("dz = p ⊙ (dp − ⟨dp, p⟩) (softmax op)", p.indices.map { p[$0] * (dp[$0] - dot) })
        let tape = Tape()
        let logits = tape.variable(Tensor(shape: [1, 4], scalars: z.map(Float.init)))
        let value = TinyEncoder.crossEntropy(logits: logits, targets: [0])
        tape.backward(from: value)
        print(String(format: "\nlibrary: L = %.6f", value.value.scalar))
        agreement("library dz", tape.gradient(of: logits)!.scalars.map(Double.init), fused)
        agreement("central differences dz", numericGradient(z) { v in log(v.map { exp($0) }.reduce(0, +)) - v[0] }, fused)
        print("")
    }

    static func pooling() {
        print("=== Pooling: 4 token vectors (C = 3), the last one padding (mask [1, 1, 1, 0]) ===\n")
        let h: [[Double]] = [[1, 0, 2], [3, -1, 0], [-1, 4, 1], [9, 9, 9]]
        for (index, row) in h.enumerated() { line("h\(index)\(index == 3 ? " (padding)" : "")", row, 1) }
        let real = 0..<3
        let cls = h[0]
        let meanPooled = (0..<3).map { f in real.map { h[$0][f] }.reduce(0, +) / 3 }
        let maxPooled = (0..<3).map { f in real.map { h[$0][f] }.max()! }
        line("CLS: h₀", cls, 4)
        line("mean over real tokens: Σ m_t h_t / Σ m_t", meanPooled)
        line("max over real tokens, per feature", maxPooled, 1)
        let input = Tensor(shape: [1, 4, 3], scalars: h.flatMap { $0.map(Float.init) })
        let mask = Tensor(shape: [1, 4], scalars: [1, 1, 1, 0])
        let dy = [1.0, 2, 3]
        print("\nbackward with dy = \(format(dy, 0)):")
        for (name, op) in [("CLS", { (x: Variable) in clsPooling(x) }), ("mean", { maskedMeanPooling($0, mask: mask) }),
                           ("max", { maskedMaxPooling($0, mask: mask) })] {
            let tape = Tape()
            let x = tape.variable(input)
            let pooled = op(x)
            tape.backward(from: pooled, seed: Tensor(shape: [1, 3], scalars: dy.map(Float.init)))
            let gradient = tape.gradient(of: x)!.scalars.map(Double.init)
            print("  \(name): pooled = \(format(pooled.value.scalars.map(Double.init))); dh per token:")
            for t in 0..<4 { print("    " + pad("h\(t)", 4, left: true) + format(Array(gradient[(t * 3)..<(t * 3 + 3)]))) }
        }
        print("""

              CLS sends dy to h₀ only; mean sends dy/3 to each real token; max sends each feature's dy to the token
              that won it (h1 for feature 0, h2 for feature 1, h0 for feature 2); the padding token (whose 9s would
              have won every feature) gets 0 from all three.

            """)
    }
}
