// Row kernels over the last axis: softmax, log-softmax and LayerNorm, forward and backward, on
// CKernels' vector code, split over threads by rows. Each is "equivalent to" the plain-Swift
// `…Reference` beside it (Double accumulation, the formulas as written in the papers: Ba et al.
// 2016 for LayerNorm; the max-subtracted softmax). Tests check fast and reference agree.
// Not handled: other axes (transpose first), masks (attention masks its scores itself).

import CKernels
import Foundation

/// Rows per thread so that each thread gets at least ~16k elements.
private func rowChunk(_ columns: Int) -> Int { max(1, 16_384 / max(columns, 1)) }

/// (rows, columns) of a tensor seen as rows of its last axis.
private func rowsAndColumns(_ x: Tensor, _ name: String) -> (rows: Int, columns: Int) {
    precondition(x.rank >= 1, "\(name): expected at least one axis, got a scalar")
    let columns = x.shape[x.rank - 1]
    return (columns == 0 ? 0 : x.count / columns, columns)
}

/// Runs a row kernel `kernel(x, y, rows, columns)` over row chunks of `input`.
private func mapRows(_ input: Tensor, _ name: String,
                     _ kernel: (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int, Int) -> Void) -> Tensor {
    let (rows, columns) = rowsAndColumns(input, name)
    var output = Tensor(uninitializedShape: input.shape)
    guard rows > 0 else { return output }
    withPointers(reading: input, writing: &output) { read, y in
        let x = read[0]
        parallelFor(rows, minimumChunk: rowChunk(columns)) { _, range in
            let offset = range.lowerBound * columns
            kernel(x + offset, y + offset, range.count, columns)
        }
    }
    return output
}

/// Runs a row backward kernel `kernel(y, dy, dx, rows, columns)` over row chunks.
private func backwardRows(_ output: Tensor, _ dOut: Tensor, _ name: String,
                          _ kernel: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int, Int) -> Void) -> Tensor {
    precondition(output.shape == dOut.shape, "\(name): output \(output.shape) and dOut \(dOut.shape) differ")
    let (rows, columns) = rowsAndColumns(output, name)
    var dX = Tensor(uninitializedShape: output.shape)
    guard rows > 0 else { return dX }
    withPointers(reading: output, dOut, writing: &dX) { read, dx in
        let (y, dy) = (read[0], read[1])
        parallelFor(rows, minimumChunk: rowChunk(columns)) { _, range in
            let offset = range.lowerBound * columns
            kernel(y + offset, dy + offset, dx + offset, range.count, columns)
        }
    }
    return dX
}

/// Applies `formula(row) -> row` to each row of the last axis, in Double (the references' loop).
private func referenceRows(_ x: Tensor, _ formula: ([Double]) -> [Double]) -> Tensor {
    let (rows, columns) = rowsAndColumns(x, "reference")
    let values = x.scalars.map(Double.init)
    var result: [Float] = []
    result.reserveCapacity(x.count)
    for row in 0..<rows {
        result += formula(Array(values[(row * columns)..<((row + 1) * columns)])).map(Float.init)
    }
    return Tensor(shape: x.shape, scalars: result)
}

// MARK: - Softmax

/// softmax over the last axis: yᵢ = e^{xᵢ − m} / Σⱼ e^{xⱼ − m}, m = maxⱼ xⱼ.
/// Equivalent to `softmaxRowsReference` within 1e-6 absolute.
///
/// Shapes: x [..., C] → [..., C], each row summing to 1. A row of all −∞ gives NaN.
/// - Complexity: O(n): three passes over each row (max, exp and sum, scale).
///
/// ```swift
/// let p = softmaxRows(Tensor(shape: [1, 2], scalars: [0, 0]))   // [[0.5, 0.5]]
/// ```
public func softmaxRows(_ x: Tensor) -> Tensor {
    mapRows(x, "softmaxRows") { te_softmax_rows($0, $1, $2, $3) }
}

/// softmax over the last axis in Double.
public func softmaxRowsReference(_ x: Tensor) -> Tensor {
    referenceRows(x) { row in
        let maximum = row.max() ?? 0
        let exps = row.map { Foundation.exp($0 - maximum) }
        let total = exps.reduce(0, +)
        return exps.map { $0 / total }
    }
}

/// The softmax backward from its output y: dx = y ⊙ (dy − Σⱼ dyⱼ yⱼ) per row.
/// Equivalent to `softmaxRowsBackwardReference`. Shapes: dOut and output [..., C].
public func softmaxRowsBackward(_ dOut: Tensor, output: Tensor) -> Tensor {
    backwardRows(output, dOut, "softmaxRowsBackward") { te_softmax_rows_backward($0, $1, $2, $3, $4, 0) }
}

/// y ⊙ (dy − ⟨dy, y⟩) per row, in Double.
public func softmaxRowsBackwardReference(_ dOut: Tensor, output: Tensor) -> Tensor {
    pairedReferenceRows(output, dOut) { y, dy in
        let inner = zip(y, dy).reduce(0) { $0 + $1.0 * $1.1 }
        return zip(y, dy).map { $0 * ($1 - inner) }
    }
}

// MARK: - Log-softmax

/// log-softmax over the last axis: yᵢ = xᵢ − m − log Σⱼ e^{xⱼ − m}.
/// Equivalent to `logSoftmaxRowsReference` within 1e-6 of max(|y|, 1).
///
/// Shapes: x [..., C] → [..., C].
/// - Complexity: O(n): max, sum of exps, shift.
public func logSoftmaxRows(_ x: Tensor) -> Tensor {
    mapRows(x, "logSoftmaxRows") { te_log_softmax_rows($0, $1, $2, $3) }
}

/// log-softmax over the last axis in Double.
public func logSoftmaxRowsReference(_ x: Tensor) -> Tensor {
    referenceRows(x) { row in
        let maximum = row.max() ?? 0
        let shift = maximum + Foundation.log(row.reduce(0) { $0 + Foundation.exp($1 - maximum) })
        return row.map { $0 - shift }
    }
}

/// The log-softmax backward from its output y: dx = dy − e^{y} Σⱼ dyⱼ per row.
/// Equivalent to `logSoftmaxRowsBackwardReference`. Shapes: dOut and output [..., C].
public func logSoftmaxRowsBackward(_ dOut: Tensor, output: Tensor) -> Tensor {
    backwardRows(output, dOut, "logSoftmaxRowsBackward") { te_log_softmax_rows_backward($0, $1, $2, $3, $4, 0) }
}

/// dy − softmax(x) Σ dy per row, in Double.
public func logSoftmaxRowsBackwardReference(_ dOut: Tensor, output: Tensor) -> Tensor {
    pairedReferenceRows(output, dOut) { y, dy in
        let total = dy.reduce(0, +)
        return zip(y, dy).map { $1 - Foundation.exp($0) * total }
    }
}

/// Applies `formula(first row, second row) -> row` to matching rows of two same-shaped tensors.
private func pairedReferenceRows(_ first: Tensor, _ second: Tensor, _ formula: ([Double], [Double]) -> [Double]) -> Tensor {
    precondition(first.shape == second.shape, "shapes differ: \(first.shape) and \(second.shape)")
    let (rows, columns) = rowsAndColumns(first, "reference")
    let a = first.scalars.map(Double.init), b = second.scalars.map(Double.init)
    var result: [Float] = []
    result.reserveCapacity(first.count)
    for row in 0..<rows {
        let range = (row * columns)..<((row + 1) * columns)
        result += formula(Array(a[range]), Array(b[range])).map(Float.init)
    }
    return Tensor(shape: first.shape, scalars: result)
}

// MARK: - LayerNorm

/// What `layerNormRows` returns: the output and the per-row statistics its backward needs.
public struct LayerNormRowsResult: Sendable {
    /// y = x̂ ⊙ γ + β, shape of the input [..., C].
    public var output: Tensor
    /// μ per row, shape [...] (the input's shape without its last axis).
    public var mean: Tensor
    /// rstd = 1/√(σ² + ε) per row (σ² the biased variance), shape [...].
    public var inverseStandardDeviation: Tensor
}

/// LayerNorm over the last axis: μ = (1/C) Σ xᵢ, σ² = (1/C) Σ (xᵢ − μ)², rstd = 1/√(σ² + ε),
/// y = (x − μ)·rstd ⊙ γ + β. Equivalent to `layerNormRowsReference` within 2e-6 of max(|y|, 1).
///
/// Shapes: x [..., C]; γ, β [C] or nil (1 and 0); output [..., C]; mean and rstd [...].
/// - Parameters:
///   - x: the rows to normalise.
///   - gamma: the scale γ, or nil for none.
///   - beta: the shift β, or nil for none.
///   - epsilon: ε added to the variance (PyTorch's default 1e-5; BERT uses 1e-12).
/// - Complexity: O(n): three passes over each row (mean, variance, normalise).
/// - Reference: Ba, Kiros & Hinton, "Layer Normalization", 2016.
///
/// ```swift
/// let normalised = layerNormRows(Tensor(shape: [1, 2], scalars: [1, 3]), gamma: nil, beta: nil).output
/// // [[-0.999995, 0.999995]]: μ = 2, σ² = 1, rstd = 1/√(1 + 1e-5)
/// ```
public func layerNormRows(_ x: Tensor, gamma: Tensor?, beta: Tensor?, epsilon: Float = 1e-5) -> LayerNormRowsResult {
    let (rows, columns) = rowsAndColumns(x, "layerNormRows")
    checkParameters(gamma, beta, columns: columns, input: x.shape)
    let statisticsShape = Array(x.shape.dropLast())
    var result = LayerNormRowsResult(
        output: Tensor(uninitializedShape: x.shape), mean: Tensor(uninitializedShape: statisticsShape),
        inverseStandardDeviation: Tensor(uninitializedShape: statisticsShape))
    guard rows > 0 else { return result }
    let gammaValues = gamma?.scalars, betaValues = beta?.scalars
    withPointers(reading: x, writing: &result.output, &result.mean, &result.inverseStandardDeviation) { read, y, mean, rstd in
        let x = read[0]
        parallelFor(rows, minimumChunk: rowChunk(columns)) { _, range in
            let offset = range.lowerBound * columns, first = range.lowerBound
            te_layernorm_rows(x + offset, gammaValues, betaValues, y + offset,
                              mean + first, rstd + first, range.count, columns, epsilon)
        }
    }
    return result
}

/// LayerNorm over the last axis, written out in Double: two-pass mean and biased variance.
public func layerNormRowsReference(_ x: Tensor, gamma: Tensor?, beta: Tensor?, epsilon: Float = 1e-5) -> LayerNormRowsResult {
    let (rows, columns) = rowsAndColumns(x, "layerNormRowsReference")
    checkParameters(gamma, beta, columns: columns, input: x.shape)
    let g = gamma?.scalars.map(Double.init) ?? Array(repeating: 1, count: columns)
    let b = beta?.scalars.map(Double.init) ?? Array(repeating: 0, count: columns)
    let values = x.scalars.map(Double.init)
    var output: [Float] = [], means: [Float] = [], rstds: [Float] = []
    for row in 0..<rows {
        let line = values[(row * columns)..<((row + 1) * columns)]
        let mu = line.reduce(0, +) / Double(columns)
        let variance = line.reduce(0) { $0 + ($1 - mu) * ($1 - mu) } / Double(columns)
        let rstd = 1 / (variance + Double(epsilon)).squareRoot()
        for (column, value) in line.enumerated() { output.append(Float((value - mu) * rstd * g[column] + b[column])) }
        means.append(Float(mu))
        rstds.append(Float(rstd))
    }
    let statisticsShape = Array(x.shape.dropLast())
    return LayerNormRowsResult(output: Tensor(shape: x.shape, scalars: output),
                               mean: Tensor(shape: statisticsShape, scalars: means),
                               inverseStandardDeviation: Tensor(shape: statisticsShape, scalars: rstds))
}

/// The LayerNorm backward. Forward was x̂ = (x − μ)·rstd, y = x̂ ⊙ γ + β; so
/// dβ = Σ_rows dy, dγ = Σ_rows dy ⊙ x̂, dx̂ = dy ⊙ γ, dx = rstd·(dx̂ − mean(dx̂) − x̂·mean(dx̂ ⊙ x̂)).
/// Equivalent to `layerNormRowsBackwardReference` within 1e-5 of max(|value|, 1).
///
/// dγ and dβ are summed over fixed blocks of rows (a size set by C alone) and the block sums are
/// added in order, so the result is the same for every thread count.
/// Shapes: dOut and x [..., C]; γ [C] or nil; mean, rstd [...]; returns dx [..., C], dγ, dβ [C].
/// - Complexity: O(n): two passes over each row.
public func layerNormRowsBackward(
    _ dOut: Tensor, input x: Tensor, gamma: Tensor?, mean: Tensor, inverseStandardDeviation: Tensor
) -> (dInput: Tensor, dGamma: Tensor, dBeta: Tensor) {
    let (rows, columns) = rowsAndColumns(x, "layerNormRowsBackward")
    precondition(dOut.shape == x.shape, "layerNormRowsBackward: dOut \(dOut.shape) and input \(x.shape) differ")
    precondition(mean.count == rows && inverseStandardDeviation.count == rows,
                 "layerNormRowsBackward: mean \(mean.shape) and rstd \(inverseStandardDeviation.shape) need \(rows) rows")
    checkParameters(gamma, nil, columns: columns, input: x.shape)
    var dX = Tensor(uninitializedShape: x.shape)
    let blockRows = rowChunk(columns)
    let blocks = (rows + blockRows - 1) / blockRows
    var partialGamma = Tensor(zeros: [max(blocks, 1), columns]), partialBeta = Tensor(zeros: [max(blocks, 1), columns])
    let gammaValues = gamma?.scalars
    if rows > 0 {
        withPointers(reading: x, dOut, mean, inverseStandardDeviation,
                     writing: &dX, &partialGamma, &partialBeta) { read, dx, gammaSums, betaSums in
            let (x, dy, means, rstds) = (read[0], read[1], read[2], read[3])
            parallelFor(blocks) { _, blockRange in
                for block in blockRange {
                    let first = block * blockRows, count = min(blockRows, rows - first)
                    let offset = first * columns
                    te_layernorm_rows_backward(
                        x + offset, gammaValues, means + first, rstds + first, dy + offset,
                        dx + offset, gammaSums + block * columns, betaSums + block * columns,
                        count, columns, 0)
                }
            }
        }
    }
    return (dX, sumBlocks(partialGamma, columns), sumBlocks(partialBeta, columns))
}

/// The LayerNorm backward written out per row in Double (see `layerNormRowsBackward`).
public func layerNormRowsBackwardReference(
    _ dOut: Tensor, input x: Tensor, gamma: Tensor?, mean: Tensor, inverseStandardDeviation: Tensor
) -> (dInput: Tensor, dGamma: Tensor, dBeta: Tensor) {
    let (rows, columns) = rowsAndColumns(x, "layerNormRowsBackwardReference")
    let g = gamma?.scalars.map(Double.init) ?? Array(repeating: 1, count: columns)
    let xs = x.scalars.map(Double.init), dys = dOut.scalars.map(Double.init)
    let means = mean.scalars, rstds = inverseStandardDeviation.scalars
    var dX: [Float] = [], dGamma = [Double](repeating: 0, count: columns), dBeta = dGamma
    for row in 0..<rows {
        let range = (row * columns)..<((row + 1) * columns)
        let xHat = xs[range].map { ($0 - Double(means[row])) * Double(rstds[row]) }
        let dy = Array(dys[range])
        let dxHat = (0..<columns).map { dy[$0] * g[$0] }
        let meanDxHat = dxHat.reduce(0, +) / Double(columns)
        let meanDxHatXHat = zip(dxHat, xHat).reduce(0) { $0 + $1.0 * $1.1 } / Double(columns)
        for column in 0..<columns {
            dX.append(Float(Double(rstds[row]) * (dxHat[column] - meanDxHat - xHat[column] * meanDxHatXHat)))
            dGamma[column] += dy[column] * xHat[column]
            dBeta[column] += dy[column]
        }
    }
    return (Tensor(shape: x.shape, scalars: dX), Tensor(shape: [columns], scalars: dGamma.map(Float.init)),
            Tensor(shape: [columns], scalars: dBeta.map(Float.init)))
}

/// Σ over the blocks (rows) of a [blocks, C] tensor, in block order → [C].
private func sumBlocks(_ partial: Tensor, _ columns: Int) -> Tensor {
    var total = [Float](repeating: 0, count: columns)
    partial.withUnsafeBufferPointer { values in
        for block in 0..<partial.shape[0] {
            for column in 0..<columns { total[column] += values[block * columns + column] }
        }
    }
    return Tensor(shape: [columns], scalars: total)
}

private func checkParameters(_ gamma: Tensor?, _ beta: Tensor?, columns: Int, input: [Int]) {
    for (name, parameter) in [("γ", gamma), ("β", beta)] {
        if let parameter {
            precondition(parameter.shape == [columns], "layerNorm: \(name) \(parameter.shape) must be [\(columns)] for input \(input)")
        }
    }
}
