// NegativeSamplingStep: the one SGD update that skip-gram, CBOW and FastText all make, written by
// hand. An input vector h (skip-gram: one context word's vector; CBOW: the mean of the context
// vectors; FastText: the mean of a word's n-gram rows) scores one positive target and k noise
// targets against their output vectors u_t.
// Reference: Mikolov et al. 2013 (eq. 4); word2vec.c's negative-sampling loop. Derivation in
// Docs/Word2Vec.md. The step itself runs in CKernels (te_sgns_step, AVX2+FMA); the Swift
// reference below spells it out. Not handled: hierarchical softmax.

import CKernels
import Foundation

// MARK: - Derivation (the gradients named below)
//
// Forward, for targets t = o (label y_o = 1) and n_1 … n_k (label 0):
//     s_t = h · u_t                      score
//     L   = −log σ(s_o) − Σ_i log σ(−s_{n_i})
// Because d/ds [−log σ(s)] = σ(s) − 1 and d/ds [−log σ(−s)] = σ(s), for every target
//     ∂L/∂s_t = σ(s_t) − y_t             scoreGradient
// and by the chain rule through s_t = h · u_t:
//     ∂L/∂u_t = (σ(s_t) − y_t) · h       outputGradient
//     ∂L/∂h   = Σ_t (σ(s_t) − y_t) · u_t inputGradient (accumulated over targets)
// SGD with rate η writes g_t = η · (y_t − σ(s_t)) = −η ∂L/∂s_t, so
//     u_t ← u_t + g_t · h     and     h's owners ← + Σ_t g_t · u_t (read before u_t changed).
// Compare the full softmax (Docs/Word2Vec.md): ∂(−log P(o|c))/∂v_c = −u_o + Σ_j P(j|c) u_j; negative
// sampling replaces the sum over all V words by k sampled ones.

/// Applies one negative-sampling step (CKernels' `te_sgns_step`: AVX2+FMA where the CPU has it;
/// `negativeSamplingStepReference` below is the readable definition it is tested against).
///
/// - Parameters:
///   - input: h, `dimension` floats (read only; the caller applies `inputGradient`).
///   - targets: target rows; `targets[0]` is the positive one; entries < 0 are skipped (a noise
///     draw that hit the positive word).
///   - outputVectors: the output matrix [V, dimension] (word2vec.c: syn1neg), updated in place.
///   - inputGradient: receives Σ_t g_t · u_t = −η ∂L/∂h (overwritten, not accumulated).
/// - Complexity: 3·(k+1)·dimension multiply-adds.
@inline(__always)
public func negativeSamplingStep(
    input: UnsafePointer<Float>, targets: UnsafePointer<Int>, targetCount: Int,
    outputVectors: UnsafeMutablePointer<Float>, dimension: Int, learningRate: Float,
    sigmoid: SigmoidTable, inputGradient: UnsafeMutablePointer<Float>
) {
    te_sgns_step(input, targets, targetCount, outputVectors, dimension, learningRate,
                 sigmoid.values, sigmoid.maxScore, sigmoid.scale, inputGradient)
}

/// The same step in plain Swift, target by target: the definition `negativeSamplingStep` must
/// agree with (up to the rounding of the dot product's summation order).
public func negativeSamplingStepReference(
    input: UnsafePointer<Float>, targets: UnsafePointer<Int>, targetCount: Int,
    outputVectors: UnsafeMutablePointer<Float>, dimension: Int, learningRate: Float,
    sigmoid: SigmoidTable, inputGradient: UnsafeMutablePointer<Float>
) {
    inputGradient.update(repeating: 0, count: dimension)
    for position in 0..<targetCount {
        let target = targets[position]
        if target < 0 { continue }
        let label: Float = position == 0 ? 1 : 0
        let output = outputVectors + target * dimension          // u_t
        var score: Float = 0                                      // s_t = h · u_t
        for index in 0..<dimension { score += input[index] * output[index] }
        let g = learningRate * (label - sigmoid(score))           // g_t = −η ∂L/∂s_t
        for index in 0..<dimension {
            let u = output[index]
            inputGradient[index] += g * u                         // Σ g_t u_t, with u_t before the update
            output[index] = u + g * input[index]                  // u_t += g_t h
        }
    }
}

/// The loss L = −log σ(s_o) − Σ log σ(−s_n) of one step at the current vectors, with the exact σ
/// (tests use it for finite-difference checks of the gradients above).
public func negativeSamplingLoss(
    input: [Float], positive: [Float], negatives: [[Float]]
) -> Double {
    func logSigmoid(_ x: Double) -> Double { -log1p(exp(-x)) }
    func dotD(_ a: [Float], _ b: [Float]) -> Double { zip(a, b).reduce(0) { $0 + Double($1.0) * Double($1.1) } }
    var loss = -logSigmoid(dotD(input, positive))
    for negative in negatives { loss -= logSigmoid(-dotD(input, negative)) }
    return loss
}

