// GradCheckTour: every Autograd op's hand-written backward against central differences, as one
// table of Autograd's GradCheckCase.all, the cases Tests/AutogradTests runs (gradCheck: L = Σ f(x) ⊙ R for a fixed random R, ε = 10⁻², error scaled by the largest
// numeric gradient). `--show NAME` prints a worked example instead, with every intermediate:
//   tape          a tiny expression on the tape: records, reverse walk, a value used twice
//   layerNorm     μ, σ², rstd, x̂, y and the three-term backward (Docs/LayerNorm.md)
//   crossEntropy  softmax, the loss, the Jacobian and dz = p − onehot (Docs/SoftmaxCrossEntropy.md)
//   pooling       CLS, masked mean and masked max with their gradients (Docs/Pooling.md)
// Not handled: timing (see `tinyencoder bench`).

import Foundation
import TinyEncoder

func runTable() -> Bool {
    print("Finite-difference check of every Autograd op (central differences, ε = 1e-2, Float32; error = max|analytic − numeric| / max|numeric|)\n")
    let header = pad("case", 44, left: true) + pad("file", 34, left: true) + pad("inputs", 30, left: true) + pad("error per input", 30, left: true) + pad("tol", 8, left: true) + "result"
    print(header)
    print(String(repeating: "-", count: header.count))
    var failures = 0
    var worst: Float = 0
    let cases = GradCheckCase.all  // Autograd's catalogue, the one the tests run
    for testCase in cases {
        let results = testCase.run()
        let passed = results.allSatisfy(\.passed)
        if !passed { failures += 1 }
        worst = max(worst, results.map(\.error).max() ?? 0)
        let shapes = testCase.shapes.map { "[" + $0.map(String.init).joined(separator: ",") + "]" }.joined(separator: " ")
        let errors = results.map { String(format: "%.1e", $0.error) }.joined(separator: " ")
        print(pad(testCase.name, 44, left: true) + pad(testCase.file, 34, left: true) + pad(shapes, 30, left: true)
              + pad(errors, 30, left: true) + pad(String(format: "%.0e", testCase.tolerance), 8, left: true) + (passed ? "ok" : "FAILED"))
    }
    print("\n\(cases.count) cases, \(failures == 0 ? "all passed" : "\(failures) FAILED"); largest error \(String(format: "%.1e", worst)).")
    print("Float32 rounding alone contributes about 1e-7·|L|/ε ≈ 1e-5; the O(ε²) truncation term the rest.")
    return failures == 0
}

let arguments = Array(CommandLine.arguments.dropFirst())
let walkthroughs: [String: () -> Void] = [
    "tape": Walkthroughs.tape, "layerNorm": Walkthroughs.layerNorm,
    "crossEntropy": Walkthroughs.crossEntropy, "pooling": Walkthroughs.pooling,
]
if arguments.isEmpty {
    exit(runTable() ? 0 : 1)
} else if arguments.count == 2, arguments[0] == "--show", let walkthrough = walkthroughs[arguments[1]] {
    walkthrough()
} else if arguments == ["--show", "all"] {
    for name in ["tape", "layerNorm", "crossEntropy", "pooling"] { walkthroughs[name]!() }
} else {
    print("usage: swift run -c release GradCheckTour [--show tape|layerNorm|crossEntropy|pooling|all]")
    exit(arguments.first == "--help" || arguments.first == "-h" ? 0 : 2)
}
