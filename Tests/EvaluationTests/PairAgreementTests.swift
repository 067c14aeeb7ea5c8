// Pair agreement (Spearman's ρ and Pearson's r of two models' pair cosines), worked by hand.
import Evaluation
import Foundation
import Testing

@Suite struct PairAgreementTests {
    /// Model a's pair cosines are [1, 0, −1], model b's [0.5, 0.2, 0.9].
    /// Ranks: a [3, 2, 1], b [2, 1, 3]; centred [1, 0, −1] and [0, −1, 1]: ρ = −1/√(2·2) = −0.5.
    /// Pearson on the cosines: ȳ = 0.5333…, Σ(x−x̄)(y−ȳ) = −0.4, Σ(x−x̄)² = 2, Σ(y−ȳ)² = 0.246667,
    /// r = −0.4/√(2 · 0.246667) = −0.569495.
    @Test func handWorkedThreePairs() {
        let a: [[Float]] = [[1, 0], [1, 0], [1, 0], [0, 1], [1, 0], [-1, 0]]
        let b: [[Float]] = [[1, 0], [0.5, Float(0.75.squareRoot())], [1, 0], [0.2, Float(0.96.squareRoot())], [1, 0], [0.9, Float(0.19.squareRoot())]]
        let result = PairAgreement(a, b)
        #expect(result.pairs == 3)
        #expect(abs(result.spearman + 0.5) < 1e-9)
        #expect(abs(result.pearson + 0.569495) < 1e-5)
    }

    /// A model agrees with itself (ρ = 1) whatever the scale of its vectors.
    @Test func scaleDoesNotMatter() {
        let a: [[Float]] = [[1, 2], [2, 1], [0, 1], [1, 1], [3, -1], [1, 0]]
        let result = PairAgreement(a, a.map { $0.map { $0 * 7 } })
        #expect(abs(result.spearman - 1) < 1e-12)
    }
}
