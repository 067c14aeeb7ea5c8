// Tier (a): values worked out by hand, with the arithmetic in the comments; and the two
// accumulation cases every gradient must survive: a value used twice, and tied weights.
import Autograd
import Foundation
import Testing
import TensorCore

@Suite struct HandDerivedTests {
    /// softmax([0, ln 2, ln 5]) = [1, 2, 5] / 8.
    @Test func softmaxOfLogs() {
        let y = softmax(Variable(constant: Tensor(shape: [1, 3], scalars: [0, Float(log(2.0)), Float(log(5.0))]))).value.scalars
        let expected: [Float] = [0.125, 0.25, 0.625]
        for (a, b) in zip(y, expected) { #expect(abs(a - b) < 1e-6) }
    }

    /// LayerNorm([1, 2, 3]), γ = 1, β = 0, ε = 0: μ = 2, σ² = (1 + 0 + 1)/3 = 2/3,
    /// x̂ = [−1, 0, 1]/√(2/3) = [−1.2247449, 0, 1.2247449].
    @Test func layerNormOfOneTwoThree() {
        let y = layerNorm(Variable(constant: Tensor(shape: [1, 3], scalars: [1, 2, 3])),
                          gamma: Variable(constant: Tensor(shape: [3], repeating: 1)),
                          beta: Variable(constant: Tensor(zeros: [3])), epsilon: 0).value.scalars
        #expect(abs(y[0] + 1.2247449) < 1e-6)
        #expect(abs(y[1]) < 1e-6)
        #expect(abs(y[2] - 1.2247449) < 1e-6)
    }

    /// logits [0, ln 3], target 1: p = [1/4, 3/4], loss = −ln(3/4) = 0.2876821;
    /// ∂loss/∂z = p − onehot = [1/4, −1/4].
    @Test func crossEntropyOfTwoClasses() {
        let tape = Tape()
        let logits = tape.variable(Tensor(shape: [1, 2], scalars: [0, Float(log(3.0))]))
        let loss = crossEntropy(logits: logits, targets: [1])
        #expect(abs(loss.value.scalar - 0.2876821) < 1e-6)
        tape.backward(from: loss)
        let gradient = tape.gradient(of: logits)!.scalars
        #expect(abs(gradient[0] - 0.25) < 1e-6)
        #expect(abs(gradient[1] + 0.25) < 1e-6)
    }

    /// GELU(1) = Φ(1) = 0.8413447; GELU′(1) = Φ(1) + φ(1) = 0.8413447 + 0.2419707 = 1.0833155.
    @Test func geluAtOne() {
        let tape = Tape()
        let x = tape.variable(Tensor(shape: [1], scalars: [1]))
        let y = gelu(x)
        #expect(abs(y.value.scalar - 0.8413447) < 1e-6)
        tape.backward(from: y)
        #expect(abs(tape.gradient(of: x)!.scalar - 1.0833155) < 1e-6)
    }

    /// p = [[1, 2], [3, 4]], t = [[0, 2], [1, 1]]: p − t = [1, 0, 2, 3], L = (1 + 0 + 4 + 9)/4 = 3.5;
    /// ∂L/∂p = 2(p − t)/4 = [0.5, 0, 1, 1.5].
    @Test func meanSquaredErrorOfFourValues() {
        let tape = Tape()
        let p = tape.variable(Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]))
        let loss = meanSquaredError(p, target: Tensor(shape: [2, 2], scalars: [0, 2, 1, 1]))
        #expect(abs(loss.value.scalar - 3.5) < 1e-6)
        tape.backward(from: loss)
        #expect(tape.gradient(of: p)!.scalars == [0.5, 0, 1, 1.5])
    }

    /// p = [3, 4], t = [4, 3]: cos = (12 + 12)/(5·5) = 0.96, L = 1 − 0.96 = 0.04;
    /// p̂ = [0.6, 0.8], t̂ = [0.8, 0.6], ∂L/∂p = −(t̂ − cos·p̂)/‖p‖ = −([0.8, 0.6] − [0.576, 0.768])/5
    /// = [−0.0448, 0.0336].
    @Test func cosineDistanceOfThreeFourAndFourThree() {
        let tape = Tape()
        let p = tape.variable(Tensor(shape: [1, 2], scalars: [3, 4]))
        let loss = cosineDistance(p, target: Tensor(shape: [1, 2], scalars: [4, 3]))
        #expect(abs(loss.value.scalar - 0.04) < 1e-6)
        tape.backward(from: loss)
        let gradient = tape.gradient(of: p)!.scalars
        #expect(abs(gradient[0] + 0.0448) < 1e-7)
        #expect(abs(gradient[1] - 0.0336) < 1e-7)
    }

    /// One head, T = 2, D = 1, q = [1, 0], k = [ln 3, 0], v = [10, 2]:
    /// row 0 scores [ln 3, 0] → p = [3/4, 1/4] → out 7.5 + 0.5 = 8;
    /// row 1 scores [0, 0] → p = [1/2, 1/2] → out 6. With key 1 masked, both rows give 10.
    @Test func attentionByHand() {
        let q = Variable(constant: Tensor(shape: [1, 2, 1], scalars: [1, 0]))
        let k = Variable(constant: Tensor(shape: [1, 2, 1], scalars: [Float(log(3.0)), 0]))
        let v = Variable(constant: Tensor(shape: [1, 2, 1], scalars: [10, 2]))
        let (out, probabilities) = scaledDotProductAttention(query: q, key: k, value: v, heads: 1, keyMask: nil)
        #expect(abs(out.value.scalars[0] - 8) < 1e-5)
        #expect(abs(out.value.scalars[1] - 6) < 1e-5)
        #expect(abs(probabilities.scalars[0] - 0.75) < 1e-6)
        let masked = scaledDotProductAttention(query: q, key: k, value: v, heads: 1,
                                               keyMask: Tensor(shape: [1, 2], scalars: [1, 0])).output
        #expect(masked.value.scalars == [10, 10])
        let causal = scaledDotProductAttention(query: q, key: k, value: v, heads: 1, keyMask: nil, causal: true).output
        #expect(causal.value.scalars[0] == 10)  // row 0 sees only key 0
        // Causal with key 0 padded: row 0 has no key left (all-zero probabilities, output 0);
        // row 1 sees key 1 only (output 2).
        let (both, bothProbabilities) = scaledDotProductAttention(
            query: q, key: k, value: v, heads: 1, keyMask: Tensor(shape: [1, 2], scalars: [0, 1]), causal: true)
        #expect(both.value.scalars == [0, 2])
        #expect(bothProbabilities.scalars == [0, 0, 0, 1])
    }

    /// Masked mean of [[1, 2], [3, 4], [100, 100]] with the last token padded = [2, 3].
    @Test func maskedMeanSkipsPadding() {
        let x = Variable(constant: Tensor(shape: [1, 3, 2], scalars: [1, 2, 3, 4, 100, 100]))
        let mask = Tensor(shape: [1, 3], scalars: [1, 1, 0])
        #expect(maskedMeanPooling(x, mask: mask).value.scalars == [2, 3])
        #expect(maskedMaxPooling(x, mask: mask).value.scalars == [3, 4])
        #expect(clsPooling(x).value.scalars == [1, 2])
        // [3, 4] / 5 = [0.6, 0.8]
        #expect(l2Normalize(Variable(constant: Tensor(shape: [1, 2], scalars: [3, 4]))).value.scalars == [0.6, 0.8])
    }

    /// y = x ⊙ x uses x twice: dy/dx = x + x = 2x, from the two uses accumulating.
    @Test func reusedValueAccumulates() {
        let tape = Tape()
        let x = tape.variable(Tensor(shape: [3], scalars: [1, -2, 3]))
        tape.backward(from: sum(multiply(x, x)))
        #expect(tape.gradient(of: x)!.scalars == [2, -4, 6])
    }

    /// Tied weights: W [V = 3, C = 2] is both an embedding table and the output projection.
    /// L = Σ (embedding(W, [2, 0]) · Wᵀ) ⊙ R. The gradient must equal the sum of the two uses'
    /// gradients computed separately (each with the other use held constant).
    @Test func tiedWeightsAccumulateBothUses() {
        let w = Tensor(shape: [3, 2], scalars: [0.1, -0.2, 0.3, 0.4, -0.5, 0.6])
        let r = Tensor(shape: [2, 3], scalars: [1, -1, 0.5, 2, 0, -3])
        func gradient(trackEmbedding: Bool, trackProjection: Bool) -> Tensor {
            let tape = Tape()
            let tracked = tape.variable(w)
            let table = trackEmbedding ? tracked : Variable(constant: w)
            let projection = trackProjection ? tracked : Variable(constant: w)
            let logits = matmul(embedding(table, indices: [2, 0]), projection, transposeB: true)  // [2, 3]
            tape.backward(from: logits, seed: r)
            return tape.gradient(of: tracked)!
        }
        let both = gradient(trackEmbedding: true, trackProjection: true)
        let sumOfUses = gradient(trackEmbedding: true, trackProjection: false)
            .adding(gradient(trackEmbedding: false, trackProjection: true))
        for (a, b) in zip(both.scalars, sumOfUses.scalars) { #expect(abs(a - b) < 1e-6) }
        // By hand, row 1 of W is used only by the projection: dW[1] = Σ_rows R[:, 1] ⊙ E
        // = −1·W[2] + 0·W[0] = [0.5, −0.6].
        #expect(abs(both[1, 0] - 0.5) < 1e-6 && abs(both[1, 1] + 0.6) < 1e-6)
    }

    /// Constants record nothing, so inference keeps no caches.
    @Test func constantsRecordNothing() {
        let tape = Tape()
        let w = tape.variable(Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]))
        let x = Variable(constant: Tensor(shape: [1, 2], scalars: [1, 1]))
        _ = gelu(x)
        #expect(tape.nodeCount == 1)
        _ = matmul(x, w)
        #expect(tape.opNames == ["matmul"])
    }
}
