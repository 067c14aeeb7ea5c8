// Sentence distillation on the tiny BERT fixture as teacher: the held-out loss falls, the
// teacher-vector cache is reused, refused when it belongs to another teacher or corpus, and
// continued after a kill; a resumed run is bit-identical; data-parallel parts give the
// whole batch's gradient; the masked-LM term trains the head.
import Encoder
import Foundation
import NeuralNetwork
import TensorCore
import Testing
import TestSupport
@testable import Pretraining

@Suite(.serialized) struct SentenceDistillationTests {
    static let teacherURL = fixtureURL("HuggingFace/tiny-bert")
    static let corpusURL = fixtureURL("Pretraining/corpus-slice.txt")

    /// The first 240 usable corpus lines, the teacher, its vectors of them, and the split.
    struct Setup {
        let teacher: SentenceEmbedder
        let lines: [String]
        let vectors: TeacherVectors
        let tokenizer: BPECorpusTokenizer
        let data: DistillationData
    }

    static func setup(lines count: Int = 240, evaluationLines: Int = 40) throws -> Setup {
        let teacher = try SentenceEmbedder(folder: teacherURL)
        let lines = Array(try DistillationData.usableLines(of: corpusURL).prefix(count))
        let identity = TeacherVectors.Identity(teacherHash: "t", corpusHash: "c", lines: lines.count, dimension: 32, normalized: true)
        let values = try teacher.embed(lines).flatMap { $0 }
        let vectors = TeacherVectors(identity: identity, vectors: Tensor(shape: [lines.count, 32], scalars: values))
        let tokenizer = try BPECorpusTokenizer(teacher.tokenizer)
        let data = try DistillationData.make(lines: lines, tokenizer: tokenizer, maximumLength: 32, evaluationLines: evaluationLines, seed: 3)
        return Setup(teacher: teacher, lines: lines, vectors: vectors, tokenizer: tokenizer, data: data)
    }

    /// 1 layer × 16 wide over the teacher's 1,813 ids: a projection 16 → 32 is made.
    static func student(seed: UInt64 = 1, dropout: Float = 0.1) -> SentenceStudent {
        let config = EncoderConfig(vocabularySize: 1813, width: 16, layerCount: 1, headCount: 2, intermediateSize: 32,
                                   maxPositions: 64, hiddenDropout: dropout, attentionDropout: 0)
        return SentenceStudent(model: MaskedLanguageModel(config: config, seed: seed), teacherWidth: 32, seed: seed)
    }

    static func configuration(steps: Int) -> DistillationConfiguration {
        var configuration = DistillationConfiguration()
        configuration.steps = steps
        configuration.batchSize = 16
        configuration.warmupSteps = 2
        configuration.peakLearningRate = 3e-3
        configuration.maximumLength = 32
        configuration.evaluationLines = 40
        configuration.evaluateEvery = 0
        return configuration
    }

    @Test func heldOutLossFalls() throws {
        let setup = try Self.setup()
        let trainer = try DistillationTrainer(student: Self.student(), data: setup.data, teacher: setup.vectors,
                                              configuration: Self.configuration(steps: 40), masker: nil)
        let before = try #require(trainer.evaluate())
        try trainer.run()
        let after = try #require(trainer.evaluations.last)
        #expect(after.mse < 0.5 * before.mse, "held-out MSE \(before.mse) → \(after.mse)")
        #expect(after.cosine > before.cosine + 0.2, "cosine to the teacher \(before.cosine) → \(after.cosine)")
        #expect(setup.data.train.count == 200 && setup.data.evaluation.count == 40)
    }

    @Test func resumedRunIsBitIdentical() throws {
        let setup = try Self.setup()
        let configuration = Self.configuration(steps: 10)
        let whole = try DistillationTrainer(student: Self.student(), data: setup.data, teacher: setup.vectors, configuration: configuration, masker: nil)
        try whole.run()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("distill-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let first = try DistillationTrainer(student: Self.student(), data: setup.data, teacher: setup.vectors, configuration: configuration, masker: nil)
        let files = StudentFiles(tokenizerJSON: nil, textSettings: .init(maxSequenceLength: 32, lowercasesInput: false), normalize: true)
        try first.run(checkpoint: (folder, files), stopAfter: 6)
        let resumed = try DistillationCheckpoint.resume(from: folder, data: setup.data, teacher: setup.vectors, masker: nil)
        #expect(resumed.state.step == 6)
        try resumed.run()
        for (a, b) in zip(whole.student.parameters(), resumed.student.parameters()) {
            #expect(a.name == b.name)
            #expect(a.parameter.value.scalars == b.parameter.value.scalars, "\(a.name) differs after resuming")
        }
        for (a, b) in zip(whole.optimizer.stateTensors(), resumed.optimizer.stateTensors()) {
            #expect(a.tensor.scalars == b.tensor.scalars, "\(a.name) differs after resuming")
        }
    }

    /// Two parts (one per thread, each on its own tape) give the whole batch's gradient (without
    /// dropout, whose masks differ between the parts' streams).
    @Test func dataParallelPartsGiveTheWholeBatchGradient() throws {
        let setup = try Self.setup()
        var gradients: [[Float]] = []
        for threads in [1, 2] {
            let saved = Threads.count
            Threads.count = threads
            defer { Threads.count = saved }
            let student = Self.student(dropout: 0)
            let trainer = try DistillationTrainer(student: student, data: setup.data, teacher: setup.vectors,
                                                  configuration: Self.configuration(steps: 1), masker: nil)
            let sequences = (0..<16).map { setup.data.train[$0] }
            _ = try trainer.passes(sequences: sequences, rows: Array(setup.data.trainRows.prefix(16)), scale: 1, step: 1)
            gradients.append(student.parameters().flatMap { $0.parameter.gradient?.scalars ?? [] })
        }
        #expect(maxScaledError(gradients[1], gradients[0]) < 1e-5)
    }

    @Test func maskedLMTermTrainsTheHead() throws {
        let setup = try Self.setup()
        var configuration = Self.configuration(steps: 2)
        configuration.maskedLMWeight = 0.5
        let masker = DynamicMasker(configuration: configuration.masking, special: setup.tokenizer.specialTokens,
                                   vocabularySize: setup.tokenizer.vocabularySize, wordStarts: setup.tokenizer.wordStartTable())
        let student = Self.student()
        let before = student.model.head.transform.weight.value.scalars
        let trainer = try DistillationTrainer(student: student, data: setup.data, teacher: setup.vectors, configuration: configuration, masker: masker)
        let report = try trainer.step()   // step 1 of the warm-up has learning rate 0
        let loss = try #require(report.maskedLMLoss)
        // Random logits over 1,813 ids: the loss starts near ln 1813 = 7.50.
        #expect(abs(loss - 7.5) < 1)
        _ = try trainer.step()
        let moved = student.model.head.transform.weight.value.scalars != before
        #expect(moved, "the masked-LM head did not change in two steps")
        // Without the term the head is not among the optimiser's parameters.
        let plain = try DistillationTrainer(student: Self.student(), data: setup.data, teacher: setup.vectors,
                                            configuration: Self.configuration(steps: 1), masker: nil)
        #expect(!plain.optimizer.parameters.contains { $0.name.hasPrefix("head.") })
    }

    // MARK: - The teacher-vector cache

    @Test func cacheIsComputedReusedAndContinued() throws {
        let setup = try Self.setup(lines: 150)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cache-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let corpus = folder.appendingPathComponent("corpus.txt")
        try (setup.lines.joined(separator: "\n") + "\n").write(to: corpus, atomically: true, encoding: .utf8)
        let identity = try TeacherVectors.identity(teacher: setup.teacher, teacherFolder: Self.teacherURL, corpus: corpus, lines: setup.lines.count)
        let url = folder.appendingPathComponent("cache.safetensors")
        let expected = try setup.teacher.embed(setup.lines).flatMap { $0 }

        // A killed run left one whole chunk of 64 rows and a torn row: the run continues from there.
        let partial = PartialVectors(url: url.appendingPathExtension("partial"), identity: identity)
        _ = try partial.resume()
        try partial.append(try setup.teacher.embed(Array(setup.lines.prefix(64))))
        let handle = try FileHandle(forWritingTo: partial.url)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(repeating: 7, count: 10))
        try handle.close()
        var reported: [Int] = []
        let computed = try TeacherVectors.compute(at: url, identity: identity, teacher: setup.teacher, lines: setup.lines, chunkSize: 64) { done, _ in
            reported.append(done)
        }
        #expect(reported == [64, 128, 150])
        #expect(computed.vectors.scalars == expected)
        #expect(!FileManager.default.fileExists(atPath: partial.url.path))

        // Reused: what is read is the file (a value changed in it comes back).
        var altered = computed.vectors
        altered.withUnsafeMutableBufferPointer { $0[0] = 42 }
        try Safetensors.write([(name: "vectors", tensor: altered)], metadata: identity.metadata, to: url)
        #expect(try TeacherVectors.load(url, expecting: identity)?.vectors.scalars.first == 42)

        // Refused for another corpus or teacher, naming the field.
        var otherCorpus = identity
        otherCorpus.corpusHash = "0000000000000000"
        #expect(throws: DistillationError.cacheMismatch(cache: url.path, field: "corpus_hash", expected: "0000000000000000", found: identity.corpusHash)) {
            try TeacherVectors.load(url, expecting: otherCorpus)
        }
        var otherTeacher = identity
        otherTeacher.teacherHash = try TeacherVectors.teacherHash(folder: fixtureURL("HuggingFace/minilm-excerpt"))
        #expect(otherTeacher.teacherHash != identity.teacherHash)
        #expect(throws: DistillationError.self) { try TeacherVectors.load(url, expecting: otherTeacher) }
        #expect(try TeacherVectors.load(folder.appendingPathComponent("absent.safetensors"), expecting: identity) == nil)
    }
}
