// The catalogue of finite-difference cases: one or more per op kind (OpKind), each with its
// input shapes, the range inputs are drawn from (away from kinks such as ReLU's 0), its
// tolerance and the function of the inputs. Tests/AutogradTests/GradCheckTests runs every case
// and checks that every OpKind has one; Examples/GradCheckTour prints the same table.
// Tolerances (scaled error, see GradCheckResult): products and sums measure ~4e-6 with ε = 1e-2
// in Float32 and get 2e-4; softmax, LayerNorm, attention, cross-entropy and L2 normalisation
// measure up to ~1.5e-4 and get 5e-4.
// Not handled: layers (they are compositions of these ops, checked in their own modules).

import TensorCore

/// One finite-difference case: an op applied to random inputs of fixed shapes.
public struct GradCheckCase: Sendable {
    /// A unique, readable name ("matmul Aᵀ Bᵀ").
    public let name: String
    /// The op under test: running `function` on a tape records at least one record of this kind.
    public let op: OpKind
    /// The file in Sources/Autograd/Ops that holds the op.
    public let file: String
    public let shapes: [[Int]]
    public let tolerance: Float
    /// Inputs are drawn uniformly from low...high.
    public var low: Float = -1
    public var high: Float = 1
    public let function: @Sendable ([Variable]) -> Variable

    /// The inputs of this case: uniform in low...high, seeded by the name (so each case's inputs
    /// are fixed and independent of the order cases run in).
    public func inputs() -> [Tensor] {
        var generator = SeededGenerator(seed: UInt64(name.utf8.reduce(0) { $0 &* 31 &+ Int($1) } & 0xFFFF))
        return shapes.map { generator.uniform(shape: $0, low: low, high: high) }
    }

    /// Runs `gradCheck` on `inputs()`: one result per input.
    public func run() -> [GradCheckResult] {
        gradCheck(inputs(), tolerance: tolerance, function)
    }
}

extension GradCheckCase {
    init(_ name: String, _ op: OpKind, _ file: String, shapes: [[Int]], tolerance: Float,
         low: Float = -1, high: Float = 1, _ function: @escaping @Sendable ([Variable]) -> Variable) {
        self.name = name; self.op = op; self.file = file; self.shapes = shapes; self.tolerance = tolerance
        self.low = low; self.high = high; self.function = function
    }

    /// A padding mask for B = 2, T = 4: the second sequence has two padded positions.
    public static var paddingMask: Tensor { Tensor(shape: [2, 4], scalars: [1, 1, 1, 1, 1, 1, 0, 0]) }

    /// A fixed teacher for the two distillation losses, [3, 4], its last row zero.
    public static var distillationTarget: Tensor {
        Tensor(shape: [3, 4], scalars: [0.5, -0.25, 1, 0.75, -1, 0.5, 0.25, -0.5, 0, 0, 0, 0])
    }

    /// Every case, in the order of Docs/Gradients.md (built on each access: no shared state).
    public static var all: [GradCheckCase] {
        let mask = paddingMask, target = distillationTarget
        let signs = Tensor(shape: [2, 3], scalars: [1, -1, 1, -1, 1, -1])
        return [
            // MARK: Products
            GradCheckCase("matmul", .matmul, "Matmul.swift", shapes: [[3, 4], [4, 5]], tolerance: 2e-4) { matmul($0[0], $0[1]) },
            GradCheckCase("matmul Aᵀ", .matmul, "Matmul.swift", shapes: [[4, 3], [4, 5]], tolerance: 2e-4) { matmul($0[0], $0[1], transposeA: true) },
            GradCheckCase("matmul Bᵀ", .matmul, "Matmul.swift", shapes: [[3, 4], [5, 4]], tolerance: 2e-4) { matmul($0[0], $0[1], transposeB: true) },
            GradCheckCase("matmul Aᵀ Bᵀ", .matmul, "Matmul.swift", shapes: [[4, 3], [5, 4]], tolerance: 2e-4) {
                matmul($0[0], $0[1], transposeA: true, transposeB: true)
            },
            GradCheckCase("batched matmul Bᵀ", .matmul, "Matmul.swift", shapes: [[2, 3, 4], [2, 5, 4]], tolerance: 2e-4) {
                matmul($0[0], $0[1], transposeB: true)
            },
            GradCheckCase("linear", .linear, "Linear.swift", shapes: [[2, 3, 4], [5, 4], [5]], tolerance: 2e-4) {
                linear($0[0], weight: $0[1], bias: $0[2])
            },
            GradCheckCase("linear without bias", .linear, "Linear.swift", shapes: [[3, 4], [2, 4]], tolerance: 2e-4) {
                linear($0[0], weight: $0[1], bias: nil)
            },
            // MARK: Elementwise
            GradCheckCase("add", .add, "Arithmetic.swift", shapes: [[2, 3], [2, 3]], tolerance: 2e-4) { add($0[0], $0[1]) },
            GradCheckCase("subtract", .subtract, "Arithmetic.swift", shapes: [[2, 3], [2, 3]], tolerance: 2e-4) { subtract($0[0], $0[1]) },
            GradCheckCase("multiply", .multiply, "Arithmetic.swift", shapes: [[2, 3], [2, 3]], tolerance: 2e-4) { multiply($0[0], $0[1]) },
            GradCheckCase("scale", .scale, "Arithmetic.swift", shapes: [[2, 3]], tolerance: 2e-4) { scale($0[0], by: -2.5) },
            GradCheckCase("addBias", .addBias, "AddBias.swift", shapes: [[2, 3, 4], [4]], tolerance: 2e-4) { addBias($0[0], $0[1]) },
            // x ∈ [0.5, 1.5]: x³ is smooth there and x² never vanishes.
            GradCheckCase("power (x³)", .power, "Power.swift", shapes: [[2, 3]], tolerance: 2e-4, low: 0.5, high: 1.5) { power($0[0], 3) },
            GradCheckCase("power (√x)", .power, "Power.swift", shapes: [[2, 3]], tolerance: 2e-4, low: 0.5, high: 1.5) { power($0[0], 0.5) },
            GradCheckCase("shift (x + 0.5)", .shift, "Power.swift", shapes: [[2, 3]], tolerance: 2e-4) { shift($0[0], by: 0.5) },
            GradCheckCase("gelu (erf)", .gelu, "GELU.swift", shapes: [[3, 5]], tolerance: 2e-4, low: -3, high: 3) { gelu($0[0]) },
            GradCheckCase("gelu (tanh)", .gelu, "GELU.swift", shapes: [[3, 5]], tolerance: 2e-4, low: -3, high: 3) {
                gelu($0[0], approximation: .tanh)
            },
            // |x| ∈ [0.1, 1] with alternating signs: ReLU is smooth away from 0, and half the inputs pass.
            GradCheckCase("relu", .relu, "ReLU.swift", shapes: [[2, 3]], tolerance: 2e-4, low: 0.1, high: 1) {
                relu(multiply($0[0], Variable(constant: signs)))
            },
            GradCheckCase("tanh", .tanh, "Tanh.swift", shapes: [[2, 4]], tolerance: 2e-4, low: -2, high: 2) { tanh($0[0]) },
            // MARK: Rows
            GradCheckCase("softmax", .softmax, "Softmax.swift", shapes: [[3, 5]], tolerance: 5e-4, low: -2, high: 2) { softmax($0[0]) },
            GradCheckCase("logSoftmax", .logSoftmax, "LogSoftmax.swift", shapes: [[3, 5]], tolerance: 5e-4, low: -2, high: 2) {
                logSoftmax($0[0])
            },
            GradCheckCase("layerNorm", .layerNorm, "LayerNorm.swift", shapes: [[3, 6], [6], [6]], tolerance: 5e-4, low: -2, high: 2) {
                layerNorm($0[0], gamma: $0[1], beta: $0[2], epsilon: 1e-5)
            },
            GradCheckCase("embedding (row 4 twice)", .embedding, "Embedding.swift", shapes: [[5, 3]], tolerance: 2e-4) {
                embedding($0[0], indices: [4, 0, 4, 2])
            },
            GradCheckCase("gatherRows (row 1 twice)", .gatherRows, "Embedding.swift", shapes: [[4, 3]], tolerance: 2e-4) {
                gatherRows($0[0], indices: [1, 3, 1])
            },
            GradCheckCase("dropout (p = 0.3)", .dropout, "Dropout.swift", shapes: [[4, 5]], tolerance: 2e-4) { v in
                var generator = SeededGenerator(seed: 9)  // the same mask on every evaluation
                return dropout(v[0], probability: 0.3, generator: &generator)
            },
            // MARK: Shapes
            GradCheckCase("reshape", .reshape, "Reshape.swift", shapes: [[2, 6]], tolerance: 2e-4) {
                multiply(reshape($0[0], [3, 4]), reshape($0[0], [3, 4]))
            },
            GradCheckCase("transpose", .transpose, "Transpose.swift", shapes: [[2, 3, 4]], tolerance: 2e-4) { transpose($0[0], 0, 2) },
            GradCheckCase("splitHeads", .splitHeads, "SplitMergeHeads.swift", shapes: [[2, 3, 4]], tolerance: 2e-4) {
                splitHeads($0[0], heads: 2)
            },
            GradCheckCase("mergeHeads", .mergeHeads, "SplitMergeHeads.swift", shapes: [[2, 2, 3, 2]], tolerance: 2e-4) { mergeHeads($0[0]) },
            GradCheckCase("concat", .concat, "Concat.swift", shapes: [[2, 3], [2, 2], [2, 1]], tolerance: 2e-4) {
                concat([$0[0], $0[1], $0[2]], axis: 1)
            },
            GradCheckCase("slice", .slice, "Slice.swift", shapes: [[3, 5]], tolerance: 2e-4) { slice($0[0], axis: 1, range: 1..<4) },
            GradCheckCase("sum over an axis", .sum, "Sum.swift", shapes: [[2, 3, 4]], tolerance: 2e-4) { sum($0[0], axis: 1) },
            GradCheckCase("mean over an axis", .mean, "Sum.swift", shapes: [[2, 3, 4]], tolerance: 2e-4) { mean($0[0], axis: 2) },
            GradCheckCase("sum of all", .sum, "Sum.swift", shapes: [[2, 3]], tolerance: 2e-4) { sum($0[0]) },
            GradCheckCase("mean of all", .mean, "Sum.swift", shapes: [[2, 3]], tolerance: 2e-4) { mean($0[0]) },
            // MARK: Attention
            GradCheckCase("attention (padding mask)", .attention, "ScaledDotProductAttention.swift",
                          shapes: [[2, 4, 6], [2, 4, 6], [2, 4, 6]], tolerance: 5e-4, low: -1.5, high: 1.5) {
                scaledDotProductAttention(query: $0[0], key: $0[1], value: $0[2], heads: 2, keyMask: mask).output
            },
            GradCheckCase("attention (causal)", .attention, "ScaledDotProductAttention.swift",
                          shapes: [[1, 4, 4], [1, 4, 4], [1, 4, 4]], tolerance: 5e-4, low: -1.5, high: 1.5) {
                scaledDotProductAttention(query: $0[0], key: $0[1], value: $0[2], heads: 1, keyMask: nil, causal: true).output
            },
            GradCheckCase("attention (dropout)", .attention, "ScaledDotProductAttention.swift",
                          shapes: [[1, 3, 4], [1, 3, 4], [1, 3, 4]], tolerance: 5e-4, low: -1.5, high: 1.5) {
                scaledDotProductAttention(query: $0[0], key: $0[1], value: $0[2], heads: 2, keyMask: nil,
                                          dropout: (0.25, SeededGenerator(seed: 4))).output
            },
            // Queries at rows 1 (sequence 0), 6 and 5 (sequence 1, whose keys 2 and 3 are padding).
            GradCheckCase("selected-query attention (padding mask)", .selectedQueryAttention, "SelectedQueryAttention.swift",
                          shapes: [[3, 6], [2, 4, 6], [2, 4, 6]], tolerance: 5e-4, low: -1.5, high: 1.5) {
                selectedQueryAttention(query: $0[0], key: $0[1], value: $0[2], rows: [1, 6, 5], heads: 2, keyMask: mask).output
            },
            GradCheckCase("selected-query attention (causal, dropout)", .selectedQueryAttention, "SelectedQueryAttention.swift",
                          shapes: [[2, 4], [1, 4, 4], [1, 4, 4]], tolerance: 5e-4, low: -1.5, high: 1.5) {
                selectedQueryAttention(query: $0[0], key: $0[1], value: $0[2], rows: [2, 0], heads: 2, keyMask: nil, causal: true,
                                       dropout: (0.25, SeededGenerator(seed: 6))).output
            },
            // MARK: Losses and pooling
            GradCheckCase("crossEntropy (one ignored row)", .crossEntropy, "CrossEntropy.swift", shapes: [[4, 5]], tolerance: 5e-4,
                          low: -2, high: 2) {
                crossEntropy(logits: $0[0], targets: [3, -100, 0, 4])
            },
            GradCheckCase("maskedMeanPooling", .meanPooling, "MaskedMeanPooling.swift", shapes: [[2, 4, 3]], tolerance: 2e-4) {
                maskedMeanPooling($0[0], mask: mask)
            },
            GradCheckCase("maskedMaxPooling", .maxPooling, "MaskedMaxPooling.swift", shapes: [[2, 4, 3]], tolerance: 2e-4) {
                maskedMaxPooling($0[0], mask: mask)
            },
            GradCheckCase("clsPooling (slice + reshape)", .slice, "CLSPooling.swift", shapes: [[2, 4, 3]], tolerance: 2e-4) { clsPooling($0[0]) },
            GradCheckCase("l2Normalize", .l2Normalize, "L2Normalize.swift", shapes: [[3, 4]], tolerance: 5e-4) { l2Normalize($0[0]) },
            GradCheckCase("meanSquaredError", .meanSquaredError, "MeanSquaredError.swift", shapes: [[3, 4]], tolerance: 2e-4) {
                meanSquaredError($0[0], target: target)
            },
            // The last target row is zero: its cosine is the constant 0 and it sends no gradient.
            GradCheckCase("cosineDistance", .cosineDistance, "CosineDistance.swift", shapes: [[3, 4]], tolerance: 5e-4) {
                cosineDistance($0[0], target: target)
            },
        ]
    }
}
