// DistillationData: the corpus as a distillation run sees it. Each usable line (non-empty after
// trimming) is one example: the student's token ids ([CLS] ids [SEP], cut at the maximum length)
// and the row of the teacher's vector for it. A seeded choice of lines is held out of training,
// paired two by two for the agreement figure (Spearman's ρ between the teacher's and the
// student's cosines over the pairs).
// Not handled: sentence splitting inside a line (a line is one example, as the teacher saw it).

import Foundation
import TensorCore
import TextInput

/// Student ids and teacher rows, split into training and held-out lines.
public struct DistillationData: Sendable {
    /// Student ids of the training lines.
    public let train: PackedSequences
    /// For each training sequence, its row in the teacher vectors.
    public let trainRows: [Int32]
    /// Student ids of the held-out lines, in pair order (0 with 1, 2 with 3, …).
    public let evaluation: PackedSequences
    public let evaluationRows: [Int32]

    /// The usable lines of a text file, in order: non-empty after trimming white space.
    /// - Throws: `FileError` for a file that cannot be read; `InvalidUTF8Error` (byte, line) for
    ///   ill-formed UTF-8 unless the process's InvalidUTF8Policy is `.replace`.
    public static func usableLines(of url: URL) throws -> [String] {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw FileError(.notFound, file: url.path, field: "(file)", problem: "cannot be read", fix: "Check the path of --corpus")
        }
        return try TextLines.strings([UInt8](data), source: url.path)
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            .filter { !$0.isEmpty }
    }

    /// The corpus's line numbers in the seeded order whose first `evaluationLines` entries are the
    /// held-out lines (paired in that order). `distill` and `distill-static` both hold out by it,
    /// so with the same seed their held-out figures are on the same pairs.
    public static func heldOutOrder(lineCount: Int, seed: UInt64) -> [Int] {
        var generator = SeededGenerator(seed: seed ^ 0x4845_4C44)  // "HELD": its own stream
        var order = Array(0..<lineCount)
        for index in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(index, generator.nextInt(below: index + 1)) }
        return order
    }

    /// Tokenises `lines` with the student's tokenizer and splits them.
    ///
    /// - Parameters:
    ///   - maximumLength: tokens per sequence, [CLS] and [SEP] included.
    ///   - evaluationLines: how many lines to hold out (chosen by a shuffle seeded with `seed`).
    /// - Throws: `DistillationError.noUsableLines` when nothing is left to train on.
    public static func make(lines: [String], tokenizer: some CorpusTokenizer, maximumLength: Int, evaluationLines: Int,
                            seed: UInt64, corpus: String = "the corpus") throws -> DistillationData {
        guard lines.count > evaluationLines else {
            throw DistillationError.noUsableLines(corpus: corpus, reason: "\(lines.count) usable lines, \(evaluationLines) of them to be held out")
        }
        let order = heldOutOrder(lineCount: lines.count, seed: seed)
        let heldOut = Array(order.prefix(evaluationLines))
        var isHeldOut = [Bool](repeating: false, count: lines.count)
        for line in heldOut { isHeldOut[line] = true }
        let special = tokenizer.specialTokens
        func sequence(_ ids: [Int]) -> [Int32] {
            [Int32(special.classification)] + ids.prefix(maximumLength - 2).map(Int32.init) + [Int32(special.separator)]
        }
        var train = PackedSequences(), trainRows: [Int32] = []
        var evaluationIDs = [[Int32]](repeating: [], count: heldOut.count)
        var start = 0
        while start < lines.count {
            let end = min(start + 8192, lines.count)
            let ids = try tokenizer.tokenIDs(Array(lines[start..<end]))
            for (offset, tokens) in ids.enumerated() where !isHeldOut[start + offset] {
                train.append(sequence(tokens))
                trainRows.append(Int32(start + offset))
            }
            start = end
        }
        let heldIDs = try tokenizer.tokenIDs(heldOut.map { lines[$0] })
        for (index, tokens) in heldIDs.enumerated() { evaluationIDs[index] = sequence(tokens) }
        var evaluation = PackedSequences()
        for ids in evaluationIDs { evaluation.append(ids) }
        return DistillationData(train: train, trainRows: trainRows, evaluation: evaluation, evaluationRows: heldOut.map(Int32.init))
    }

    /// Identifies the split and the ids, for resuming on the same data.
    public var fingerprint: String {
        String(train.fingerprint, radix: 16) + "-" + String(evaluation.fingerprint, radix: 16)
    }
}
