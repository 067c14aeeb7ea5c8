// RandomizedSVD: the top-k singular triplets of a large sparse matrix M [m, n] by the randomised
// range finder with power iterations: Y = (M Mᵀ)^q M Ω for a Gaussian Ω [n, k + p], Q = an
// orthonormal basis of Y, B = Qᵀ M (small), and the SVD of B from the eigen-decomposition of B Bᵀ.
// Orthonormalisation is symmetric (Löwdin): Q = Y W Λ^(−1/2) from YᵀY = W Λ Wᵀ, done twice.
// Reference: Halko, Martinsson, Tropp 2011, "Finding structure with randomness", Alg. 4.4 + 5.1.
// Not handled: exact (Lanczos) SVD; matrices whose top singular values are not well separated
// from the rest need more power iterations.

import Foundation

/// The left singular vectors and singular values of a truncated SVD.
public struct TruncatedSVD: Sendable {
    /// U [m, k], row-major; columns are orthonormal left singular vectors.
    public var left: [Float]
    /// σ₁ ≥ … ≥ σ_k.
    public var singularValues: [Double]
    public var rows: Int
    public var rank: Int
}

/// Q with orthonormal columns spanning Y [rows, k] (columns of zero weight are dropped to zero).
func orthonormalColumns(_ y: [Float], rows: Int, k: Int) -> [Float] {
    var q = y
    for _ in 0..<2 {
        var gram = [Float](repeating: 0, count: k * k)
        withPointers(reading: q, writing: &gram) { read, g in
            // QᵀQ                                                  [k, rows]·[rows, k] → [k, k]
            gemm(Rows(read[0], stride: k), transposeA: true, times: Rows(read[0], stride: k),
                 into: MutableRows(g, stride: k), m: k, n: k, k: rows)
        }
        let (values, vectors) = symmetricEigen(gram.map { Double($0) }, size: k)
        let largest = values.first ?? 0
        // T = W Λ^(−1/2): Q ← Q T.
        var transform = [Float](repeating: 0, count: k * k)
        for column in 0..<k where values[column] > largest * 1e-10 && values[column] > 0 {
            let scale = 1 / values[column].squareRoot()
            for row in 0..<k { transform[row * k + column] = Float(vectors[row * k + column] * scale) }
        }
        var next = [Float](repeating: 0, count: rows * k)
        withPointers(reading: q, transform, writing: &next) { read, n in
            // Q T                                                  [rows, k]·[k, k] → [rows, k]
            gemm(Rows(read[0], stride: k), times: Rows(read[1], stride: k), into: MutableRows(n, stride: k), m: rows, n: k, k: k)
        }
        q = next
    }
    return q
}

/// The top `rank` singular triplets of `matrix` (its transpose is passed to avoid rebuilding it).
///
/// - Parameters:
///   - oversampling: p extra random directions (10 is the usual choice).
///   - powerIterations: q; each sharpens the spectrum by σ^(2q+1).
/// - Complexity: O((2q + 2)·nnz·(k + p) + m·(k + p)²).
public func randomizedSVD(
    _ matrix: SparseMatrix, transposed: SparseMatrix, rank: Int, oversampling: Int = 10,
    powerIterations: Int = 4, seed: UInt64 = 1
) -> TruncatedSVD {
    let l = min(rank + oversampling, min(matrix.rows, matrix.columns))
    var generator = SeededGenerator(seed: seed)
    let omega = generator.normal(shape: [matrix.columns, l]).scalars
    var y = orthonormalColumns(matrix.multiply(omega, k: l), rows: matrix.rows, k: l)   // [m, l]
    for _ in 0..<powerIterations {
        let z = orthonormalColumns(transposed.multiply(y, k: l), rows: matrix.columns, k: l)  // Mᵀ Q, [n, l]
        y = orthonormalColumns(matrix.multiply(z, k: l), rows: matrix.rows, k: l)             // M Z, [m, l]
    }
    // Bᵀ = Mᵀ Q [n, l]; B Bᵀ = (Bᵀ)ᵀ Bᵀ [l, l] = U_B Σ² U_Bᵀ.
    let bTransposed = transposed.multiply(y, k: l)
    var small = [Float](repeating: 0, count: l * l)
    withPointers(reading: bTransposed, writing: &small) { read, s in
        // (Bᵀ)ᵀ Bᵀ                                               [l, n]·[n, l] → [l, l]
        gemm(Rows(read[0], stride: l), transposeA: true, times: Rows(read[0], stride: l),
             into: MutableRows(s, stride: l), m: l, n: l, k: matrix.columns)
    }
    let (values, vectors) = symmetricEigen(small.map { Double($0) }, size: l)
    let k = min(rank, l)
    // U = Q U_B[:, :k].
    var ub = [Float](repeating: 0, count: l * k)
    for row in 0..<l { for column in 0..<k { ub[row * k + column] = Float(vectors[row * l + column]) } }
    var left = [Float](repeating: 0, count: matrix.rows * k)
    withPointers(reading: y, ub, writing: &left) { read, out in
        // U = Q U_B                                             [m, l]·[l, k] → [m, k]
        gemm(Rows(read[0], stride: l), times: Rows(read[1], stride: k), into: MutableRows(out, stride: k),
             m: matrix.rows, n: k, k: l)
    }
    return TruncatedSVD(left: left, singularValues: values.prefix(k).map { max(0, $0).squareRoot() }, rows: matrix.rows, rank: k)
}
