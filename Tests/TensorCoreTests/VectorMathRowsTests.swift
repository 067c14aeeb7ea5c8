// Row kernels (softmax, log-softmax, LayerNorm, forward and backward): hand-worked rows, fast
// against the Double references for rows of 1, odd lengths and large magnitudes, the detected
// path against the portable one, and the references' backward against central differences.
// Not handled: timing (see `tinyencoder bench gemm --elementwise`).
import CKernels
import Foundation
import Testing
import TensorCore
import TestSupport

@Suite struct VectorMathRowsTests {
    // MARK: - Hand-worked rows

    /// softmax([0, ln 3]) = [1, 3] / 4 = [0.25, 0.75]; a row of one element is [1];
    /// log-softmax([0, ln 3]) = [ln ¼, ln ¾] = [−1.3862944, −0.2876821].
    @Test func softmaxKnownValues() {
        let x = Tensor(shape: [2, 2], scalars: [0, 1.0986123, 5, 5])
        #expect(maxRelativeError(softmaxRows(x).scalars, [0.25, 0.75, 0.5, 0.5]).error < 2e-7)
        #expect(softmaxRows(Tensor(shape: [3, 1], scalars: [-7, 0, 1e30])).scalars == [1, 1, 1])
        let logs = logSoftmaxRows(x).scalars
        #expect(maxRelativeError(logs, [-1.3862944, -0.2876821, -0.6931472, -0.6931472]).error < 3e-7)
    }

    /// Row [1, 3]: μ = 2, σ² = ((1−2)² + (3−2)²)/2 = 1, so with ε = 0 x̂ = [−1, 1];
    /// with γ = [2, 0.5], β = [1, −1]: y = [−2 + 1, 0.5 − 1] = [−1, −0.5].
    @Test func layerNormKnownValues() {
        let x = Tensor(shape: [1, 2], scalars: [1, 3])
        let plain = layerNormRows(x, gamma: nil, beta: nil, epsilon: 0)
        #expect(plain.output.scalars == [-1, 1])
        #expect(plain.mean.shape == [1] && plain.mean.scalars == [2] && plain.inverseStandardDeviation.scalars == [1])
        let affine = layerNormRows(x, gamma: Tensor(shape: [2], scalars: [2, 0.5]),
                                   beta: Tensor(shape: [2], scalars: [1, -1]), epsilon: 0)
        #expect(affine.output.scalars == [-1, -0.5])
        // The documented example: ε = 1e-5 gives x̂ = ±1/√(1 + 1e-5) = ±0.999995.
        let documented = layerNormRows(x, gamma: nil, beta: nil).output.scalars
        #expect(maxRelativeError(documented, [-0.999995, 0.999995]).error < 2e-7)
        // One column: x − μ = 0, so y = β whatever x is.
        let single = layerNormRows(Tensor(shape: [2, 1], scalars: [5, -3]), gamma: nil,
                                   beta: Tensor(shape: [1], scalars: [0.25]), epsilon: 1e-5)
        #expect(single.output.scalars == [0.25, 0.25])
    }

    // MARK: - Fast against reference

    static let columnCounts = [1, 2, 3, 7, 8, 9, 17, 31, 128, 257]

    /// Inputs with a large spread (±40) exercise the max subtraction.
    @Test(arguments: columnCounts) func softmaxMatchesReference(columns: Int) {
        var rng = SeededGenerator(seed: UInt64(columns))
        let x = rng.uniform(shape: [3, 5, columns], low: -40, high: 40)
        #expect(maxScaledError(softmaxRows(x).scalars, softmaxRowsReference(x).scalars, floor: 1) <= 1e-6)
        #expect(maxScaledError(logSoftmaxRows(x).scalars, logSoftmaxRowsReference(x).scalars, floor: 1) <= 1e-6)
        let y = softmaxRows(x), logY = logSoftmaxRows(x)
        let dOut = rng.uniform(shape: x.shape, low: -1, high: 1)
        #expect(maxScaledError(softmaxRowsBackward(dOut, output: y).scalars,
                               softmaxRowsBackwardReference(dOut, output: y).scalars, floor: 1) <= 1e-6)
        #expect(maxScaledError(logSoftmaxRowsBackward(dOut, output: logY).scalars,
                               logSoftmaxRowsBackwardReference(dOut, output: logY).scalars, floor: 1) <= 2e-6)
    }

    @Test(arguments: columnCounts) func layerNormMatchesReference(columns: Int) {
        var rng = SeededGenerator(seed: 100 + UInt64(columns))
        let x = rng.uniform(shape: [4, 3, columns], low: -3, high: 5)
        let gamma = rng.uniform(shape: [columns], low: 0.5, high: 1.5)
        let beta = rng.uniform(shape: [columns], low: -0.5, high: 0.5)
        let fast = layerNormRows(x, gamma: gamma, beta: beta, epsilon: 1e-5)
        let reference = layerNormRowsReference(x, gamma: gamma, beta: beta, epsilon: 1e-5)
        #expect(fast.mean.shape == [4, 3])
        #expect(maxScaledError(fast.output.scalars, reference.output.scalars, floor: 1) <= 2e-6)
        #expect(maxScaledError(fast.mean.scalars, reference.mean.scalars, floor: 1) <= 1e-6)
        #expect(maxRelativeError(fast.inverseStandardDeviation.scalars, reference.inverseStandardDeviation.scalars).error <= 2e-6)
        let dOut = rng.uniform(shape: x.shape, low: -1, high: 1)
        for scale in [gamma, nil] {
            let grads = layerNormRowsBackward(dOut, input: x, gamma: scale, mean: fast.mean,
                                              inverseStandardDeviation: fast.inverseStandardDeviation)
            let expected = layerNormRowsBackwardReference(dOut, input: x, gamma: scale, mean: fast.mean,
                                                          inverseStandardDeviation: fast.inverseStandardDeviation)
            #expect(maxScaledError(grads.dInput.scalars, expected.dInput.scalars, floor: 1) <= 1e-5)
            #expect(maxScaledError(grads.dGamma.scalars, expected.dGamma.scalars, floor: 1) <= 1e-5)
            #expect(maxScaledError(grads.dBeta.scalars, expected.dBeta.scalars, floor: 1) <= 1e-5)
        }
    }

    /// Many rows: the threaded split and the fixed row blocks of dγ/dβ.
    @Test func manyRowsSplitOverThreads() {
        var rng = SeededGenerator(seed: 77)
        let x = rng.uniform(shape: [1000, 96], low: -2, high: 2)
        let gamma = rng.uniform(shape: [96], low: 0.5, high: 1.5)
        #expect(maxScaledError(softmaxRows(x).scalars, softmaxRowsReference(x).scalars, floor: 1) <= 1e-6)
        let fast = layerNormRows(x, gamma: gamma, beta: nil)
        let dOut = rng.uniform(shape: x.shape, low: -1, high: 1)
        let grads = layerNormRowsBackward(dOut, input: x, gamma: gamma, mean: fast.mean,
                                          inverseStandardDeviation: fast.inverseStandardDeviation)
        let expected = layerNormRowsBackwardReference(dOut, input: x, gamma: gamma, mean: fast.mean,
                                                      inverseStandardDeviation: fast.inverseStandardDeviation)
        #expect(maxScaledError(grads.dGamma.scalars, expected.dGamma.scalars, floor: 1) <= 1e-5)
        #expect(maxScaledError(grads.dInput.scalars, expected.dInput.scalars, floor: 1) <= 1e-5)
    }

    /// Every path the CPU can run agrees with the portable one, called on this thread.
    @Test func everyPathAgreesWithThePortableOne() {
        var rng = SeededGenerator(seed: 21)
        let (rows, columns) = (6, 45)
        let x = rng.uniform(shape: [rows * columns], low: -6, high: 6).scalars
        let dy = rng.uniform(shape: [rows * columns], low: -1, high: 1).scalars
        let gamma = rng.uniform(shape: [columns], low: 0.5, high: 1.5).scalars
        func outputs(path: String) -> [[Float]] {
            te_force_path(path)
            defer { te_force_path(nil) }
            var softmax = [Float](repeating: 0, count: x.count), logSoftmax = softmax, normalised = softmax
            var dSoftmax = softmax, dLog = softmax, dNorm = softmax
            var mean = [Float](repeating: 0, count: rows), rstd = mean
            var dGamma = [Float](repeating: 0, count: columns), dBeta = dGamma
            te_softmax_rows(x, &softmax, rows, columns)
            te_log_softmax_rows(x, &logSoftmax, rows, columns)
            te_layernorm_rows(x, gamma, nil, &normalised, &mean, &rstd, rows, columns, 1e-5)
            te_softmax_rows_backward(softmax, dy, &dSoftmax, rows, columns, 0)
            te_log_softmax_rows_backward(logSoftmax, dy, &dLog, rows, columns, 0)
            te_layernorm_rows_backward(x, gamma, mean, rstd, dy, &dNorm, &dGamma, &dBeta, rows, columns, 0)
            return [softmax, logSoftmax, normalised, mean, rstd, dSoftmax, dLog, dNorm, dGamma, dBeta]
        }
        let portable = outputs(path: "portable")
        for path in KernelPath.available {
            for (index, (a, b)) in zip(outputs(path: path), portable).enumerated() {
                #expect(maxScaledError(a, b, floor: 1) <= 2e-6, "\(path): output \(index)")
            }
        }
    }

    // MARK: - Backward against central differences

    /// Σ dOut ⊙ f(x) differentiated numerically, (L(x + h eᵢ) − L(x − h eᵢ)) / 2h, in Double
    /// through the references, against the analytic backward references.
    @Test func backwardReferencesMatchFiniteDifferences() {
        var rng = SeededGenerator(seed: 5)
        let x = rng.uniform(shape: [2, 5], low: -2, high: 2)
        let dOut = rng.uniform(shape: [2, 5], low: -1, high: 1)
        let gamma = rng.uniform(shape: [5], low: 0.5, high: 1.5)
        func loss(_ f: (Tensor) -> Tensor, _ input: [Float]) -> Double {
            zip(f(Tensor(shape: [2, 5], scalars: input)).scalars, dOut.scalars).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }
        func numeric(_ f: (Tensor) -> Tensor) -> [Float] {
            (0..<x.count).map { index in
                var plus = x.scalars, minus = x.scalars
                plus[index] += 1e-2
                minus[index] -= 1e-2
                return Float((loss(f, plus) - loss(f, minus)) / 2e-2)
            }
        }
        let softmaxGrad = softmaxRowsBackwardReference(dOut, output: softmaxRowsReference(x)).scalars
        #expect(maxScaledError(softmaxGrad, numeric(softmaxRowsReference), floor: 1) <= 1e-3)
        let logGrad = logSoftmaxRowsBackwardReference(dOut, output: logSoftmaxRowsReference(x)).scalars
        #expect(maxScaledError(logGrad, numeric(logSoftmaxRowsReference), floor: 1) <= 1e-3)
        let forward = layerNormRowsReference(x, gamma: gamma, beta: nil)
        let layerGrad = layerNormRowsBackwardReference(dOut, input: x, gamma: gamma, mean: forward.mean,
                                                       inverseStandardDeviation: forward.inverseStandardDeviation)
        #expect(maxScaledError(layerGrad.dInput.scalars,
                               numeric { layerNormRowsReference($0, gamma: gamma, beta: nil).output }, floor: 1) <= 2e-3)
    }
}
