// The contrastive sentence term (ContrastiveObjective.swift): its value against hand computations,
// its gradient against central differences, the clean view of a masked batch, and a tiny run in
// which the term falls while the masked-LM loss still falls.
import Autograd
import Foundation
import Encoder
import Pretraining
import TensorCore
import Testing

@Suite struct ContrastiveTests {
    @Test func valueMatchesHandComputation() {
        // â = b̂ = I, τ = 0.5: S = [[2, 0], [0, 2]], each row −log(e²/(e² + 1)) = ln(1 + e⁻²) = 0.126928.
        let identity = Variable(constant: Tensor(shape: [2, 2], scalars: [1, 0, 0, 1]))
        let scaled = Variable(constant: Tensor(shape: [2, 2], scalars: [3, 0, 0, 2]))   // lengths do not matter
        #expect(abs(contrastiveLoss(anchors: identity, positives: scaled, temperature: 0.5).value.scalar - 0.126928) < 1e-5)
        // anchors [1, 0], [1, 1]; positives [1, 0], [0, 1]; τ = 1: S = [[1, 0], [1/√2, 1/√2]].
        // Row 0: ln(1 + e⁻¹) = 0.313262; row 1: −log(½) = 0.693147; mean 0.503204.
        let anchors = Variable(constant: Tensor(shape: [2, 2], scalars: [1, 0, 1, 1]))
        #expect(abs(contrastiveLoss(anchors: anchors, positives: identity, temperature: 1).value.scalar - 0.503204) < 1e-5)
    }

    @Test func gradientMatchesCentralDifferences() {
        var generator = SeededGenerator(seed: 21)
        let anchors = generator.normal(shape: [4, 3])
        let positives = generator.normal(shape: [4, 3])
        let results = gradCheck([anchors, positives], tolerance: 5e-4) {
            contrastiveLoss(anchors: $0[0], positives: $0[1], temperature: 0.5)
        }
        #expect(results.allSatisfy { $0.passed }, "\(results)")
    }

    @Test func unmaskedInputGivesBackTheOriginalIds() throws {
        let special = SpecialTokenIDs(classification: 2, separator: 3, mask: 4, padding: 0, others: [1])
        let masker = DynamicMasker(configuration: MaskingConfiguration(probability: 0.5), special: special,
                                   vocabularySize: 50, wordStarts: Array(repeating: true, count: 50))
        let sequences: [ArraySlice<Int32>] = [[2, 10, 11, 12, 13, 14, 3], [2, 20, 21, 3]]
        var generator = SeededGenerator(seed: 8)
        let batch = masker.batch(sequences, generator: &generator)
        #expect(batch.targets.count >= 2)
        let clean = batch.unmaskedInput(padId: 0)
        #expect(clean.ids == [2, 10, 11, 12, 13, 14, 3, 2, 20, 21, 3, 0, 0, 0])
        #expect(clean.lengths == [7, 4])
        #expect(clean.mask.scalars == batch.input.mask.scalars)
    }

    @Test func termFallsInATinyRun() throws {
        var run = try TinyRun(steps: 40)
        run.configuration.peakLearningRate = 1e-2
        run.configuration.warmupSteps = 4
        run.configuration.contrastive = ContrastiveObjective(weight: 1, temperature: 0.1)
        let trainer = try run.trainer(dropout: 0.1)
        let recorder = Recorder()
        try trainer.run(observers: [recorder])
        let terms = recorder.steps.compactMap(\.contrastiveLoss)
        #expect(terms.count == 40)
        // At the start the B = 8 pooled vectors are nearly alike: the term is near ln 8 = 2.08.
        #expect(abs(terms[0] - log(8)) < 0.7, "first term \(terms[0])")
        let first = terms.prefix(5).reduce(0, +) / 5, last = terms.suffix(5).reduce(0, +) / 5
        #expect(last < first - 0.5, "contrastive term \(first) → \(last)")
        let mlmFirst = recorder.steps.prefix(5).map(\.loss).reduce(0, +) / 5
        let mlmLast = recorder.steps.suffix(5).map(\.loss).reduce(0, +) / 5
        #expect(mlmLast < mlmFirst - 0.5, "masked-LM loss \(mlmFirst) → \(mlmLast)")
    }

    @Test func badSettingsNameTheField() {
        var configuration = PretrainingConfiguration()
        configuration.contrastive = ContrastiveObjective(weight: 1, temperature: 0)
        #expect(throws: PretrainingError.self) { try configuration.validate() }
        do { try configuration.validate() } catch { #expect("\(error)".contains("--temperature")) }
    }
}
