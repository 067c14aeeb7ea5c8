// Printing helpers for the by-hand examples: matrices as aligned tables with row and column
// labels, and a comparison line ("max |ours − library| = …").
// Not handled: wide matrices (more than ~10 columns print on long lines).

import Foundation
import TinyEncoder

/// A matrix as nested arrays of Double (row-major), the way one writes it by hand.
typealias Matrix = [[Double]]

/// Prints `matrix` with a heading, row labels and column labels, `decimals` places.
func show(_ title: String, _ matrix: Matrix, rows: [String]? = nil, columns: [String]? = nil, decimals: Int = 4) {
    print(title)
    let rowLabels = rows ?? matrix.indices.map { "[\($0)]" }
    let labelWidth = (rowLabels.map(\.count).max() ?? 0) + 1
    let cells = matrix.map { $0.map { String(format: "%.\(decimals)f", $0 == 0 ? 0 : $0) } }
    let columnCount = matrix.first?.count ?? 0
    let columnLabels = columns ?? (0..<columnCount).map { "[\($0)]" }
    let width = max((cells.flatMap { $0 }.map(\.count).max() ?? 0), (columnLabels.map(\.count).max() ?? 0)) + 2
    print(String(repeating: " ", count: labelWidth) + columnLabels.map { pad($0, width) }.joined())
    for (index, row) in cells.enumerated() {
        print(pad(rowLabels[index], labelWidth, left: true) + row.map { pad($0, width) }.joined())
    }
    print("")
}

/// Right-aligns (or, with `left`, left-aligns) `text` in `width` characters.
func pad(_ text: String, _ width: Int, left: Bool = false) -> String {
    let gap = String(repeating: " ", count: max(width - text.count, 0))
    return left ? text + gap : gap + text
}

/// max |a − b| over two equal-shaped matrices.
func maxDifference(_ a: Matrix, _ b: Matrix) -> Double {
    zip(a, b).map { zip($0, $1).map { abs($0 - $1) }.max() ?? 0 }.max() ?? 0
}

/// Prints a check line and returns whether it passed.
@discardableResult
func check(_ what: String, _ difference: Double, tolerance: Double) -> Bool {
    let passed = difference <= tolerance
    print("  check: \(what): max |difference| = \(String(format: "%.2e", difference)) \(passed ? "≤" : ">") \(String(format: "%.0e", tolerance))  \(passed ? "OK" : "FAILED")")
    return passed
}

// MARK: - Small linear algebra, written out

func transposed(_ a: Matrix) -> Matrix {
    guard let columns = a.first?.count else { return [] }
    return (0..<columns).map { j in a.map { $0[j] } }
}

/// (A B)ᵢⱼ = Σₖ Aᵢₖ Bₖⱼ.
func product(_ a: Matrix, _ b: Matrix) -> Matrix {
    a.map { row in (0..<(b.first?.count ?? 0)).map { j in zip(row, b).map { $0 * $1[j] }.reduce(0, +) } }
}

func scaled(_ a: Matrix, _ factor: Double) -> Matrix { a.map { $0.map { $0 * factor } } }

/// Softmax of each row, stable: exp(s − max) / Σ exp(s − max). Entries at −∞ get 0.
func softmaxRows(_ s: Matrix) -> Matrix {
    s.map { row in
        let m = row.max() ?? 0
        let e = row.map { $0 == -.infinity ? 0 : exp($0 - m) }
        let total = e.reduce(0, +)
        return e.map { $0 / total }
    }
}

/// A row's entropy in bits.
func entropyBits(_ row: [Double]) -> Double { row.filter { $0 > 0 }.map { -$0 * log2($0) }.reduce(0, +) }

/// A [rows, columns] tensor from a matrix (for the library), and back.
func tensor(_ a: Matrix, batch: Bool = false) -> Tensor {
    let shape = [a.count, a.first?.count ?? 0]
    return Tensor(shape: batch ? [1] + shape : shape, scalars: a.flatMap { $0.map(Float.init) })
}
func matrix(_ t: Tensor) -> Matrix {
    let columns = t.shape.last ?? 0
    let values = t.scalars
    return stride(from: 0, to: values.count, by: max(columns, 1)).map { start in values[start..<(start + columns)].map(Double.init) }
}
