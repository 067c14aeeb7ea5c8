// The linear probe: L-BFGS on functions with known minima, the logistic-regression objective at
// zero weights worked out by hand, the fitted model against scikit-learn's optimum (fixture from
// Scripts/make_probe_fixtures.py), and the probe's data files (CRLF too). Averaged word vectors,
// the probe's static baseline: AveragedWordVectorsTests.swift.
import Evaluation
import Foundation
import TensorCore
import TestSupport
import Testing

@Suite struct LBFGSTests {
    @Test func quadraticAndRosenbrockMinima() {
        // f = (x₀ − 3)² + 10(x₁ + 1)²: minimum at (3, −1).
        let quadratic = LBFGS().minimize(start: [0, 0]) { x in
            ((x[0] - 3) * (x[0] - 3) + 10 * (x[1] + 1) * (x[1] + 1), [2 * (x[0] - 3), 20 * (x[1] + 1)])
        }
        #expect(abs(quadratic.x[0] - 3) < 1e-5 && abs(quadratic.x[1] + 1) < 1e-5, "\(quadratic.x)")
        // Rosenbrock f = (1 − a)² + 100(b − a²)²: minimum at (1, 1), from the classic start (−1.2, 1).
        var solver = LBFGS()
        solver.gradientTolerance = 1e-8
        solver.relativeDecreaseTolerance = 0
        let rosenbrock = solver.minimize(start: [-1.2, 1]) { x in
            let (a, b) = (x[0], x[1])
            return ((1 - a) * (1 - a) + 100 * (b - a * a) * (b - a * a), [-2 * (1 - a) - 400 * a * (b - a * a), 200 * (b - a * a)])
        }
        #expect(abs(rosenbrock.x[0] - 1) < 1e-5 && abs(rosenbrock.x[1] - 1) < 1e-5, "\(rosenbrock.x) after \(rosenbrock.iterations) iterations")
        #expect(rosenbrock.iterations < 100)
    }
}

@Suite struct LogisticRegressionTests {
    let file: SafetensorsFile
    let x: Tensor
    let y: [Int]

    init() throws {
        file = try Safetensors.read(fixtureURL("Pretraining/probe-small.safetensors"))
        x = file.tensors["x"]!
        y = file.tensors["y"]!.scalars.map { Int($0) }
    }

    @Test func objectiveAtZeroIsLogKWithTheHandGradient() {
        // W = 0, b = 0: every class has probability 1/3, so f = ln 3 (the penalty is 0), and
        // ∂f/∂b_k = (1/N) Σᵢ (1/3 − [yᵢ = k]) = 1/3 − 30/90 = 0, ∂f/∂W_k = (1/N) Σᵢ (1/3 − [yᵢ = k]) xᵢ.
        let (value, dW, dB) = LogisticRegression.objective(weight: Tensor(zeros: [3, 6]), bias: Tensor(zeros: [3]), features: x,
                                                           labels: y, inverseRegularization: 1)
        #expect(abs(value - log(3.0)) < 1e-6)
        #expect(dB.scalars.allSatisfy { abs($0) < 1e-6 })
        let rows = x.scalars
        for k in 0..<3 {
            for column in 0..<6 {
                let expected = (0..<90).reduce(0.0) { $0 + (1.0 / 3 - (y[$1] == k ? 1 : 0)) * Double(rows[$1 * 6 + column]) } / 90
                #expect(abs(Double(dW[k, column]) - expected) < 1e-6)
            }
        }
    }

    @Test(arguments: [("c1", 1.0), ("c0.25", 0.25)])
    func reachesScikitLearnsOptimum(_ name: String, _ c: Double) {
        var model = LogisticRegression(classCount: 3, dimension: 6)
        let result = model.fit(features: x, labels: y, inverseRegularization: c)
        let objective = result.value * c * 90  // back to scikit-learn's C·Σ loss + ½‖W‖²
        let reference = Double(file.tensors["\(name).objective"]!.scalar)
        #expect(abs(objective - reference) / reference < 1e-6, "\(name): objective \(objective) vs scikit-learn \(reference) (\(result.stop), \(result.iterations) iterations)")
        #expect(maxScaledError(model.weight.scalars, file.tensors["\(name).coef"]!.scalars) < 1e-3)
        #expect(maxScaledError(model.bias.scalars, file.tensors["\(name).intercept"]!.scalars) < 1e-3)
    }
}

@Suite struct ProbeDataTests {
    @Test func probeFileErrorsNameTheLine() throws {
        let good = try temporaryTextFile(Array("noun.animal\tadult male deer\n\nnoun.person\ta messenger\twith a tab\n".utf8), name: "train.tsv")
        #expect(try LinearProbe.readExamples(good) == [ProbeExample(label: "noun.animal", text: "adult male deer"),
                                                       ProbeExample(label: "noun.person", text: "a messenger\twith a tab")])
        let bad = try temporaryTextFile(Array("noun.animal\tadult male deer\nno tab here\n".utf8), name: "bad.tsv")
        #expect { try LinearProbe.readExamples(bad) } throws: { ($0 as? FileError)?.field == "line 2" }
    }

    @Test func crlfProbeFileReadsAsLF() throws {
        // Before TextInput, a CRLF probe file of four labelled lines read as one example.
        let text = "noun.animal\tadult male deer\nnoun.person\ta messenger\n\nverb.motion\truns fast\nnoun.animal\ta cat\n"
        let lf = try LinearProbe.readExamples(try temporaryTextFile(Array(text.utf8), name: "lf.tsv"))
        let crlf = try LinearProbe.readExamples(try temporaryTextFile(crlfBytes(text), name: "crlf.tsv"))
        #expect(lf.count == 4)
        #expect(crlf == lf)
        #expect(crlf.last == ProbeExample(label: "noun.animal", text: "a cat"))
    }
}
