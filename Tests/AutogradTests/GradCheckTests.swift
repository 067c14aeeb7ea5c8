// Tier (b): every op's hand-written backward against central differences, for every input.
// The cases live in Autograd's public catalogue (GradCheckCatalogue.swift), which the
// GradCheckTour example prints too; this suite runs them, and fails if an op kind the tape can
// record has no case, or if a case does not record the op it claims to check.
import Autograd
import Testing
import TensorCore

@Suite struct GradCheckTests {
    @Test(arguments: GradCheckCase.all.map(\.name))
    func backwardMatchesCentralDifferences(_ name: String) {
        let testCase = GradCheckCase.all.first { $0.name == name }!
        let results = testCase.run()
        #expect(results.count == testCase.shapes.count)
        for result in results {
            #expect(result.passed, "\(name): \(result)")
        }
    }

    /// Adding a case to OpKind (which every `Tape.record` call needs) without a catalogue case fails here.
    @Test func everyOpKindHasACase() {
        let covered = Set(GradCheckCase.all.map(\.op))
        let missing = OpKind.allCases.filter { !covered.contains($0) }
        #expect(missing.isEmpty, "op kinds without a finite-difference case: \(missing.map(\.rawValue))")
        #expect(Set(GradCheckCase.all.map(\.name)).count == GradCheckCase.all.count, "case names must be unique")
    }

    /// Each case really records the op it names (a case cannot check `power` by calling `multiply`).
    @Test(arguments: GradCheckCase.all.map(\.name))
    func caseRecordsItsOp(_ name: String) {
        let testCase = GradCheckCase.all.first { $0.name == name }!
        let tape = Tape()
        _ = testCase.function(testCase.inputs().map { tape.variable($0) })
        #expect(tape.opNames.contains(testCase.op.rawValue), "\(name) records \(tape.opNames), not \(testCase.op.rawValue)")
    }

    /// The max winner must be unique per feature: spread values so no two are within ε.
    @Test func maxPoolingAwayFromTies() {
        let values = (0..<24).map { Float(($0 * 7) % 24) * 0.1 }
        let results = gradCheck([Tensor(shape: [2, 4, 3], scalars: values)], tolerance: 2e-4) {
            maskedMaxPooling($0[0], mask: GradCheckCase.paddingMask)
        }
        #expect(results.allSatisfy { $0.passed }, "\(results)")
    }
}
