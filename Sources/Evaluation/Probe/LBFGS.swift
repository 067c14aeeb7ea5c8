// L-BFGS (Nocedal, 1980; Nocedal & Wright, "Numerical Optimization", 2nd ed., Algorithm 7.4 and
// 7.5): a quasi-Newton minimiser that keeps the last m pairs s = x₊ − x, y = ∇f₊ − ∇f and applies
// the inverse-Hessian approximation H·g by the two-loop recursion, with H₀ = (sᵀy / yᵀy)·I.
// Steps are found by backtracking until the Armijo condition f(x + αd) ≤ f(x) + c₁·α·∇fᵀd holds.
// It is the solver behind scikit-learn's LogisticRegression(solver="lbfgs"), which the linear probe
// reproduces; here f and ∇f come from our autodiff.
// Not handled: bounds (L-BFGS-B), the strong Wolfe line search (backtracking suffices for the
// smooth convex objectives it is used on; pairs with sᵀy ≤ 0 are skipped to keep H positive).

import Foundation

/// Minimises a smooth function of a vector.
///
/// ```swift
/// // f(x) = (x₀ − 3)² + 10·(x₁ + 1)²
/// let result = LBFGS().minimize(start: [0, 0]) { x in
///     ((x[0] - 3) * (x[0] - 3) + 10 * (x[1] + 1) * (x[1] + 1), [2 * (x[0] - 3), 20 * (x[1] + 1)])
/// }
/// // result.x ≈ [3, −1]
/// ```
public struct LBFGS: Sendable {
    /// Pairs (s, y) kept (scipy's default m = 10).
    public var memory = 10
    public var maximumIterations = 2000
    /// Stop when max |∇f| ≤ this (scipy's pgtol; scikit-learn passes its tol = 1e-4).
    public var gradientTolerance = 1e-5
    /// Stop when (f_k − f_{k+1}) / max(|f_k|, |f_{k+1}|, 1) ≤ this (scipy's factr·ε ≈ 2.2e-9).
    public var relativeDecreaseTolerance = 2.2e-9
    /// The Armijo constant c₁.
    public var sufficientDecrease = 1e-4

    public init() {}

    /// Why the iterations ended.
    public enum Stop: String, Sendable {
        case gradient, decrease, lineSearch, iterations
    }

    public struct Result: Sendable {
        public let x: [Double]
        public let value: Double
        public let gradient: [Double]
        public let iterations: Int
        public let evaluations: Int
        public let stop: Stop
    }

    /// Minimises `function`, which returns f(x) and ∇f(x).
    /// - Complexity: per iteration one or a few evaluations plus O(m·n) vector work.
    public func minimize(start: [Double], _ function: ([Double]) -> (value: Double, gradient: [Double])) -> Result {
        var x = start
        var (value, gradient) = function(x)
        var evaluations = 1
        var pairs: [(s: [Double], y: [Double], rho: Double)] = []
        var iteration = 0
        var stop = Stop.iterations
        while iteration < maximumIterations {
            if gradient.map(abs).max() ?? 0 <= gradientTolerance { stop = .gradient; break }
            // Direction d = −H·g by the two-loop recursion.
            var q = gradient
            var alphas = [Double](repeating: 0, count: pairs.count)
            for index in pairs.indices.reversed() {
                alphas[index] = pairs[index].rho * dot(pairs[index].s, q)
                axpy(-alphas[index], pairs[index].y, &q)
            }
            if let last = pairs.last {
                let scale = dot(last.s, last.y) / dot(last.y, last.y)
                for index in q.indices { q[index] *= scale }
            } else {
                // First step: a unit-length move along −g.
                let norm = dot(gradient, gradient).squareRoot()
                for index in q.indices { q[index] /= max(norm, 1e-300) }
            }
            for index in pairs.indices {
                let beta = pairs[index].rho * dot(pairs[index].y, q)
                axpy(alphas[index] - beta, pairs[index].s, &q)
            }
            var direction = q.map { -$0 }
            var slope = dot(gradient, direction)
            if !(slope < 0) {  // not a descent direction (numerical trouble): restart along −g
                pairs.removeAll()
                direction = gradient.map { -$0 }
                slope = -dot(gradient, gradient)
            }
            // Backtracking line search (Armijo).
            var step = 1.0
            var accepted: (x: [Double], value: Double, gradient: [Double])?
            for _ in 0..<40 {
                var candidate = x
                axpy(step, direction, &candidate)
                let (candidateValue, candidateGradient) = function(candidate)
                evaluations += 1
                if candidateValue.isFinite && candidateValue <= value + sufficientDecrease * step * slope {
                    accepted = (candidate, candidateValue, candidateGradient)
                    break
                }
                step *= 0.5
            }
            guard let next = accepted else { stop = .lineSearch; break }
            iteration += 1
            let s = zip(next.x, x).map { $0 - $1 }
            let y = zip(next.gradient, gradient).map { $0 - $1 }
            let sy = dot(s, y)
            if sy > 1e-12 * dot(y, y).squareRoot() * dot(s, s).squareRoot() {
                pairs.append((s, y, 1 / sy))
                if pairs.count > memory { pairs.removeFirst() }
            }
            let decrease = (value - next.value) / max(abs(value), abs(next.value), 1)
            x = next.x
            value = next.value
            gradient = next.gradient
            if decrease <= relativeDecreaseTolerance { stop = .decrease; break }
        }
        return Result(x: x, value: value, gradient: gradient, iterations: iteration, evaluations: evaluations, stop: stop)
    }

    private func dot(_ a: [Double], _ b: [Double]) -> Double {
        var sum = 0.0
        for index in a.indices { sum += a[index] * b[index] }
        return sum
    }

    private func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double]) {
        for index in y.indices { y[index] += alpha * x[index] }
    }
}
