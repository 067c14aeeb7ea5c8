// SymmetricEigen: all eigenvalues and eigenvectors of a small symmetric matrix by the cyclic Jacobi
// method (rotate away each off-diagonal entry in turn until they are all negligible), in Double.
// Used on the k×k Gram matrices of the randomised SVD, where k ≈ 100.
// Reference: Golub & Van Loan, "Matrix Computations", §8.5 (the cyclic Jacobi algorithm).
// Not handled: large matrices (O(n³) per sweep); non-symmetric input.

import Foundation

/// Eigen-decomposition A = V Λ Vᵀ of a symmetric n×n matrix (row-major), eigenvalues descending.
///
/// - Returns: `values[i]` and `vectors[row * n + i]` (column i is the i-th eigenvector).
/// - Complexity: O(n³) per sweep, typically 6–10 sweeps.
public func symmetricEigen(_ matrix: [Double], size n: Int, maxSweeps: Int = 60) -> (values: [Double], vectors: [Double]) {
    precondition(matrix.count == n * n, "symmetricEigen: \(matrix.count) values for a \(n)×\(n) matrix")
    var a = matrix
    var v = [Double](repeating: 0, count: n * n)
    for i in 0..<n { v[i * n + i] = 1 }
    for _ in 0..<maxSweeps {
        var off = 0.0, total = 0.0
        for i in 0..<n { for j in 0..<n { let x = a[i * n + j] * a[i * n + j]; total += x; if i != j { off += x } } }
        if off <= 1e-24 * max(total, 1e-300) { break }
        for p in 0..<(n - 1) {
            for q in (p + 1)..<n {
                let apq = a[p * n + q]
                if abs(apq) < 1e-300 { continue }
                // Choose the rotation that zeroes a[p][q]: θ = (a_qq − a_pp) / (2 a_pq), t = tan φ.
                let theta = (a[q * n + q] - a[p * n + p]) / (2 * apq)
                let t = (theta >= 0 ? 1 : -1) / (abs(theta) + (theta * theta + 1).squareRoot())
                let c = 1 / (t * t + 1).squareRoot(), s = t * c
                for k in 0..<n {   // A ← A J (columns p, q)
                    let akp = a[k * n + p], akq = a[k * n + q]
                    a[k * n + p] = c * akp - s * akq
                    a[k * n + q] = s * akp + c * akq
                }
                for k in 0..<n {   // A ← Jᵀ A (rows p, q)
                    let apk = a[p * n + k], aqk = a[q * n + k]
                    a[p * n + k] = c * apk - s * aqk
                    a[q * n + k] = s * apk + c * aqk
                }
                for k in 0..<n {   // V ← V J
                    let vkp = v[k * n + p], vkq = v[k * n + q]
                    v[k * n + p] = c * vkp - s * vkq
                    v[k * n + q] = s * vkp + c * vkq
                }
            }
        }
    }
    let order = (0..<n).sorted { a[$0 * n + $0] > a[$1 * n + $1] }
    let values = order.map { a[$0 * n + $0] }
    var vectors = [Double](repeating: 0, count: n * n)
    for (column, source) in order.enumerated() {
        for row in 0..<n { vectors[row * n + column] = v[row * n + source] }
    }
    return (values, vectors)
}
