// TeacherInitialization: a student that starts as a smaller copy of its teacher, as DistilBERT
// (Sanh et al., 2019) starts from every other layer of BERT. The student keeps the teacher's
// width, tokenizer and embeddings, takes a chosen subset of its layers, and may narrow each
// feed-forward block to its F′ most important hidden units (structured pruning by magnitude,
// as in Michel et al. (2019) and the LLM-Pruner family's first-order criterion simplified):
//   importance of unit j = ‖W_in[j, :]‖₂ · ‖W_out[:, j]‖₂
// (the unit's input row and output column, through which all its effect on the residual passes);
// the kept units' rows of W_in and b_in and columns of W_out are copied, b_out unchanged.
// A student so made starts close to the teacher, so distillation refines rather than learns
// from nothing: all-MiniLM-L6-v2 cut to its layers 1 and 5 already agrees with it at ρ ≈ 0.5 on
// held-out pairs (Docs/Distillation.md has the table).
// Not handled: shrinking the width or the number of heads (the residual stream is kept whole).

import Encoder
import Foundation
import NeuralNetwork
import TensorCore

public enum TeacherInitialization: Sendable {
    /// A masked-LM model of the teacher's width with its layers `layers` (in that order) and, if
    /// `intermediateSize` is given, each feed-forward block narrowed to that many units. The
    /// masked-LM head is the teacher's when it has one, else new.
    ///
    /// - Throws: `DistillationError.invalidOption` for a layer index outside the teacher, or an
    ///   intermediate size larger than the teacher's.
    public static func student(from teacher: ModelFolder, layers: [Int], intermediateSize: Int? = nil, dropout: Float? = nil) throws -> MaskedLanguageModel {
        let source = teacher.model
        let depth = source.encoder.layers.count
        guard !layers.isEmpty, layers.allSatisfy({ (0..<depth).contains($0) }) else {
            throw DistillationError.invalidOption(option: "--student-layers", problem: "is \(layers.map(String.init).joined(separator: ",")) but the teacher has layers 0…\(depth - 1)",
                                                  fix: "Name layers of the teacher, e.g. 1,\(depth - 1)")
        }
        var config = teacher.config
        let width = intermediateSize ?? config.intermediateSize
        guard width >= 1 && width <= config.intermediateSize else {
            throw DistillationError.invalidOption(option: "--student-ffn", problem: "is \(width) but the teacher's feed-forward blocks have \(config.intermediateSize) units",
                                                  fix: "Choose from 1 to \(config.intermediateSize)")
        }
        config.layerCount = layers.count
        config.intermediateSize = width
        if let dropout { (config.hiddenDropout, config.attentionDropout) = (dropout, dropout) }
        let student = MaskedLanguageModel(config: config)
        copy(from: source.encoder.embeddings, to: student.encoder.embeddings)
        for (target, index) in zip(student.encoder.layers, layers) {
            let block = source.encoder.layers[index]
            copy(from: block.attention, to: target.attention)
            copy(from: block.attentionNorm, to: target.attentionNorm)
            copy(from: block.outputNorm, to: target.outputNorm)
            let kept = mostImportantUnits(block.feedForward, count: width)
            target.feedForward.intermediate.weight.value = rows(kept, of: block.feedForward.intermediate.weight.value)
            if let bias = block.feedForward.intermediate.bias?.value { target.feedForward.intermediate.bias?.value = Tensor(shape: [width], scalars: kept.map { bias.scalars[$0] }) }
            target.feedForward.output.weight.value = columns(kept, of: block.feedForward.output.weight.value)
            if let bias = block.feedForward.output.bias?.value { target.feedForward.output.bias?.value = bias }
        }
        if let finalNorm = source.encoder.finalNorm, let targetNorm = student.encoder.finalNorm { copy(from: finalNorm, to: targetNorm) }
        if teacher.hasTrainedHead { copy(from: source.head, to: student.head) }
        return student
    }

    /// The `count` hidden units with the largest ‖W_in[j, :]‖·‖W_out[:, j]‖, in ascending order.
    static func mostImportantUnits(_ block: FeedForward, count: Int) -> [Int] {
        let input = block.intermediate.weight.value, output = block.output.weight.value   // [F, C], [C, F]
        let (F, C) = (input.shape[0], input.shape[1])
        let a = input.scalars, b = output.scalars
        let importance = (0..<F).map { j -> Double in
            let inNorm = (0..<C).reduce(0.0) { $0 + Double(a[j * C + $1]) * Double(a[j * C + $1]) }.squareRoot()
            let outNorm = (0..<C).reduce(0.0) { $0 + Double(b[$1 * F + j]) * Double(b[$1 * F + j]) }.squareRoot()
            return inNorm * outNorm
        }
        return Array((0..<F).sorted { (importance[$0], -$0) > (importance[$1], -$1) }.prefix(count)).sorted()
    }

    /// Copies every parameter of `source` into the same-named parameter of `target`.
    static func copy(from source: any Layer, to target: any Layer) {
        let values = Dictionary(uniqueKeysWithValues: source.parameters().map { ($0.name, $0.parameter.value) })
        for entry in target.parameters() {
            guard let value = values[entry.name], value.shape == entry.parameter.value.shape else {
                preconditionFailure("TeacherInitialization: \(entry.name) has no counterpart of shape \(entry.parameter.value.shape)")
            }
            entry.parameter.value = value
        }
    }

    /// Rows `indices` of a [R, C] matrix.
    static func rows(_ indices: [Int], of matrix: Tensor) -> Tensor {
        let C = matrix.shape[1], values = matrix.scalars
        return Tensor(shape: [indices.count, C], scalars: indices.flatMap { values[($0 * C)..<(($0 + 1) * C)] })
    }

    /// Columns `indices` of a [R, C] matrix.
    static func columns(_ indices: [Int], of matrix: Tensor) -> Tensor {
        let (R, C) = (matrix.shape[0], matrix.shape[1]), values = matrix.scalars
        return Tensor(shape: [R, indices.count], scalars: (0..<R).flatMap { row in indices.map { values[row * C + $0] } })
    }
}
