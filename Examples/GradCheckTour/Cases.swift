// The ops the tour checks: one entry per Autograd op (and per interesting variant), with the
// input shapes, the range inputs are drawn from (away from kinks such as ReLU's 0), the
// tolerance, and the function of the inputs. The same choices as Tests/AutogradTests.
// Not handled: ops outside Autograd (layers are compositions of these).

import TinyEncoder

/// One op to check.
struct TourCase: Sendable {
    let name: String
    let file: String
    let shapes: [[Int]]
    let tolerance: Float
    var low: Float = -1
    var high: Float = 1
    let function: @Sendable ([Variable]) -> Variable
}

/// A padding mask for B = 2, T = 4: the second sequence has two padded positions.
let paddingMask = Tensor(shape: [2, 4], scalars: [1, 1, 1, 1, 1, 1, 0, 0])

let tourCases: [TourCase] = [
    TourCase(name: "matmul", file: "Matmul.swift", shapes: [[3, 4], [4, 5]], tolerance: 2e-4) { matmul($0[0], $0[1]) },
    TourCase(name: "matmul Aᵀ Bᵀ", file: "Matmul.swift", shapes: [[4, 3], [5, 4]], tolerance: 2e-4) { matmul($0[0], $0[1], transposeA: true, transposeB: true) },
    TourCase(name: "batched matmul Bᵀ", file: "Matmul.swift", shapes: [[2, 3, 4], [2, 5, 4]], tolerance: 2e-4) { matmul($0[0], $0[1], transposeB: true) },
    TourCase(name: "linear", file: "Linear.swift", shapes: [[2, 3, 4], [5, 4], [5]], tolerance: 2e-4) { linear($0[0], weight: $0[1], bias: $0[2]) },
    TourCase(name: "add", file: "Arithmetic.swift", shapes: [[2, 3], [2, 3]], tolerance: 2e-4) { add($0[0], $0[1]) },
    TourCase(name: "subtract", file: "Arithmetic.swift", shapes: [[2, 3], [2, 3]], tolerance: 2e-4) { subtract($0[0], $0[1]) },
    TourCase(name: "multiply", file: "Arithmetic.swift", shapes: [[2, 3], [2, 3]], tolerance: 2e-4) { multiply($0[0], $0[1]) },
    TourCase(name: "scale", file: "Arithmetic.swift", shapes: [[2, 3]], tolerance: 2e-4) { scale($0[0], by: -2.5) },
    TourCase(name: "addBias", file: "AddBias.swift", shapes: [[2, 3, 4], [4]], tolerance: 2e-4) { addBias($0[0], $0[1]) },
    TourCase(name: "power (x³)", file: "Power.swift", shapes: [[2, 3]], tolerance: 2e-4, low: 0.5, high: 1.5) { power($0[0], 3) },
    TourCase(name: "gelu (erf)", file: "GELU.swift", shapes: [[3, 5]], tolerance: 2e-4, low: -3, high: 3) { gelu($0[0]) },
    TourCase(name: "gelu (tanh)", file: "GELU.swift", shapes: [[3, 5]], tolerance: 2e-4, low: -3, high: 3) { gelu($0[0], approximation: .tanh) },
    TourCase(name: "shift (x + 0.5)", file: "Power.swift", shapes: [[2, 3]], tolerance: 2e-4) { shift($0[0], by: 0.5) },
    // |x| ∈ [0.1, 1] with alternating signs: ReLU is smooth away from 0, and half the inputs pass.
    TourCase(name: "relu", file: "ReLU.swift", shapes: [[2, 3]], tolerance: 2e-4, low: 0.1, high: 1) {
        relu(multiply($0[0], Variable(constant: Tensor(shape: [2, 3], scalars: [1, -1, 1, -1, 1, -1]))))
    },
    TourCase(name: "tanh", file: "Tanh.swift", shapes: [[2, 4]], tolerance: 2e-4, low: -2, high: 2) { tanh($0[0]) },
    TourCase(name: "softmax", file: "Softmax.swift", shapes: [[3, 5]], tolerance: 5e-4, low: -2, high: 2) { softmax($0[0]) },
    TourCase(name: "logSoftmax", file: "LogSoftmax.swift", shapes: [[3, 5]], tolerance: 5e-4, low: -2, high: 2) { logSoftmax($0[0]) },
    TourCase(name: "layerNorm", file: "LayerNorm.swift", shapes: [[3, 6], [6], [6]], tolerance: 5e-4, low: -2, high: 2) {
        layerNorm($0[0], gamma: $0[1], beta: $0[2], epsilon: 1e-5)
    },
    TourCase(name: "embedding (row 4 twice)", file: "Embedding.swift", shapes: [[5, 3]], tolerance: 2e-4) { embedding($0[0], indices: [4, 0, 4, 2]) },
    TourCase(name: "dropout (p = 0.3)", file: "Dropout.swift", shapes: [[4, 5]], tolerance: 2e-4) { v in
        var generator = SeededGenerator(seed: 9)  // the same mask on every evaluation
        return dropout(v[0], probability: 0.3, generator: &generator)
    },
    TourCase(name: "reshape", file: "Reshape.swift", shapes: [[2, 6]], tolerance: 2e-4) { multiply(reshape($0[0], [3, 4]), reshape($0[0], [3, 4])) },
    TourCase(name: "transpose", file: "Transpose.swift", shapes: [[2, 3, 4]], tolerance: 2e-4) { transpose($0[0], 0, 2) },
    TourCase(name: "splitHeads", file: "SplitMergeHeads.swift", shapes: [[2, 3, 4]], tolerance: 2e-4) { splitHeads($0[0], heads: 2) },
    TourCase(name: "mergeHeads", file: "SplitMergeHeads.swift", shapes: [[2, 2, 3, 2]], tolerance: 2e-4) { mergeHeads($0[0]) },
    TourCase(name: "concat", file: "Concat.swift", shapes: [[2, 3], [2, 2]], tolerance: 2e-4) { concat([$0[0], $0[1]], axis: 1) },
    TourCase(name: "slice", file: "Slice.swift", shapes: [[3, 5]], tolerance: 2e-4) { slice($0[0], axis: 1, range: 1..<4) },
    TourCase(name: "sum over an axis", file: "Sum.swift", shapes: [[2, 3, 4]], tolerance: 2e-4) { sum($0[0], axis: 1) },
    TourCase(name: "mean of all", file: "Sum.swift", shapes: [[2, 3]], tolerance: 2e-4) { mean($0[0]) },
    TourCase(name: "attention (padding mask)", file: "ScaledDotProductAttention.swift", shapes: [[2, 4, 6], [2, 4, 6], [2, 4, 6]],
             tolerance: 5e-4, low: -1.5, high: 1.5) {
        scaledDotProductAttention(query: $0[0], key: $0[1], value: $0[2], heads: 2, keyMask: paddingMask).output
    },
    TourCase(name: "attention (causal)", file: "ScaledDotProductAttention.swift", shapes: [[1, 4, 4], [1, 4, 4], [1, 4, 4]],
             tolerance: 5e-4, low: -1.5, high: 1.5) {
        scaledDotProductAttention(query: $0[0], key: $0[1], value: $0[2], heads: 1, keyMask: nil, causal: true).output
    },
    TourCase(name: "crossEntropy (one ignored row)", file: "CrossEntropy.swift", shapes: [[4, 5]], tolerance: 5e-4, low: -2, high: 2) {
        crossEntropy(logits: $0[0], targets: [3, -100, 0, 4])
    },
    TourCase(name: "maskedMeanPooling", file: "MaskedMeanPooling.swift", shapes: [[2, 4, 3]], tolerance: 2e-4) { maskedMeanPooling($0[0], mask: paddingMask) },
    TourCase(name: "maskedMaxPooling", file: "MaskedMaxPooling.swift", shapes: [[2, 4, 3]], tolerance: 2e-4) { maskedMaxPooling($0[0], mask: paddingMask) },
    TourCase(name: "clsPooling", file: "CLSPooling.swift", shapes: [[2, 4, 3]], tolerance: 2e-4) { clsPooling($0[0]) },
    TourCase(name: "l2Normalize", file: "L2Normalize.swift", shapes: [[3, 4]], tolerance: 5e-4) { l2Normalize($0[0]) },
]
