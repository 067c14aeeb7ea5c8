// Data-parallel MLM passes (DataParallelStep.swift): splitting a batch into runs of sequences,
// each on its own tape, must give the whole batch's loss and gradients (to rounding), and the
// split must renumber masked positions into each part; the parts' correct predictions are counted
// as the whole batch's (countCorrect, by hand).

import Autograd
import Encoder
import NeuralNetwork
@testable import Pretraining
import TensorCore
import Testing
import TestSupport

@Suite struct DataParallelStepTests {
    /// Masked-token accuracy counts a row when its target holds the row's largest logit and no
    /// earlier column ties with it. Rows: [1, 3, 3] (max at 1 first, target 2: no), [2, 0, 1]
    /// (target 0: yes), [0, 0, 0] (target 0: yes), and a row of 20 with the maximum 5 at column 17
    /// (past the sixteen-lane block, target 17: yes).
    @Test func correctPredictionsAreCountedByHand() {
        var wide = [Float](repeating: 1, count: 20)
        wide[17] = 5
        let narrow = Tensor(shape: [3, 3], scalars: [1, 3, 3, 2, 0, 1, 0, 0, 0])
        #expect(countCorrect(narrow, targets: [2, 0, 0]) == 2)
        #expect(countCorrect(narrow, targets: [1, 1, 2]) == 1)
        #expect(countCorrect(Tensor(shape: [1, 20], scalars: wide), targets: [17]) == 1)
        #expect(countCorrect(Tensor(shape: [1, 20], scalars: wide), targets: [3]) == 0)
    }

    /// Rows of length T = 5: positions 1, 7, 8 and 14 lie in rows 0, 1, 1 and 2.
    @Test func rowsRenumberMaskedPositions() {
        let input = EncoderInput(sequences: [[2, 5, 6, 3], [2, 7, 8, 9, 3], [2, 4, 3]], padId: 0)
        let batch = MaskedBatch(input: input, maskedPositions: [1, 7, 8, 11], targets: [10, 11, 12, 13])
        let tail = batch.rows(1..<3)
        #expect(tail.input.batch == 2 && tail.input.length == 5)
        #expect(tail.maskedPositions == [2, 3, 6])    // 7 − 5, 8 − 5, 11 − 5
        #expect(tail.targets == [11, 12, 13])
        #expect(batch.rows(0..<1).maskedPositions == [1])
    }

    /// Seven padded sequences, 20% of real tokens masked; no dropout, so every split computes the
    /// same function. Parts 2 and 3 against the whole batch (parts 1): loss to 1e-6, every
    /// parameter's gradient to 1e-5 of its scale; and parts 1 equals the plain one-tape pass
    /// (`maskedPositionsLoss`, which MaskedRowsTests holds to the full pass).
    @Test func dataParallelStepMatchesTheWholeBatch() throws {
        let config = EncoderConfig(vocabularySize: 30, width: 16, layerCount: 2, headCount: 2, intermediateSize: 24,
                                   maxPositions: 16, hiddenDropout: 0, attentionDropout: 0, initializerRange: 0.2)
        var generator = SeededGenerator(seed: 9)
        let lengths = [12, 5, 9, 12, 3, 7, 10]
        let sequences = lengths.map { n in (0..<n).map { _ in 5 + generator.nextInt(below: 25) } }
        let input = EncoderInput(sequences: sequences, padId: 0)
        var positions: [Int] = [], targets: [Int] = []
        for (row, n) in lengths.enumerated() {
            for column in 0..<n where generator.nextInt(below: 5) == 0 {
                positions.append(row * input.length + column)
                targets.append(sequences[row][column])
            }
        }
        let batch = MaskedBatch(input: input, maskedPositions: positions, targets: targets)
        func run(parts: Int) -> (loss: Float, correct: Int, gradients: [[Float]]) {
            let model = MaskedLanguageModel(config: config, seed: 4)
            var streams = SeededGenerator(seed: 1)
            let result = maskedLMPasses(model: model, batch: batch, parts: parts, scale: 0.5, generator: &streams)
            return (result.loss, result.correct, model.parameters().map { $0.parameter.gradient?.scalars ?? [] })
        }
        let whole = run(parts: 1)
        // The plain pass: one tape, seeded with the same 0.5.
        let model = MaskedLanguageModel(config: config, seed: 4)
        let context = ForwardContext.training(generator: SeededGenerator(seed: 0))
        let plain = model.maskedPositionsLoss(input, maskedPositions: positions, targets: targets, context: context).loss
        context.tape!.backward(from: plain, seed: Tensor(scalar: 0.5))
        context.accumulateGradients()
        #expect(whole.loss == plain.value.scalar)
        #expect(whole.gradients == model.parameters().map { $0.parameter.gradient?.scalars ?? [] })
        for parts in [2, 3] {
            let split = run(parts: parts)
            #expect(abs(split.loss - whole.loss) <= 1e-6 * whole.loss)
            #expect(split.correct == whole.correct)
            let names = MaskedLanguageModel(config: config, seed: 4).parameters().map(\.name)
            for (name, (a, b)) in zip(names, zip(split.gradients, whole.gradients)) {
                #expect(a.count == b.count && !a.isEmpty, "\(name)")
                // The key bias's exact gradient is 0 (a shift of every score of a query, which the
                // softmax ignores): there both sides are rounding noise, hence the floor.
                #expect(maxScaledError(a, b, floor: 1e-3) < 1e-5, "\(name)")
            }
        }
    }
}
