// Why divide by √d, measured: for q, k with independent unit-variance components, q·k has mean 0
// and variance d, so unscaled scores grow like √d and the softmax saturates (one key takes nearly
// all the weight, and the softmax Jacobian — hence the gradient — shrinks towards 0). Dividing by
// √d brings the variance back to 1 at every width. Docs/Attention.md derives the variance.
// Not handled: learned models (their q and k are not independent; the argument is about init).

import Foundation
import TinyEncoder

enum Scaling {
    static func run() {
        print("=== Why √d: q·k for q, k ~ N(0, I_d), and softmax over T = 32 keys ===\n")
        var generator = SeededGenerator(seed: 2017)
        let pairs = 4000, queries = 500, keys = 32
        print("     d   var(q·k)  var(q·k/√d) |  unscaled: max P  entropy  Σ P(1−P) |  scaled: max P  entropy  Σ P(1−P)")
        for d in [4, 16, 64, 256, 1024] {
            // Variance of the dot product over many independent pairs.
            var products: [Double] = []
            for _ in 0..<pairs {
                var dot = 0.0
                for _ in 0..<d { dot += Double(generator.nextNormal()) * Double(generator.nextNormal()) }
                products.append(dot)
            }
            let mean = products.reduce(0, +) / Double(pairs)
            let variance = products.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(pairs - 1)

            // Softmax statistics over rows of 32 keys, unscaled and scaled.
            var stats = [[Double]](repeating: [0, 0, 0], count: 2)  // per variant: max P, entropy, Σ P(1−P)
            for _ in 0..<queries {
                let q = (0..<d).map { _ in Double(generator.nextNormal()) }
                var scores = [Double](repeating: 0, count: keys)
                for j in 0..<keys {
                    var dot = 0.0
                    for f in 0..<d { dot += q[f] * Double(generator.nextNormal()) }
                    scores[j] = dot
                }
                for (variant, factor) in [1.0, 1 / Double(d).squareRoot()].enumerated() {
                    let p = softmaxRows([scores.map { $0 * factor }])[0]
                    stats[variant][0] += p.max()! / Double(queries)
                    stats[variant][1] += entropyBits(p) / Double(queries)
                    stats[variant][2] += p.map { $0 * (1 - $0) }.reduce(0, +) / Double(queries)
                }
            }
            print(pad(String(d), 6) + pad(String(format: "%.1f", variance), 11) + pad(String(format: "%.3f", variance / Double(d)), 13) + " |"
                  + pad(String(format: "%.3f", stats[0][0]), 16) + pad(String(format: "%.2f", stats[0][1]), 9) + pad(String(format: "%.3f", stats[0][2]), 10) + " |"
                  + pad(String(format: "%.3f", stats[1][0]), 14) + pad(String(format: "%.2f", stats[1][1]), 9) + pad(String(format: "%.3f", stats[1][2]), 10))
        }
        print("""

            var(q·k) ≈ d and var(q·k/√d) ≈ 1. Uniform weights over 32 keys would give max P = 1/32 ≈ 0.031,
            entropy log₂ 32 = 5 bits and Σ P(1−P) = 1 − 1/32 ≈ 0.969. Unscaled, the rows collapse onto one key as d
            grows (max P → 1, entropy → 0) and Σ P(1−P), the trace of the softmax Jacobian diag(P) − P Pᵀ,
            falls towards 0: the gradient through the softmax vanishes. Scaled, every width behaves like d = 1.

            """)
    }
}
