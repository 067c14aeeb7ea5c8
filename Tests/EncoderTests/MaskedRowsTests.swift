// The last block at chosen positions only (TransformerEncoder.hiddenStates(_:rows:context:) and
// MaskedLanguageModel.maskedPositionsLoss): the hidden states at those rows, the loss and every
// parameter's gradient must be those of the full pass, for post-LN and pre-LN models, in a padded
// batch where one sequence has no chosen position at all.

import Autograd
@testable import Encoder
import NeuralNetwork
import Testing
import TensorCore
import TestSupport

@Suite struct MaskedRowsTests {
    static func config(preLayerNorm: Bool, layers: Int = 2) -> EncoderConfig {
        var config = EncoderConfig(vocabularySize: 30, width: 16, layerCount: layers, headCount: 2, intermediateSize: 24,
                                   maxPositions: 16, hiddenDropout: 0, attentionDropout: 0, initializerRange: 0.2)
        config.preLayerNorm = preLayerNorm
        return config
    }

    /// Five padded sequences; rows 1, 3, 13 (second sequence), 30, 31, 34 (fourth). The third and
    /// fifth sequences have none, the first has two.
    static let lengths = [9, 6, 12, 8, 4]
    static let rows = [1, 3, 13, 30, 31, 34]

    static func input() -> EncoderInput {
        var generator = SeededGenerator(seed: 21)
        return EncoderInput(sequences: lengths.map { n in (0..<n).map { _ in 5 + generator.nextInt(below: 25) } }, padId: 0)
    }

    @Test(arguments: [false, true]) func hiddenStatesAtRowsEqualTheFullPass(preLayerNorm: Bool) {
        let encoder = TransformerEncoder(config: Self.config(preLayerNorm: preLayerNorm), seed: 3)
        let input = Self.input()
        #expect(input.length == 12)
        let full = encoder(input, context: .inference()).hidden.value.scalars   // [5, 12, 16]
        let expected = Self.rows.flatMap { full[($0 * 16)..<($0 * 16 + 16)] }
        let rows = encoder.hiddenStates(input, rows: Self.rows, context: .inference()).hidden.value
        #expect(rows.shape == [6, 16])
        #expect(maxScaledError(rows.scalars, Array(expected)) < 1e-6)
        // A different row order gives the same rows in that order.
        let reversed = encoder.hiddenStates(input, rows: Self.rows.reversed(), context: .inference()).hidden.value.scalars
        #expect(maxScaledError(reversed, Array(Self.rows.reversed().flatMap { full[($0 * 16)..<($0 * 16 + 16)] })) < 1e-6)
    }

    @Test(arguments: [false, true]) func maskedPositionsLossEqualsTheFullLoss(preLayerNorm: Bool) {
        let config = Self.config(preLayerNorm: preLayerNorm, layers: 3)
        let input = Self.input()
        let targets = [7, 11, 5, 29, 8, 16]
        func run(_ sparse: Bool) -> (loss: Float, gradients: [(String, [Float])]) {
            let model = MaskedLanguageModel(config: config, seed: 8)
            let context = ForwardContext.training(generator: SeededGenerator(seed: 0))
            let loss = sparse
                ? model.maskedPositionsLoss(input, maskedPositions: Self.rows, targets: targets, context: context).loss
                : model.loss(input, maskedPositions: Self.rows, targets: targets, context: context).loss
            context.tape!.backward(from: loss)
            context.accumulateGradients()
            return (loss.value.scalar, model.parameters().map { ($0.name, $0.parameter.gradient?.scalars ?? []) })
        }
        let full = run(false), sparse = run(true)
        #expect(abs(sparse.loss - full.loss) <= 1e-6 * full.loss)
        #expect(full.loss > 2)   // ln 30 ≈ 3.4 at random weights: a loss, not a degenerate 0
        for ((name, a), (_, b)) in zip(sparse.gradients, full.gradients) {
            #expect(a.count == b.count && !a.isEmpty, "\(name)")
            // The key bias's exact gradient is 0 (the softmax ignores a shift of a query's scores).
            #expect(maxScaledError(a, b, floor: 1e-3) < 1e-5, "\(name)")
        }
    }
}
