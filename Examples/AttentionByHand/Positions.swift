// Positions by hand: the sinusoidal table PE[p, 2i] = sin(p·ωᵢ), PE[p, 2i+1] = cos(p·ωᵢ) with
// ωᵢ = 10000^(−2i/C); the fact that moving k positions is a fixed linear map (a rotation of each
// (sin, cos) pair by k·ωᵢ, the same for every p); and that PE(p)·PE(p+k) = Σᵢ cos(k·ωᵢ) depends on
// the offset k only. Learned positions at initialisation have no such structure.
// Docs/Positions.md derives these.
// Not handled: rotary (RoPE) or relative-bias positions.

import Foundation
import TinyEncoder

enum PositionsByHand {
    static func run() {
        print("=== Sinusoidal positions: PE[p, 2i] = sin(p ωᵢ), PE[p, 2i+1] = cos(p ωᵢ), ωᵢ = 10000^(−2i/C) ===\n")
        let small = SinusoidalPositions(maxPositions: 8, dimension: 8).table  // [8, 8]
        let omegas8: [Double] = (0..<4).map { pow(10000.0, -Double(2 * $0) / 8) }
        print("C = 8: ω = " + omegas8.map { String(format: "%.4g", $0) }.joined(separator: ", ") + "\n")
        show("PE [p, C] for p = 0…5 (library table)", Array(matrix(small).prefix(6)), rows: (0..<6).map { "p=\($0)" },
             columns: ["sin ω0", "cos ω0", "sin ω1", "cos ω1", "sin ω2", "cos ω2", "sin ω3", "cos ω3"], decimals: 3)
        func entry(_ p: Int, _ c: Int) -> Double {
            let angle = Double(p) * omegas8[c / 2]
            return c % 2 == 0 ? sin(angle) : cos(angle)
        }
        let formula: Matrix = (0..<8).map { p in (0..<8).map { entry(p, $0) } }
        check("library table = formula", maxDifference(matrix(small), formula), tolerance: 1e-6)
        print("")

        // A shift by k is the block-diagonal rotation M_k, the same for every p.
        let c = 64, count = 512
        let table = matrix(SinusoidalPositions(maxPositions: count, dimension: c).table)
        let omegas: [Double] = (0..<(c / 2)).map { pow(10000.0, -Double(2 * $0) / Double(c)) }
        print("C = \(c): is PE(p + k) = M_k PE(p), with M_k rotating each pair (sin, cos) by k ωᵢ?")
        print("   [sin((p+k)ω)]   [ cos kω  sin kω] [sin pω]")
        print("   [cos((p+k)ω)] = [−sin kω  cos kω] [cos pω]")
        for k in [1, 5, 50] {
            var worst = 0.0
            for p in 0..<(count - k) {
                for i in 0..<(c / 2) {
                    let (s, co) = (table[p][2 * i], table[p][2 * i + 1])
                    let angle = Double(k) * omegas[i]
                    let rotated = (cos(angle) * s + sin(angle) * co, -sin(angle) * s + cos(angle) * co)
                    worst = max(worst, abs(rotated.0 - table[p + k][2 * i]), abs(rotated.1 - table[p + k][2 * i + 1]))
                }
            }
            check("k = \(k), every p < \(count - k)", worst, tolerance: 1e-5)
        }
        print("")

        print("PE(p)·PE(p+k) = Σᵢ [sin(pωᵢ)sin((p+k)ωᵢ) + cos(pωᵢ)cos((p+k)ωᵢ)] = Σᵢ cos(k ωᵢ): a function of k alone.")
        let offsets = [0, 1, 2, 4, 8, 16, 32, 64]
        let rows = [0, 10, 100, 400]
        let dots = rows.map { p in offsets.map { k in zip(table[p], table[p + k]).map(*).reduce(0, +) } }
        show("sinusoidal, C = 64: rows p, columns k", dots, rows: rows.map { "p=\($0)" }, columns: offsets.map { "k=\($0)" }, decimals: 2)
        let formulaRow = offsets.map { k in omegas.map { cos(Double(k) * $0) }.reduce(0, +) }
        show("Σᵢ cos(k ωᵢ)", [formulaRow], rows: ["formula"], columns: offsets.map { "k=\($0)" }, decimals: 2)

        var generator = SeededGenerator(seed: 1)
        let learned = LearnedPositions(maxPositions: count, dimension: c, standardDeviation: 0.02, generator: &generator)
        let learnedTable = matrix(learned.embedding.weight.value)
        let learnedDots = rows.map { p in offsets.map { k in 1e4 * zip(learnedTable[p], learnedTable[p + k]).map(*).reduce(0, +) } }
        show("learned positions at initialisation (N(0, 0.02²), ×10⁴): no pattern in k, different for every p",
             learnedDots, rows: rows.map { "p=\($0)" }, columns: offsets.map { "k=\($0)" }, decimals: 2)
    }
}
