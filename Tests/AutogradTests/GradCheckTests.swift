// Tier (b): every op's hand-written backward against central differences, for every input.
// Inputs are small (debug builds are slow) and chosen away from kinks (ReLU at 0, max ties).
// Tolerances are per op, next to each case (scaled error, see GradCheckResult): products and
// sums measure ~4e-6 with ε = 1e-2 in Float32 and get 2e-4; softmax, LayerNorm, attention,
// cross-entropy and L2 normalisation measure up to ~1e-4 and get 5e-4.
import Autograd
import Testing
import TensorCore

/// One op under test: how to make its inputs, and the function of them to check.
struct GradCase: Sendable {
    let shapes: [[Int]]
    let tolerance: Float
    var low: Float = -1
    var high: Float = 1
    let function: @Sendable ([Variable]) -> Variable
}

/// A padding mask for B = 2, T = 4: the second sequence has two padded positions.
let paddingMask = Tensor(shape: [2, 4], scalars: [1, 1, 1, 1, 1, 1, 0, 0])

let gradCases: [String: GradCase] = [
    "matmul": GradCase(shapes: [[3, 4], [4, 5]], tolerance: 2e-4) { matmul($0[0], $0[1]) },
    "matmul Aᵀ": GradCase(shapes: [[4, 3], [4, 5]], tolerance: 2e-4) { matmul($0[0], $0[1], transposeA: true) },
    "matmul Bᵀ": GradCase(shapes: [[3, 4], [5, 4]], tolerance: 2e-4) { matmul($0[0], $0[1], transposeB: true) },
    "matmul AᵀBᵀ": GradCase(shapes: [[4, 3], [5, 4]], tolerance: 2e-4) { matmul($0[0], $0[1], transposeA: true, transposeB: true) },
    "batched matmul Bᵀ": GradCase(shapes: [[2, 3, 4], [2, 5, 4]], tolerance: 2e-4) { matmul($0[0], $0[1], transposeB: true) },
    "linear": GradCase(shapes: [[2, 3, 4], [5, 4], [5]], tolerance: 2e-4) { linear($0[0], weight: $0[1], bias: $0[2]) },
    "linear without bias": GradCase(shapes: [[3, 4], [2, 4]], tolerance: 2e-4) { linear($0[0], weight: $0[1], bias: nil) },
    "add": GradCase(shapes: [[2, 3], [2, 3]], tolerance: 2e-4) { add($0[0], $0[1]) },
    "subtract": GradCase(shapes: [[2, 3], [2, 3]], tolerance: 2e-4) { subtract($0[0], $0[1]) },
    "multiply": GradCase(shapes: [[2, 3], [2, 3]], tolerance: 2e-4) { multiply($0[0], $0[1]) },
    "scale": GradCase(shapes: [[2, 3]], tolerance: 2e-4) { scale($0[0], by: -2.5) },
    "addBias": GradCase(shapes: [[2, 3, 4], [4]], tolerance: 2e-4) { addBias($0[0], $0[1]) },
    "gelu erf": GradCase(shapes: [[3, 5]], tolerance: 2e-4, low: -3, high: 3) { gelu($0[0]) },
    "gelu tanh": GradCase(shapes: [[3, 5]], tolerance: 2e-4, low: -3, high: 3) { gelu($0[0], approximation: .tanh) },
    // Inputs in [0.1, 1] and [-1, -0.1]: ReLU is smooth away from 0.
    "relu": GradCase(shapes: [[2, 3], [2, 3]], tolerance: 2e-4, low: 0.1, high: 1) { relu(subtract($0[0], scale($0[1], by: 2))) },
    "tanh": GradCase(shapes: [[2, 4]], tolerance: 2e-4, low: -2, high: 2) { tanh($0[0]) },
    "softmax": GradCase(shapes: [[3, 5]], tolerance: 5e-4, low: -2, high: 2) { softmax($0[0]) },
    "logSoftmax": GradCase(shapes: [[3, 5]], tolerance: 5e-4, low: -2, high: 2) { logSoftmax($0[0]) },
    "layerNorm": GradCase(shapes: [[3, 6], [6], [6]], tolerance: 5e-4, low: -2, high: 2) {
        layerNorm($0[0], gamma: $0[1], beta: $0[2], epsilon: 1e-5)
    },
    "embedding": GradCase(shapes: [[5, 3]], tolerance: 2e-4) { embedding($0[0], indices: [4, 0, 4, 2]) },
    "dropout": GradCase(shapes: [[4, 5]], tolerance: 2e-4) { v in
        var generator = SeededGenerator(seed: 9)  // the same mask on every evaluation
        return dropout(v[0], probability: 0.3, generator: &generator)
    },
    "reshape": GradCase(shapes: [[2, 6]], tolerance: 2e-4) { multiply(reshape($0[0], [3, 4]), reshape($0[0], [3, 4])) },
    "transpose": GradCase(shapes: [[2, 3, 4]], tolerance: 2e-4) { transpose($0[0], 0, 2) },
    "splitHeads": GradCase(shapes: [[2, 3, 4]], tolerance: 2e-4) { splitHeads($0[0], heads: 2) },
    "mergeHeads": GradCase(shapes: [[2, 2, 3, 2]], tolerance: 2e-4) { mergeHeads($0[0]) },
    "concat": GradCase(shapes: [[2, 3], [2, 2], [2, 1]], tolerance: 2e-4) { concat([$0[0], $0[1], $0[2]], axis: 1) },
    "slice": GradCase(shapes: [[3, 5]], tolerance: 2e-4) { slice($0[0], axis: 1, range: 1..<4) },
    "sum over axis": GradCase(shapes: [[2, 3, 4]], tolerance: 2e-4) { sum($0[0], axis: 1) },
    "mean over axis": GradCase(shapes: [[2, 3, 4]], tolerance: 2e-4) { mean($0[0], axis: 2) },
    "sum of all": GradCase(shapes: [[2, 3]], tolerance: 2e-4) { sum($0[0]) },
    "mean of all": GradCase(shapes: [[2, 3]], tolerance: 2e-4) { mean($0[0]) },
    "attention, padding mask": GradCase(shapes: [[2, 4, 6], [2, 4, 6], [2, 4, 6]], tolerance: 5e-4, low: -1.5, high: 1.5) {
        scaledDotProductAttention(query: $0[0], key: $0[1], value: $0[2], heads: 2, keyMask: paddingMask).output
    },
    "attention, causal": GradCase(shapes: [[1, 4, 4], [1, 4, 4], [1, 4, 4]], tolerance: 5e-4, low: -1.5, high: 1.5) {
        scaledDotProductAttention(query: $0[0], key: $0[1], value: $0[2], heads: 1, keyMask: nil, causal: true).output
    },
    "attention, dropout": GradCase(shapes: [[1, 3, 4], [1, 3, 4], [1, 3, 4]], tolerance: 5e-4, low: -1.5, high: 1.5) {
        scaledDotProductAttention(query: $0[0], key: $0[1], value: $0[2], heads: 2, keyMask: nil,
                                  dropout: (0.25, SeededGenerator(seed: 4))).output
    },
    // Queries at rows 1 (sequence 0), 6 and 5 (sequence 1, whose keys 2 and 3 are padding).
    "selected-query attention, padding mask": GradCase(shapes: [[3, 6], [2, 4, 6], [2, 4, 6]], tolerance: 5e-4, low: -1.5, high: 1.5) {
        selectedQueryAttention(query: $0[0], key: $0[1], value: $0[2], rows: [1, 6, 5], heads: 2, keyMask: paddingMask).output
    },
    "selected-query attention, causal, dropout": GradCase(shapes: [[2, 4], [1, 4, 4], [1, 4, 4]], tolerance: 5e-4, low: -1.5, high: 1.5) {
        selectedQueryAttention(query: $0[0], key: $0[1], value: $0[2], rows: [2, 0], heads: 2, keyMask: nil, causal: true,
                               dropout: (0.25, SeededGenerator(seed: 6))).output
    },
    "crossEntropy": GradCase(shapes: [[4, 5]], tolerance: 5e-4, low: -2, high: 2) {
        crossEntropy(logits: $0[0], targets: [3, -100, 0, 4])
    },
    "meanPooling": GradCase(shapes: [[2, 4, 3]], tolerance: 2e-4) { maskedMeanPooling($0[0], mask: paddingMask) },
    "maxPooling": GradCase(shapes: [[2, 4, 3]], tolerance: 2e-4) { maskedMaxPooling($0[0], mask: paddingMask) },
    "clsPooling": GradCase(shapes: [[2, 4, 3]], tolerance: 2e-4) { clsPooling($0[0]) },
    "l2Normalize": GradCase(shapes: [[3, 4]], tolerance: 5e-4) { l2Normalize($0[0]) },
    "meanSquaredError": GradCase(shapes: [[3, 4]], tolerance: 2e-4) { meanSquaredError($0[0], target: distillationTarget) },
    // The last target row is zero: its cosine is the constant 0 and it sends no gradient.
    "cosineDistance": GradCase(shapes: [[3, 4]], tolerance: 5e-4) { cosineDistance($0[0], target: distillationTarget) },
]

/// A fixed teacher for the two distillation losses, [3, 4], its last row zero.
let distillationTarget = Tensor(shape: [3, 4], scalars: [0.5, -0.25, 1, 0.75, -1, 0.5, 0.25, -0.5, 0, 0, 0, 0])

@Suite struct GradCheckTests {
    @Test(arguments: gradCases.keys.sorted())
    func backwardMatchesCentralDifferences(_ name: String) {
        let testCase = gradCases[name]!
        var generator = SeededGenerator(seed: UInt64(name.utf8.reduce(0) { $0 &* 31 &+ Int($1) } & 0xFFFF))
        var inputs = testCase.shapes.map { generator.uniform(shape: $0, low: testCase.low, high: testCase.high) }
        if name == "relu" {  // second input must keep x − 2y away from 0: x ∈ [0.1, 1], y ∈ [-0.5, -0.05]
            inputs[1] = inputs[1].scaled(by: -0.5)
        }
        let results = gradCheck(inputs, tolerance: testCase.tolerance, testCase.function)
        #expect(results.count == testCase.shapes.count)
        for result in results {
            #expect(result.passed, "\(name): \(result)")
        }
    }

    /// The max winner must be unique per feature: spread values so no two are within ε.
    @Test func maxPoolingAwayFromTies() {
        let values = (0..<24).map { Float(($0 * 7) % 24) * 0.1 }
        let results = gradCheck([Tensor(shape: [2, 4, 3], scalars: values)], tolerance: 2e-4) {
            maskedMaxPooling($0[0], mask: paddingMask)
        }
        #expect(results.allSatisfy { $0.passed }, "\(results)")
    }
}
