// DistillationTrainer: one optimiser step of sentence distillation, and the state that makes a run
// resumable bit for bit. A step is
//   for each of k micro-batches: draw B lines (EpochPlan), look up their teacher vectors t,
//       s = SentenceStudent(lines);  L_j = loss(s, t)  (+ λ·masked-LM loss on a masked copy),
//       backward with seed 1/k;
//   check every gradient for NaN/Inf; clip the global norm; AdamW at lr(step); zero.
// With several threads a micro-batch runs as data-parallel parts (DataParallelStep.swift): both
// terms are means over the batch, so part i is weighted by its share of the lines (and of the
// masked positions), and the parts' gradients are added in order.
// Everything random (data order, masks, dropout) comes from the seed and the saved generator.
// Reference: Reimers & Gurevych (2020) for the objective; HF Trainer's loop for the rest.
// Not handled: teacher passes during training (the vectors are cached: TeacherVectors.swift).

import Autograd
import Encoder
import Foundation
import NeuralNetwork
import TensorCore

/// What one distillation step did.
public struct DistillationStepReport: Codable, Equatable, Sendable {
    public var step: Int
    /// The distillation term (mean over the micro-batches).
    public var loss: Float
    /// The masked-LM term when it is on.
    public var maskedLMLoss: Float?
    public var learningRate: Float
    /// ‖g‖₂ before clipping.
    public var gradientNorm: Float
    public var tokens: Int
    public var seconds: Double
}

/// Trains a `SentenceStudent` towards cached teacher vectors.
public final class DistillationTrainer {
    public let student: SentenceStudent
    public let data: DistillationData
    public let teacher: TeacherVectors
    public let configuration: DistillationConfiguration
    /// Masks for the masked-LM term (nil when it is off).
    public let masker: DynamicMasker?
    public let optimizer: AdamW
    public internal(set) var state: TrainerState
    /// Every held-out evaluation so far.
    public internal(set) var evaluations: [DistillationEvaluation] = []
    private var plans: EpochPlans

    /// - Throws: `DistillationError` for a bad configuration, a corpus smaller than one batch, a
    ///   student whose output width is not the teacher's, or sequences longer than its positions.
    public init(student: SentenceStudent, data: DistillationData, teacher: TeacherVectors, configuration: DistillationConfiguration,
                masker: DynamicMasker?, state: TrainerState? = nil) throws {
        try configuration.validate()
        guard data.train.count >= configuration.batchSize else {
            throw DistillationError.noUsableLines(corpus: "the corpus", reason: "\(data.train.count) training lines for a batch of \(configuration.batchSize)")
        }
        guard student.outputWidth == teacher.identity.dimension else {
            throw DistillationError.invalidOption(option: "--init-from", problem: "gives a student whose vectors are \(student.outputWidth) wide, but the teacher's are \(teacher.identity.dimension)",
                                                  fix: "Start from a student made for this teacher, or from a preset")
        }
        let config = student.model.encoder.config
        guard configuration.maximumLength <= config.maxPositions else {
            throw DistillationError.invalidOption(option: "--max-length", problem: "is \(configuration.maximumLength) but the student has \(config.maxPositions) positions",
                                                  fix: "Use at most \(config.maxPositions)")
        }
        guard configuration.maskedLMWeight == 0 || masker != nil else {
            throw DistillationError.invalidOption(option: "--mlm-weight", problem: "is set but no masker was given", fix: "Pass the student tokenizer's masker")
        }
        self.student = student
        self.data = data
        self.teacher = teacher
        self.configuration = configuration
        self.masker = masker
        self.state = state ?? TrainerState(seed: configuration.seed)
        var parameters = student.parameters()
        if configuration.maskedLMWeight == 0 { parameters.removeAll { $0.name.hasPrefix("head.") } }  // the head is not trained
        optimizer = AdamW(parameters: parameters, configuration: configuration.optimizer)
        plans = EpochPlans(lengths: (0..<data.train.count).map { data.train.length(of: $0) },
                           batchSize: configuration.batchSize, groupSize: configuration.lengthGroupSize, seed: configuration.seed)
    }

    /// The epoch plan in use (made on demand).
    public func epochPlan() -> EpochPlan {
        epochPlan(epoch: state.epoch)
    }

    /// The plan of `epoch` (kept until another epoch's is asked for).
    func epochPlan(epoch: Int) -> EpochPlan {
        plans.plan(epoch: epoch)
    }

    /// The next micro-batch's training indices; advances the data position.
    func nextBatchIndices() -> [Int] {
        state.advance { epochPlan(epoch: $0.epoch) }.map { Int($0) }
    }

    /// Rows `rows` of the teacher vectors, [n, Dₜ].
    func teacherTargets(_ rows: [Int32]) -> Tensor {
        let width = teacher.identity.dimension
        var values = [Float](repeating: 0, count: rows.count * width)
        teacher.vectors.withUnsafeBufferPointer { source in
            for (index, row) in rows.enumerated() {
                for column in 0..<width { values[index * width + column] = source[Int(row) * width + column] }
            }
        }
        return Tensor(shape: [rows.count, width], scalars: values)
    }

    // MARK: - One step

    /// Draws `accumulationSteps` micro-batches and takes one optimiser step on them.
    /// - Throws: `DistillationError.nonFinite` before any update is made.
    public func step() throws -> DistillationStepReport {
        let start = monotonicSeconds()
        let stepNumber = state.step + 1
        let learningRate = configuration.schedule.rate(at: state.step)
        let parameters = optimizer.parameters
        for entry in parameters { entry.parameter.zeroGradient() }
        let k = configuration.accumulationSteps
        var distillSum: Float = 0, maskedSum: Float = 0, tokens = 0
        for _ in 0..<k {
            let indices = nextBatchIndices()
            let sequences = indices.map { data.train[$0] }
            let result = try passes(sequences: sequences, rows: indices.map { data.trainRows[$0] }, scale: 1 / Float(k), step: stepNumber)
            distillSum += result.distill
            maskedSum += result.maskedLM
            tokens += sequences.reduce(0) { $0 + $1.count }
        }
        if let name = firstNonFiniteGradient(parameters) {
            throw DistillationError.nonFinite(step: stepNumber, what: "the gradient of \(name)")
        }
        let gradients = parameters.map(\.parameter)
        let norm = configuration.maxGradientNorm.map { clipGradientNorm(gradients, maxNorm: $0) } ?? globalGradientNorm(gradients)
        optimizer.update(learningRate: learningRate)
        for entry in parameters { entry.parameter.zeroGradient() }
        BufferPool.shared.raiseLimitToPeakLive()
        let seconds = monotonicSeconds() - start
        state.step = stepNumber
        state.tokensSeen += tokens
        state.trainingSeconds += seconds
        return DistillationStepReport(step: stepNumber, loss: distillSum / Float(k),
                                      maskedLMLoss: configuration.maskedLMWeight > 0 ? maskedSum / Float(k) : nil,
                                      learningRate: learningRate, gradientNorm: norm, tokens: tokens, seconds: seconds)
    }

    /// Forward and backward of one micro-batch in data-parallel parts; returns its two terms.
    func passes(sequences: [ArraySlice<Int32>], rows: [Int32], scale: Float, step: Int) throws -> (distill: Float, maskedLM: Float) {
        let B = sequences.count
        let input = EncoderInput(sequences: sequences.map { $0.map(Int.init) }, padId: student.model.encoder.config.padTokenId)
        let targets = teacherTargets(rows)                                                 // [B, Dₜ]
        var generator = state.generator
        var maskGenerator = generator.split()
        let masked = masker.map { $0.batch(sequences, generator: &maskGenerator) }
        let parts = max(1, min(Threads.count, B))
        let ranges = (0..<parts).map { chunkRange($0, of: parts, count: B) }
        let totalMasked = Float(masked?.targets.count ?? 0)
        let distill = UnsafeMutablePointer<Float>.allocate(capacity: parts), mlm = UnsafeMutablePointer<Float>.allocate(capacity: parts)
        distill.initialize(repeating: 0, count: parts)
        mlm.initialize(repeating: 0, count: parts)
        defer { distill.deallocate(); mlm.deallocate() }
        let lambda = configuration.maskedLMWeight
        let result = dataParallelPasses(parts: parts, scale: scale, generator: &generator) { index, context in
            let range = ranges[index]
            let piece = parts == 1 ? input : input.rows(range)
            let pieceTargets = parts == 1 ? targets : targets.rows(range)
            let vectors = student.sentenceVectors(piece, context: context)                   // [n, Dₜ]
            let term = configuration.loss == .mse ? meanSquaredError(vectors, target: pieceTargets)
                                                  : cosineDistance(vectors, target: pieceTargets)
            distill[index] = term.value.scalar
            var objective = parts == 1 ? term : Autograd.scale(term, by: Float(range.count) / Float(B))
            if let masked, lambda > 0 {
                let maskedPiece = parts == 1 ? masked : masked.rows(range)
                if !maskedPiece.targets.isEmpty {
                    let (loss, _) = student.model.maskedPositionsLoss(maskedPiece.input, maskedPositions: maskedPiece.maskedPositions,
                                                                      targets: maskedPiece.targets, context: context)
                    mlm[index] = loss.value.scalar
                    objective = objective + Autograd.scale(loss, by: lambda * Float(maskedPiece.targets.count) / totalMasked)
                }
            }
            return (objective, 1)
        }
        state.generator = generator
        if result.nonFinite != nil { throw DistillationError.nonFinite(step: step, what: "the loss") }
        var distillMean: Float = 0, mlmMean: Float = 0
        for index in 0..<parts {
            distillMean += parts == 1 ? distill[index] : distill[index] * Float(ranges[index].count) / Float(B)
            if let masked, lambda > 0, !masked.targets.isEmpty {
                let share = parts == 1 ? 1 : Float(masked.rows(ranges[index]).targets.count) / totalMasked
                mlmMean += mlm[index] * share
            }
        }
        return (distillMean, mlmMean)
    }
}

extension Tensor {
    /// Rows `range` of a [N, D] tensor.
    func rows(_ range: Range<Int>) -> Tensor {
        let width = shape[1]
        return Tensor(shape: [range.count, width], scalars: Array(scalars[(range.lowerBound * width)..<(range.upperBound * width)]))
    }
}
