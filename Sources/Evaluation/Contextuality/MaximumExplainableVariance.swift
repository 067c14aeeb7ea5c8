// MaximumExplainableVariance: the share of a word's occurrence vectors that one static vector can
// explain, MEV = σ₁² / Σᵢ σᵢ², where σᵢ are the singular values of the n×C matrix X whose rows are
// the word's vectors in its n contexts (not centred). σ₁² is the largest eigenvalue of the Gram
// matrix G = XXᵀ (n×n) or of XᵀX (C×C), whichever is smaller, found by power iteration; Σσᵢ² is
// ‖X‖²_F. A reference by Jacobi eigen-decomposition sits beside it and the tests compare them.
// Reference: Ethayarajh (2019), §3.3 "Maximum explainable variance"; Golub & Van Loan, §8.2 (power
// iteration with the Rayleigh quotient).
// Not handled: the other singular values (only the first is needed); the anisotropy baseline of MEV.

import Foundation
import TensorCore

public enum MaximumExplainableVariance {
    /// MEV of the rows of X: σ₁(X)² / ‖X‖²_F, in [1/min(n, C), 1] (0 for an all-zero X).
    ///
    /// Power iteration on the smaller Gram matrix M (G = XXᵀ or XᵀX): v ← Mv / ‖Mv‖ from a fixed
    /// start, stopping when the Rayleigh quotient λ = vᵀMv changes by less than 1e-13·λ (its error
    /// shrinks as (λ₂/λ₁)^2k). Equivalent to `reference(_:)`.
    ///
    /// - Parameter rows: the n vectors, each C values.
    /// - Complexity: O(n·m·C) to form M (m = min(n, C)), then O(m²) per iteration.
    public static func of(_ rows: [ArraySlice<Float>]) -> Double {
        let (gram, size, total) = smallerGram(rows)
        guard total > 0 else { return 0 }
        return largestEigenvalue(gram, size: size) / total
    }

    /// The reference: the largest eigenvalue of the same Gram matrix by cyclic Jacobi
    /// (`symmetricEigen`), O(m³) per sweep. For tests and small inputs.
    public static func reference(_ rows: [ArraySlice<Float>]) -> Double {
        let (gram, size, total) = smallerGram(rows)
        guard total > 0 else { return 0 }
        return symmetricEigen(gram, size: size).values[0] / total
    }

    /// M = XXᵀ when n ≤ C, else XᵀX (both have σᵢ² as eigenvalues), row-major m×m in Double, and
    /// ‖X‖²_F = trace M.
    static func smallerGram(_ rows: [ArraySlice<Float>]) -> (gram: [Double], size: Int, total: Double) {
        let n = rows.count
        let width = rows.first?.count ?? 0
        let x = rows.map { $0.map(Double.init) }                           // [n][C]
        var gram: [Double]
        let size: Int
        if n <= width {
            size = n
            gram = [Double](repeating: 0, count: n * n)                     // G[i][j] = xᵢ·xⱼ
            for i in 0..<n {
                for j in i..<n {
                    var dot = 0.0
                    for c in 0..<width { dot += x[i][c] * x[j][c] }
                    gram[i * n + j] = dot
                    gram[j * n + i] = dot
                }
            }
        } else {
            size = width
            gram = [Double](repeating: 0, count: width * width)             // (XᵀX)[a][b] = Σᵢ xᵢₐ xᵢ_b
            for row in x {
                for a in 0..<width where row[a] != 0 {
                    let scale = row[a]
                    for b in a..<width { gram[a * width + b] += scale * row[b] }
                }
            }
            for a in 0..<width { for b in 0..<a { gram[a * width + b] = gram[b * width + a] } }
        }
        let total = (0..<size).reduce(0.0) { $0 + gram[$1 * size + $1] }
        return (gram, size, total)
    }

    /// The largest eigenvalue of a symmetric positive semi-definite m×m matrix, by power iteration.
    static func largestEigenvalue(_ matrix: [Double], size m: Int, maximumIterations: Int = 20_000) -> Double {
        guard m > 1 else { return m == 1 ? matrix[0] : 0 }
        // A fixed start with every component non-zero and unequal (never orthogonal to the top
        // eigenvector in practice, unlike e.g. a basis vector).
        var v = (0..<m).map { 1 + 0.5 * sin(Double($0) * 1.618) }
        var norm = v.reduce(0) { $0 + $1 * $1 }.squareRoot()
        v = v.map { $0 / norm }
        var lambda = 0.0
        var next = [Double](repeating: 0, count: m)
        for _ in 0..<maximumIterations {
            for i in 0..<m {                                                // next = M v
                var sum = 0.0
                for j in 0..<m { sum += matrix[i * m + j] * v[j] }
                next[i] = sum
            }
            let rayleigh = zip(v, next).reduce(0) { $0 + $1.0 * $1.1 }      // λ = vᵀMv (‖v‖ = 1)
            norm = next.reduce(0) { $0 + $1 * $1 }.squareRoot()
            guard norm > 0 else { return 0 }
            for i in 0..<m { v[i] = next[i] / norm }
            if abs(rayleigh - lambda) <= 1e-13 * abs(rayleigh) { return rayleigh }
            lambda = rayleigh
        }
        return lambda
    }
}
