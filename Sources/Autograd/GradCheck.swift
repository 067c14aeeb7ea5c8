// Finite-difference gradient checking: every op's hand-written backward is compared with
// central differences  ∂L/∂xⱼ ≈ (L(x + εeⱼ) − L(x − εeⱼ)) / 2ε, whose error is O(ε²) plus
// Float32 rounding of about 1e-7·|L|/ε. L = Σ f(x) ⊙ R with a fixed random R, so every output
// element is checked at once. Reference: cs231n's notes on gradient checking.
// Not handled: second derivatives; ops that are not differentiable at the probed point
// (callers pick inputs away from kinks such as ReLU's 0 or ties in a max).

import TensorCore

/// The outcome of checking one input's gradient.
public struct GradCheckResult: CustomStringConvertible, Sendable {
    /// Which input (position in the `inputs` array).
    public let input: Int
    /// max |analytic − numeric| / (largest |numeric| over the tensor, at least `floor`).
    public let error: Float
    /// The element with that error.
    public let worstIndex: Int
    public let analytic: Float
    public let numeric: Float
    /// Whether `error <= tolerance`.
    public let passed: Bool

    public var description: String {
        "input \(input): error \(error) at element \(worstIndex) (analytic \(analytic), numeric \(numeric))\(passed ? "" : " FAILED")"
    }
}

/// Checks the gradient of `function` with respect to every input by central differences.
///
/// - Parameters:
///   - inputs: the point at which to check; each becomes a tracked leaf.
///   - epsilon: the finite-difference step (inputs should be of order 1).
///   - tolerance: the largest acceptable scaled error (see `GradCheckResult.error`).
///   - floor: the smallest gradient scale used to normalise errors.
///   - seed: for the random projection R of the output.
///   - function: builds the output from the inputs with Autograd ops.
/// - Returns: one result per input.
/// - Complexity: 2·(total input elements) forward passes, plus one forward and backward.
///
/// ```swift
/// let results = gradCheck([x, gamma, beta], tolerance: 1e-3) { v in
///     layerNorm(v[0], gamma: v[1], beta: v[2], epsilon: 1e-5)
/// }
/// #expect(results.allSatisfy(\.passed))
/// ```
public func gradCheck(
    _ inputs: [Tensor], epsilon: Float = 1e-2, tolerance: Float, floor: Float = 1e-3, seed: UInt64 = 0,
    _ function: ([Variable]) -> Variable
) -> [GradCheckResult] {
    // Analytic gradients: one forward on a tape, one backward seeded with R.
    let tape = Tape()
    let leaves = inputs.map { tape.variable($0) }
    let output = function(leaves)
    var generator = SeededGenerator(seed: seed)
    let projection = generator.uniform(shape: output.shape, low: -1, high: 1)
    if output.isTracked { tape.backward(from: output, seed: projection) }
    let r = projection.scalars

    // L(x) = Σ f(x) ⊙ R, accumulated in Double.
    func loss(_ point: [Tensor]) -> Double {
        let value = function(point.map { Variable(constant: $0) }).value.scalars
        var total: Double = 0
        for index in value.indices { total += Double(value[index]) * Double(r[index]) }
        return total
    }

    var results: [GradCheckResult] = []
    for (position, input) in inputs.enumerated() {
        let analytic = tape.gradient(of: leaves[position])?.scalars ?? [Float](repeating: 0, count: input.count)
        var numeric = [Float](repeating: 0, count: input.count)
        var point = inputs
        for element in 0..<input.count {
            let original = input.scalars[element]
            var plus = input, minus = input
            plus.withUnsafeMutableBufferPointer { $0[element] = original + epsilon }
            minus.withUnsafeMutableBufferPointer { $0[element] = original - epsilon }
            point[position] = plus
            let upper = loss(point)
            point[position] = minus
            let lower = loss(point)
            numeric[element] = Float((upper - lower) / (2 * Double(epsilon)))
        }
        let scale = max(numeric.map { abs($0) }.max() ?? 0, floor)
        var worst: Float = 0, worstIndex = 0
        for element in 0..<input.count {
            let error = abs(analytic[element] - numeric[element]) / scale
            if !(error <= worst) { worst = error.isNaN ? .infinity : error; worstIndex = element }
        }
        results.append(GradCheckResult(
            input: position, error: worst, worstIndex: worstIndex,
            analytic: analytic.isEmpty ? 0 : analytic[worstIndex], numeric: numeric.isEmpty ? 0 : numeric[worstIndex],
            passed: worst <= tolerance))
    }
    return results
}
