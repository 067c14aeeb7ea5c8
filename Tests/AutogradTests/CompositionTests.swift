// The fused ops (attention, LayerNorm, cross-entropy) against their composition from primitive
// ops: same forward values and same gradients for every input. The compositions are also the
// clearest statement of what each fused op computes.
import Autograd
import Foundation
import Testing
import TensorCore
import TestSupport

@Suite struct CompositionTests {
    /// Runs `fused` and `composed` on the same inputs and compares outputs and all gradients.
    func compare(_ inputs: [Tensor], seed: UInt64 = 1, tolerance: Float = 1e-5,
                 _ fused: ([Variable]) -> Variable, _ composed: ([Variable]) -> Variable) {
        func run(_ function: ([Variable]) -> Variable) -> (Tensor, [Tensor]) {
            let tape = Tape()
            let leaves = inputs.map { tape.variable($0) }
            let output = function(leaves)
            var generator = SeededGenerator(seed: seed)
            tape.backward(from: output, seed: generator.uniform(shape: output.shape, low: -1, high: 1))
            return (output.value, leaves.map { tape.gradient(of: $0)! })
        }
        let (fusedOut, fusedGrads) = run(fused)
        let (composedOut, composedGrads) = run(composed)
        #expect(fusedOut.shape == composedOut.shape)
        #expect(maxScaledError(fusedOut.scalars, composedOut.scalars) < tolerance)
        for (index, (a, b)) in zip(fusedGrads, composedGrads).enumerated() {
            let error = maxScaledError(a.scalars, b.scalars)
            #expect(error < tolerance, "gradient of input \(index): \(error)")
        }
    }

    /// splitHeads → Q Kᵀ → ·1/√D → + additive mask → softmax → · V → mergeHeads: Autograd's public
    /// reference `composedAttention`, with a padding mask, a causal mask, or both.
    @Test(arguments: [(true, false), (false, true), (true, true)])
    func attentionEqualsItsComposition(padded: Bool, causal: Bool) {
        let (b, t, c, h) = (2, 5, 8, 2)
        var generator = SeededGenerator(seed: 3)
        let inputs = (0..<3).map { _ in generator.uniform(shape: [b, t, c], low: -1, high: 1) }
        let mask = padded ? Tensor(shape: [b, t], scalars: [1, 1, 1, 1, 1, 1, 1, 1, 0, 0]) : nil
        compare(inputs, { v in
            scaledDotProductAttention(query: v[0], key: v[1], value: v[2], heads: h, keyMask: mask, causal: causal).output
        }, { v in
            composedAttention(query: v[0], key: v[1], value: v[2], heads: h, keyMask: mask, causal: causal).output
        })
    }

    /// The composition's additive mask, by hand: hidden keys get probability exactly 0.
    @Test func composedAttentionHidesPaddedAndFutureKeys() {
        let x = Variable(constant: Tensor(shape: [1, 3, 2], scalars: [1, 0, 0, 1, 1, 1]))
        let mask = Tensor(shape: [1, 3], scalars: [1, 1, 0])
        let p = composedAttention(query: x, key: x, value: x, heads: 1, keyMask: mask, causal: true).probabilities
        // Row 0 sees key 0 only; rows 1 and 2 see keys 0 and 1 (key 2 is padding).
        #expect(p.value[0, 0, 0, 0] == 1 && p.value[0, 0, 0, 1] == 0 && p.value[0, 0, 0, 2] == 0)
        #expect(p.value[0, 0, 1, 2] == 0 && p.value[0, 0, 2, 2] == 0)
        // Row 1: query (0, 1) scores keys (1, 0) and (0, 1) as 0 and 1/√2: P = softmax(0, 0.7071).
        let expected = Float(1 / (1 + exp(-0.5.squareRoot())))
        #expect(abs(p.value[0, 0, 1, 1] - expected) < 1e-6)
    }

    /// Selected-query attention = the full attention's rows: for queries at rows [6, 2, 8, 2]
    /// (twice row 2; the third sequence has none), padding in the second sequence, causal or not.
    @Test(arguments: [false, true]) func selectedQueryAttentionEqualsTheFullAttentionsRows(causal: Bool) {
        let (b, t, c, h) = (3, 4, 8, 2)
        let rows = [6, 2, 8, 2]
        var generator = SeededGenerator(seed: 8)
        let inputs = (0..<3).map { _ in generator.uniform(shape: [b, t, c], low: -1, high: 1) }
        let mask = Tensor(shape: [b, t], scalars: [1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1])
        let flat = { (x: Variable) in reshape(x, [b * t, c]) }
        compare(inputs, { v in
            selectedQueryAttention(query: gatherRows(flat(v[0]), indices: rows), key: v[1], value: v[2], rows: rows,
                                   heads: h, keyMask: mask, causal: causal).output
        }, { v in
            gatherRows(flat(scaledDotProductAttention(query: v[0], key: v[1], value: v[2], heads: h, keyMask: mask,
                                                      causal: causal).output), indices: rows)
        })
    }

    /// x̂ = (x·(I − J/C)) ⊙ ((mean of squares + ε)^(−½) broadcast), y = x̂ ⊙ γ + β, where the
    /// centring and the broadcasts are products with constant matrices.
    @Test func layerNormEqualsItsComposition() {
        let (n, c) = (4, 6)
        var generator = SeededGenerator(seed: 5)
        let inputs = [generator.uniform(shape: [n, c], low: -2, high: 2),
                      generator.uniform(shape: [c], low: 0.5, high: 1.5),
                      generator.uniform(shape: [c], low: -1, high: 1)]
        var centring = Tensor(shape: [c, c], repeating: -1 / Float(c))
        for i in 0..<c { centring[i, i] += 1 }
        let averaging = Variable(constant: Tensor(shape: [c, 1], repeating: 1 / Float(c)))
        let rowOnes = Variable(constant: Tensor(shape: [1, c], repeating: 1))
        let columnOnes = Variable(constant: Tensor(shape: [n, 1], repeating: 1))
        compare(inputs, tolerance: 2e-5, { v in
            layerNorm(v[0], gamma: v[1], beta: v[2], epsilon: 1e-5)
        }, { v in
            let centred = matmul(v[0], Variable(constant: centring))                  // x − μ   [N, C]
            let variance = matmul(multiply(centred, centred), averaging)              // σ²      [N, 1]
            let rstd = power(shift(variance, by: 1e-5), -0.5)                         // rstd    [N, 1]
            let normalised = multiply(centred, matmul(rstd, rowOnes))                 // x̂       [N, C]
            let gamma = matmul(columnOnes, reshape(v[1], [1, c]))                     // γ rows  [N, C]
            return addBias(multiply(normalised, gamma), v[2])
        })
    }

    /// −mean over counted rows of log softmax(z)[y], picking entries with a row gather.
    @Test func crossEntropyEqualsItsComposition() {
        let (n, classes) = (5, 7)
        var generator = SeededGenerator(seed: 8)
        let targets = [2, -100, 6, 0, 3]
        let counted = targets.enumerated().filter { $0.element != -100 }
        compare([generator.uniform(shape: [n, classes], low: -3, high: 3)], { v in
            crossEntropy(logits: v[0], targets: targets)
        }, { v in
            let logProbabilities = reshape(logSoftmax(v[0]), [n * classes, 1])
            let picked = gatherRows(logProbabilities, indices: counted.map { $0.offset * classes + $0.element })
            return scale(mean(picked), by: -1)
        })
    }
}

