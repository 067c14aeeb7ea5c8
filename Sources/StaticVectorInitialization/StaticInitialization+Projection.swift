// StaticProjection: the map from the static vectors' dimension D to the model width C, applied to
// centred rows:  y = (x − μ)·M,  M: [D, C],  μ the mean of the static rows of the vocabulary.
//   D = C   identity;
//   D > C   PCA (default): M = the top-C eigenvectors of the covariance Σ = XᵀX / n of the centred
//           rows (each column's largest entry made positive), diagonalised by our Jacobi solver
//           (TensorCore's symmetricEigen); beyond 1024 dimensions by our randomised SVD with power
//           iterations (Halko et al. 2011) instead, since Jacobi is O(D³) per sweep;
//   D < C   zero-padding (default): M = [I_D | 0], which keeps every dot product;
//   either  a fixed random projection: a seeded Gaussian matrix made orthonormal (rows when D ≤ C,
//           columns when D > C), which spreads the vectors over all C coordinates.
// Reference: Jolliffe, "Principal Component Analysis" (2002); Johnson–Lindenstrauss for random maps.
// Not handled: whitening; non-linear maps.

import Encoder
import Foundation
import TensorCore
import TextInput
import WordVectors

/// How static vectors of dimension D become rows of width C.
public enum DimensionMapping: String, CaseIterable, Codable, Sendable {
    /// Identity when D = C, PCA when D > C, zero-padding when D < C.
    case automatic = "auto"
    /// Principal components (D ≥ C only).
    case pca
    /// Zero-padding (D ≤ C only).
    case zeroPad = "pad"
    /// A fixed, seeded random orthonormal projection (any D).
    case randomProjection = "random"
    /// No mapping: D must equal C.
    case none

    /// The accepted names, for messages.
    public static var names: String { allCases.map(\.rawValue).joined(separator: "|") }
}

/// A fitted map y = (x − μ)·M.
public struct StaticProjection: Sendable {
    /// The mapping actually used (never `.automatic`).
    public var mapping: DimensionMapping
    /// μ, [D] (zeros when not centred).
    public var mean: [Float]
    /// M, [D, C].
    public var matrix: Tensor
    /// PCA: the share of the centred rows' variance the C components keep.
    public var explainedVariance: Double?

    public var inputDimension: Int { matrix.shape[0] }
    public var outputDimension: Int { matrix.shape[1] }

    /// Fits the map on `rows` [n, D] (the static rows of the vocabulary).
    ///
    /// - Parameters:
    ///   - width: C.
    ///   - center: subtract the rows' mean first.
    ///   - seed: the random projection's seed.
    ///   - jacobiLimit: above this D, PCA uses the randomised SVD.
    /// - Throws: `StaticInitializationError.dimensionMismatch` when `mapping` cannot go from D to C.
    /// - Complexity: PCA O(n·D² + D³); the others O(D·C).
    public static func fit(rows: Tensor, width: Int, mapping: DimensionMapping, center: Bool = true, seed: UInt64 = 0,
                           source: String = "vectors", jacobiLimit: Int = 1024) throws -> StaticProjection {
        let n = rows.shape[0], D = rows.shape[1], C = width
        var chosen = mapping
        if chosen == .automatic { chosen = D == C ? .none : (D > C ? .pca : .zeroPad) }
        func mismatch(_ fix: String) -> StaticInitializationError {
            .dimensionMismatch(vectors: source, dimension: D, width: C, mapping: mapping.rawValue, fix: fix)
        }
        switch chosen {
        case .none where D != C:
            throw mismatch("Choose a mapping: pca or random to reduce, pad or random to widen (--init-projection)")
        case .pca where D < C:
            throw mismatch("PCA can only reduce the dimension; use pad or random to widen")
        case .zeroPad where D > C:
            throw mismatch("Zero-padding can only widen; use pca or random to reduce")
        default: break
        }
        var mean = [Float](repeating: 0, count: D)
        if center && n > 0 {
            rows.withUnsafeBufferPointer { values in
                var sums = [Double](repeating: 0, count: D)
                for row in 0..<n { for column in 0..<D { sums[column] += Double(values[row * D + column]) } }
                mean = sums.map { Float($0 / Double(n)) }
            }
        }
        var matrix = Tensor(zeros: [D, C])
        var explained: Double? = nil
        switch chosen {
        case .none, .zeroPad:
            matrix.withUnsafeMutableBufferPointer { m in for i in 0..<D { m[i * C + i] = 1 } }
        case .randomProjection:
            matrix = randomOrthonormal(rows: D, columns: C, seed: seed)
        case .pca:
            let centred = subtracting(mean, from: rows)
            (matrix, explained) = D <= jacobiLimit ? principalAxesByEigen(centred, components: C)
                                                    : principalAxesBySVD(centred, components: C, seed: seed)
        case .automatic: break
        }
        return StaticProjection(mapping: chosen, mean: mean, matrix: matrix, explainedVariance: explained)
    }

    /// (rows − μ)·M, [n, C].
    public func apply(_ rows: Tensor) -> Tensor {
        matmul(StaticProjection.subtracting(mean, from: rows), matrix)
    }

    // MARK: - PCA

    static func subtracting(_ mean: [Float], from rows: Tensor) -> Tensor {
        var result = rows
        let D = rows.shape[1]
        result.withUnsafeMutableBufferPointer { values in
            for index in values.indices { values[index] -= mean[index % D] }
        }
        return result
    }

    /// The top-k eigenvectors of XᵀX/n (Jacobi), as columns of [D, k]; and the variance share.
    static func principalAxesByEigen(_ centred: Tensor, components k: Int) -> (Tensor, Double) {
        let n = centred.shape[0], D = centred.shape[1]
        let gram = matmul(centred, centred, transposeA: true)                       // [D, D]
        let covariance = gram.scalars.map { Double($0) / Double(max(n, 1)) }
        let (values, vectors) = symmetricEigen(covariance, size: D)
        var axes = [Float](repeating: 0, count: D * k)
        for column in 0..<min(k, D) {
            var column_ = (0..<D).map { vectors[$0 * D + column] }
            if let largest = column_.max(by: { abs($0) < abs($1) }), largest < 0 { column_ = column_.map { -$0 } }
            for row in 0..<D { axes[row * k + column] = Float(column_[row]) }
        }
        let total = values.reduce(0) { $0 + max($1, 0) }
        let kept = values.prefix(k).reduce(0) { $0 + max($1, 0) }
        return (Tensor(shape: [D, k], scalars: axes), total > 0 ? kept / total : 1)
    }

    /// The same axes from the randomised SVD of Xᵀ [D, n] (its left singular vectors).
    static func principalAxesBySVD(_ centred: Tensor, components k: Int, seed: UInt64) -> (Tensor, Double) {
        let D = centred.shape[1]
        func dense(_ matrix: Tensor) -> SparseMatrix {
            let rows = matrix.shape[0], columns = matrix.shape[1]
            return SparseMatrix(rows: rows, columns: columns, rowStarts: (0...rows).map { $0 * columns },
                                columnIndices: (0..<(rows * columns)).map { Int32($0 % columns) }, values: matrix.scalars)
        }
        let transposed = centred.transposed()                                       // Xᵀ, [D, n]
        let svd = randomizedSVD(dense(transposed), transposed: dense(centred), rank: k, seed: seed)
        var axes = [Float](repeating: 0, count: D * k)
        for column in 0..<svd.rank {
            var values = (0..<D).map { svd.left[$0 * svd.rank + column] }
            if let largest = values.max(by: { abs($0) < abs($1) }), largest < 0 { values = values.map { -$0 } }
            for row in 0..<D { axes[row * k + column] = values[row] }
        }
        let total = centred.scalars.reduce(0.0) { $0 + Double($1) * Double($1) }
        let kept = svd.singularValues.reduce(0) { $0 + $1 * $1 }
        return (Tensor(shape: [D, k], scalars: axes), total > 0 ? min(1, kept / total) : 1)
    }

    // MARK: - Random projection

    /// A seeded Gaussian [rows, columns] matrix made orthonormal by modified Gram–Schmidt: its rows
    /// when rows ≤ columns (M Mᵀ = I), else its columns (Mᵀ M = I).
    static func randomOrthonormal(rows: Int, columns: Int, seed: UInt64) -> Tensor {
        var generator = SeededGenerator(seed: seed)
        let gaussian = generator.normal(shape: [rows, columns]).scalars.map { Double($0) }
        let byRows = rows <= columns
        let count = byRows ? rows : columns, length = byRows ? columns : rows
        func element(_ vector: Int, _ position: Int) -> Int { byRows ? vector * columns + position : position * columns + vector }
        var values = gaussian
        for vector in 0..<count {
            for previous in 0..<vector {
                var dot = 0.0
                for position in 0..<length { dot += values[element(vector, position)] * values[element(previous, position)] }
                for position in 0..<length { values[element(vector, position)] -= dot * values[element(previous, position)] }
            }
            var norm = 0.0
            for position in 0..<length { norm += values[element(vector, position)] * values[element(vector, position)] }
            let scale = norm > 0 ? 1 / norm.squareRoot() : 0
            for position in 0..<length { values[element(vector, position)] *= scale }
        }
        return Tensor(shape: [rows, columns], scalars: values.map { Float($0) })
    }
}
