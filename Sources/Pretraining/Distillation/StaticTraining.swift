// StaticTraining: a static model's table trained on a teacher's sentence vectors, after the
// Model2Vec recipe has given it a start (the idea of Model2Vec's "tokenlearn"). A text's static
// vector is the mean of its tokens' rows; here that mean is asked to equal the teacher's vector of
// the text, seen through a D-dimensional basis U of the teacher's vectors:
//   s(x) = (1/|x|) Σ_{t∈x} E[t]            [D]
//   L = (1/(B·D)) Σ_b ‖s(x_b) − Uᵀ y_b‖²    (MeanSquaredError.swift; y_b the cached teacher vector)
// U holds the top-D eigenvectors of the teacher vectors' second moment YᵀY/N (not centred, so the
// direction all of them share is kept and cosines in the basis stay close to the teacher's). The
// gradient reaches only the rows of the batch's tokens (Embedding.swift's scatter-add), each row
// getting 1/|x| of its text's error per occurrence. The table is trained with Adam (no weight decay).
// What this adds to the recipe: rows learnt from tokens in real sentences, not from each token
// alone, so frequent words weigh what the teacher makes them weigh in context.
// Not handled: a projection after the mean (the targets are brought to D instead), subword
// regularisation.

import Autograd
import Encoder
import Evaluation
import Foundation
import NeuralNetwork
import TensorCore
import WordVectors

// B lines, T tokens (the longest line of the batch), D the static width, C the teacher's width.

/// The choices of static training.
public struct StaticTrainingConfiguration: Codable, Equatable, Sendable {
    public var epochs: Int = 4
    public var batchSize: Int = 256
    public var learningRate: Float = 1e-2
    /// Tokens per line kept (longer lines are cut).
    public var maximumLength: Int = 256
    /// Held-out lines (paired for the agreement figure).
    public var evaluationLines: Int = 4000
    public var seed: UInt64 = 0

    public init() {}
}

public enum StaticTraining: Sendable {
    /// U: the top-`dimension` eigenvectors of YᵀY/N for the teacher vectors Y [N, C], as [C, D]
    /// (each column's largest entry made positive).
    public static func targetBasis(_ vectors: Tensor, dimension: Int) -> Tensor {
        let (N, C) = (vectors.shape[0], vectors.shape[1])
        let second = matmul(vectors, vectors, transposeA: true).scalars.map { Double($0) / Double(max(N, 1)) }   // [C, C]
        let (_, eigenvectors) = symmetricEigen(second, size: C)
        var basis = [Float](repeating: 0, count: C * dimension)
        for k in 0..<dimension {
            var column = (0..<C).map { eigenvectors[$0 * C + k] }
            if let largest = column.max(by: { abs($0) < abs($1) }), largest < 0 { column = column.map { -$0 } }
            for i in 0..<C { basis[i * dimension + k] = Float(column[i]) }
        }
        return Tensor(shape: [C, dimension], scalars: basis)
    }

    /// Trains `model.table` in place so that mean rows match the teacher vectors through `basis`.
    ///
    /// - Parameters:
    ///   - lines: the corpus's usable lines (row n of `teacher` is line n).
    ///   - basis: U, [C, D] with D the table's width.
    ///   - progress: told (epoch, step within the epoch, steps per epoch) and the last held-out
    ///     agreement after each epoch.
    /// - Returns: the held-out agreement (Spearman of pair cosines with the teacher) after each epoch.
    @discardableResult
    public static func train(_ model: inout StaticEmbedder, lines: [String], teacher: TeacherVectors, basis: Tensor,
                             configuration: StaticTrainingConfiguration,
                             progress: (_ epoch: Int, _ step: Int, _ steps: Int, _ agreement: Double?) -> Void = { _, _, _, _ in }) throws -> [Double] {
        let D = model.dimension
        precondition(basis.shape == [teacher.identity.dimension, D], "StaticTraining: basis \(basis.shape) for \(teacher.identity.dimension) → \(D)")
        let targets = matmul(teacher.vectors, basis)                                            // [N, D]
        // Lines as token ids (no special tokens), cut; lines without a token are left out.
        var ids: [[Int]] = []
        var rows: [Int] = []
        for (index, tokens) in try model.tokenize(lines).enumerated() where !tokens.isEmpty {
            ids.append(Array(tokens.prefix(configuration.maximumLength)))
            rows.append(index)
        }
        guard ids.count > configuration.evaluationLines + configuration.batchSize else {
            throw DistillationError.noUsableLines(corpus: "the corpus", reason: "\(ids.count) lines with tokens for \(configuration.evaluationLines) held out and batches of \(configuration.batchSize)")
        }
        // The held-out lines are distill's (DistillationData.heldOutOrder, same seed), in its pair
        // order; the rest is shuffled by a stream of its own.
        var position = [Int](repeating: -1, count: lines.count)   // line number → index in ids
        for (index, row) in rows.enumerated() { position[row] = index }
        let heldOut = DistillationData.heldOutOrder(lineCount: lines.count, seed: configuration.seed)
            .prefix(configuration.evaluationLines).map { position[$0] }.filter { $0 >= 0 }
        var isHeldOut = [Bool](repeating: false, count: ids.count)
        for index in heldOut { isHeldOut[index] = true }
        var generator = SeededGenerator(seed: configuration.seed ^ 0x5354_4154)  // "STAT"
        var training = ids.indices.filter { !isHeldOut[$0] }
        for index in stride(from: training.count - 1, to: 0, by: -1) { training.swapAt(index, generator.nextInt(below: index + 1)) }

        let table = Parameter(model.table, decays: false)
        let optimizer = AdamW(parameters: [NamedParameter(name: "embedding.weight", parameter: table)],
                              configuration: AdamW.Configuration(weightDecay: 0))
        let stepsPerEpoch = training.count / configuration.batchSize
        let schedule = LearningRateSchedule(peak: configuration.learningRate, warmupSteps: 0, totalSteps: configuration.epochs * stepsPerEpoch)
        var agreements: [Double] = []
        for epoch in 0..<configuration.epochs {
            var epochOrder = training
            for index in stride(from: epochOrder.count - 1, to: 0, by: -1) { epochOrder.swapAt(index, generator.nextInt(below: index + 1)) }
            for step in 0..<stepsPerEpoch {
                let batch = Array(epochOrder[(step * configuration.batchSize)..<((step + 1) * configuration.batchSize)])
                table.zeroGradient()
                let parts = max(1, min(Threads.count, batch.count))
                var partGenerator = generator
                let result = dataParallelPasses(parts: parts, scale: 1, generator: &partGenerator) { index, context in
                    let range = chunkRange(index, of: parts, count: batch.count)
                    let members = Array(batch[range])
                    let input = EncoderInput(sequences: members.map { ids[$0] }, padId: 0)               // ids [B, T], mask [B, T]
                    let gathered = embedding(context.variable(for: table), indices: input.ids)           // [B·T, D]
                    let means = maskedMeanPooling(reshape(gathered, [input.batch, input.length, D]), mask: input.mask)  // [B, D]
                    let loss = meanSquaredError(means, target: gather(targets, members.map { rows[$0] }))
                    return (loss, Float(members.count) / Float(batch.count))
                }
                if let value = result.nonFinite { throw DistillationError.nonFinite(step: epoch * stepsPerEpoch + step + 1, what: "the loss (\(value))") }
                optimizer.update(learningRate: schedule.rate(at: epoch * stepsPerEpoch + step))
                progress(epoch + 1, step + 1, stepsPerEpoch, nil)
            }
            model.table = table.value
            let held = try model.embed(heldOut.map { lines[rows[$0]] })
            let width = teacher.identity.dimension
            let reference = gather(teacher.vectors, heldOut.map { rows[$0] }).scalars   // the held-out rows, copied once
            let referenceRows = (0..<heldOut.count).map { Array(reference[($0 * width)..<(($0 + 1) * width)]) }
            agreements.append(PairAgreement(held, referenceRows).spearman)
            progress(epoch + 1, stepsPerEpoch, stepsPerEpoch, agreements.last)
        }
        return agreements
    }

    /// Rows `indices` of [N, D].
    static func gather(_ matrix: Tensor, _ indices: [Int]) -> Tensor {
        let width = matrix.shape[1]
        var values = [Float](); values.reserveCapacity(indices.count * width)
        matrix.withUnsafeBufferPointer { source in
            for index in indices { values.append(contentsOf: source[(index * width)..<((index + 1) * width)]) }
        }
        return Tensor(shape: [indices.count, width], scalars: values)
    }
}
