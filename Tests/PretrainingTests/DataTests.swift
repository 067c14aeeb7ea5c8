// The data side of pretraining: packing lines into sequences (three modes, worked out by hand),
// the held-out split (deterministic, independent of how the file is read), streaming errors,
// and batching by length buckets (a hand-computed padding share).
import Foundation
import Pretraining
import TensorCore
import Testing

@Suite struct PackingTests {
    func pack(_ lines: [[Int]], _ mode: PackingMode, length: Int = 8) -> [[Int]] {
        var packer = SequencePacker(length: length, mode: mode, classification: 2, separator: 3)
        for line in lines { packer.add(line) }
        let packed = packer.finish()
        return (0..<packed.count).map { packed[$0].map { Int($0) } }
    }

    @Test func linesGiveOneSequencePerLineAndCutLongLines() {
        // Length 8 leaves 6 tokens between [CLS] and [SEP]: the 7-token line becomes 6 + 1.
        #expect(pack([[10, 11], [12, 13, 14, 15, 16, 17, 18]], .lines) ==
                [[2, 10, 11, 3], [2, 12, 13, 14, 15, 16, 17, 3], [2, 18, 3]])
    }

    @Test func sentencesPackWholeLinesUntilTheNextDoesNotFit() {
        // [2,10,11,3] has 4 tokens; [12,13,14] + [SEP] makes 8 = full. [15…18] starts the next one.
        #expect(pack([[10, 11], [12, 13, 14], [15, 16, 17, 18]], .sentences) ==
                [[2, 10, 11, 3, 12, 13, 14, 3], [2, 15, 16, 17, 18, 3]])
        // A 10-token line does not fit after [2,10,11,3] (4 + 10 + 1 > 8): that sequence closes; the
        // long line fills 6 + [SEP], and its last 4 tokens stay open for the next line ([30] fits).
        #expect(pack([[10, 11], Array(20...29), [30]], .sentences) ==
                [[2, 10, 11, 3], [2, 20, 21, 22, 23, 24, 25, 3], [2, 26, 27, 28, 29, 3, 30, 3]])
    }

    @Test func streamCutsTheTokenStreamIntoFullSequences() {
        // [2,10,11,12,3] leaves room for 2 tokens of the next line before the closing [SEP].
        #expect(pack([[10, 11, 12], [13, 14, 15, 16, 17, 18]], .stream) ==
                [[2, 10, 11, 12, 3, 13, 14, 3], [2, 15, 16, 17, 18, 3]])
    }

    @Test func emptyLinesAreSkippedAndStorageIsFlat() {
        var packer = SequencePacker(length: 6, mode: .lines, classification: 2, separator: 3)
        packer.add([Int]())
        packer.add([7])
        let packed = packer.finish()
        #expect(packed.count == 1 && packed.tokens == [2, 7, 3] && packed.offsets == [0, 3])
    }
}

@Suite struct CorpusTests {
    @Test func heldOutSplitIsDeterministicAndIndependentOfBlockSize() throws {
        let lines = syntheticCorpus(lines: 2000)
        let tokenizer = ToyTokenizer(texts: lines)
        let options = CorpusOptions(sequenceLength: 32, packing: .sentences, evaluationFraction: 0.1, maximumEvaluationSequences: 10_000)
        let folder = temporaryFolder("corpus")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("corpus.txt")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: file)

        let inMemory = try PretrainingCorpus.make(lines: lines, tokenizer: tokenizer, options: options)
        let smallBlocks = try PretrainingCorpus.load(files: [file], tokenizer: tokenizer, options: options, blockBytes: 97)
        let oneBlock = try PretrainingCorpus.load(files: [file], tokenizer: tokenizer, options: options)
        #expect(smallBlocks.train == inMemory.train && smallBlocks.evaluation == inMemory.evaluation)
        #expect(oneBlock.train == inMemory.train && oneBlock.evaluation == inMemory.evaluation)
        #expect(inMemory.lineCount == 2000)
        // 10% of 2000 lines: the binomial SD is √(2000 · 0.1 · 0.9) ≈ 13.4; allow 4 SD.
        #expect(abs(inMemory.heldOutLineCount - 200) <= 54, "held out \(inMemory.heldOutLineCount)")
        // Every token lands in exactly one split: ids + [CLS]/[SEP] per sequence + one [SEP] per line.
        let ids = try tokenizer.tokenIDs(lines).reduce(0) { $0 + $1.count }
        let packedIDs = inMemory.train.tokens.filter { $0 > 4 }.count + inMemory.evaluation.tokens.filter { $0 > 4 }.count
        #expect(packedIDs == ids)
        #expect(options.isHeldOut(line: 17) == CorpusOptions(evaluationFraction: 0.1).isHeldOut(line: 17))
    }

    @Test func invalidUTF8NamesTheLine() throws {
        let folder = temporaryFolder("utf8")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("bad.txt")
        try Data([0x6F, 0x6B, 0x0A, 0x6F, 0xFF, 0x0A]).write(to: file)
        let tokenizer = ToyTokenizer(texts: ["ok"])
        #expect {
            try PretrainingCorpus.load(files: [file], tokenizer: tokenizer, options: CorpusOptions())
        } throws: { error in
            (error as? FileError).map { $0.field == "line 2" && $0.file == file.path } ?? false
        }
    }

    @Test func fingerprintChangesWithAnyToken() {
        let a = PackedSequences([[2, 5, 3], [2, 6, 3]])
        #expect(a.fingerprint == PackedSequences([[2, 5, 3], [2, 6, 3]]).fingerprint)
        #expect(a.fingerprint != PackedSequences([[2, 5, 3], [2, 7, 3]]).fingerprint)
        #expect(a.fingerprint != PackedSequences([[2, 5, 3, 2], [6, 3]]).fingerprint)
    }
}

@Suite struct EpochPlanTests {
    @Test func oneMegaBatchSortsByLengthAndGivesTheHandComputedPadding() {
        // Sorted longest first: 9 8 | 7 5 | 3 2. Padding (9−8) + (7−5) + (3−2) = 4 of 2·9 + 2·7 + 2·3 = 38 slots.
        let lengths = [5, 9, 3, 7, 2, 8]
        let plan = EpochPlan(epoch: 0, lengths: lengths, batchSize: 2, groupSize: 3, seed: 1)
        #expect(plan.batchCount == 3)
        let batches = Set((0..<3).map { plan.batch($0).map { lengths[Int($0)] }.sorted() })
        #expect(batches == [[8, 9], [5, 7], [2, 3]])
        #expect(abs(plan.paddingShare - 4.0 / 38.0) < 1e-12)
    }

    @Test func epochsUseEverySequenceOnceDropTheRemainderAndDiffer() {
        let lengths = (0..<103).map { 5 + ($0 * 37) % 60 }
        let first = EpochPlan(epoch: 0, lengths: lengths, batchSize: 4, groupSize: 5, seed: 9)
        let again = EpochPlan(epoch: 0, lengths: lengths, batchSize: 4, groupSize: 5, seed: 9)
        let second = EpochPlan(epoch: 1, lengths: lengths, batchSize: 4, groupSize: 5, seed: 9)
        #expect(first == again)
        #expect(first.order != second.order)
        #expect(first.order.count == 100 && Set(first.order).count == 100)
        // Bucketing cuts padding compared with random batches (groupSize 1).
        let unbucketed = EpochPlan(epoch: 0, lengths: lengths, batchSize: 4, groupSize: 1, seed: 9)
        #expect(first.paddingShare < unbucketed.paddingShare / 2, "\(first.paddingShare) vs \(unbucketed.paddingShare)")
    }
}
