// The distillation term (DistillationObjective.swift): its value against a hand computation, its
// gradient against central differences, the teacher's averaged and normalised rows, and a tiny run
// in which the term falls while the masked-LM loss still falls.
import Autograd
import Foundation
import Pretraining
import WordVectors
import TensorCore
import Testing

@Suite struct DistillationTests {
    @Test func valueMatchesHandComputation() {
        // p = [3, 4] → â = [0.6, 0.8], t̂ = [1, 0]: ½(0.4² + 0.8²) = 0.4.
        // p = [0, 2] → â = [0, 1], t̂ = 0 (no known word): ½ · 1 = 0.5. Mean 0.45.
        let pooled = Variable(constant: Tensor(shape: [2, 2], scalars: [3, 4, 0, 2]))
        let teacher = Tensor(shape: [2, 2], scalars: [1, 0, 0, 0])
        #expect(abs(distillationLoss(pooled: pooled, teacher: teacher).value.scalar - 0.45) < 1e-6)
        // The same direction at any length costs nothing.
        let aligned = Variable(constant: Tensor(shape: [1, 2], scalars: [5, 0]))
        #expect(abs(distillationLoss(pooled: aligned, teacher: Tensor(shape: [1, 2], scalars: [1, 0])).value.scalar) < 1e-7)
    }

    @Test func gradientMatchesCentralDifferences() {
        var generator = SeededGenerator(seed: 5)
        let pooled = generator.normal(shape: [3, 4])
        let raw = generator.normal(shape: [3, 4]).scalars
        var teacher = [Float](repeating: 0, count: 12)
        for row in 0..<2 {   // rows 0 and 1 unit length, row 2 zero (no known word)
            let norm = raw[(row * 4)..<(row * 4 + 4)].reduce(0) { $0 + $1 * $1 }.squareRoot()
            for column in 0..<4 { teacher[row * 4 + column] = raw[row * 4 + column] / norm }
        }
        let target = Tensor(shape: [3, 4], scalars: teacher)
        let results = gradCheck([pooled], tolerance: 5e-4) { distillationLoss(pooled: $0[0], teacher: target) }
        #expect(results.allSatisfy { $0.passed }, "\(results)")
    }

    @Test func teacherAveragesTheKnownWordsAndNormalises() throws {
        let vectors = KeyedVectors(words: ["cat", "dog"], vectors: Tensor(shape: [2, 2], scalars: [2, 0, 0, 1]))
        let texts = [7: "The Cat,", 8: "dog!", 9: "unknown"]
        let teacher = SentenceTeacher(vectors: vectors) { ids in ids.compactMap { texts[$0] }.joined(separator: " ") }
        let rows = try teacher.targets(for: [[7, 8], [9], [8]]).scalars
        // "the cat, dog!": mean of [2, 0] and [0, 1] = [1, 0.5] → [0.894427, 0.447214].
        #expect(abs(rows[0] - 0.894427) < 1e-5 && abs(rows[1] - 0.447214) < 1e-5, "\(rows)")
        #expect(rows[2] == 0 && rows[3] == 0)
        #expect(rows[4] == 0 && rows[5] == 1)
    }

    @Test func centringSubtractsTheMeanDirection() throws {
        let vectors = KeyedVectors(words: ["cat", "dog"], vectors: Tensor(shape: [2, 2], scalars: [2, 0, 0, 1]))
        // Unit averages: "cat" [1, 0], "dog" [0, 1], "zzz" none (left out): μ = [0.5, 0.5].
        let center = SentenceTeacher.meanDirection(of: ["cat", "dog", "zzz"], vectors: vectors)
        #expect(center == [0.5, 0.5])
        let teacher = SentenceTeacher(vectors: vectors, center: center) { ids in ids == [1] ? "cat" : "cat dog" }
        let rows = try teacher.targets(for: [[1], [2]]).scalars
        // "cat": [1, 0] − μ = [0.5, −0.5] → [0.707107, −0.707107].
        // "cat dog": unit([1, 0.5]) = [0.894427, 0.447214]; − μ = [0.394427, −0.052786], norm 0.397943
        // → [0.991165, −0.132648].
        let expected: [Float] = [0.707107, -0.707107, 0.991165, -0.132648]
        #expect(zip(rows, expected).allSatisfy { abs($0 - $1) < 1e-5 }, "\(rows)")
    }

    @Test func termFallsInATinyRun() throws {
        var run = try TinyRun(steps: 40)
        run.configuration.peakLearningRate = 1e-2
        run.configuration.warmupSteps = 4
        run.configuration.distillation = DistillationObjective(weight: 1, vectorsPath: "(in memory)")
        // A random 32-wide vector for every piece of the toy tokenizer; the text of a sequence is its pieces.
        let pieces = run.tokenizer.pieces
        var generator = SeededGenerator(seed: 9)
        let vectors = KeyedVectors(words: pieces, vectors: generator.normal(shape: [pieces.count, 32]))
        let trainer = try run.trainer()
        trainer.teacher = SentenceTeacher(vectors: vectors) { ids in ids.filter { $0 > 4 }.map { pieces[$0] }.joined(separator: " ") }
        let recorder = Recorder()
        try trainer.run(observers: [recorder])
        let terms = recorder.steps.compactMap(\.distillationLoss)
        #expect(terms.count == 40)
        let first = terms.prefix(5).reduce(0, +) / 5, last = terms.suffix(5).reduce(0, +) / 5
        #expect(last < first - 0.3, "distillation term \(first) → \(last)")
        let mlmFirst = recorder.steps.prefix(5).map(\.loss).reduce(0, +) / 5
        let mlmLast = recorder.steps.suffix(5).map(\.loss).reduce(0, +) / 5
        #expect(mlmLast < mlmFirst - 0.5, "masked-LM loss \(mlmFirst) → \(mlmLast)")
    }

    @Test func aMissingTeacherOrBadWeightNamesTheField() throws {
        var configuration = PretrainingConfiguration()
        configuration.distillation = DistillationObjective(weight: -1, vectorsPath: "v.bin")
        do { try configuration.validate(); Issue.record("accepted a negative weight") } catch {
            #expect("\(error)".contains("--distill-weight"))
        }
        var run = try TinyRun(steps: 1)
        run.configuration.distillation = DistillationObjective(weight: 1, vectorsPath: "v.bin")
        let trainer = try run.trainer()
        do { _ = try trainer.step(); Issue.record("stepped without a teacher") } catch {
            #expect("\(error)".contains("--distill-vectors"))
        }
    }
}
