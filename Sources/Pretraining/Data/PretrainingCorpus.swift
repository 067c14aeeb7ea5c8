// PretrainingCorpus: a text corpus read as a stream of lines, tokenised in parallel blocks, split
// deterministically into training and held-out lines, and packed into sequences. Only the packed
// Int32 ids stay in memory; the text is read in blocks of a few MB and dropped.
// The held-out split depends on nothing but each line's index (a hash of it, so the held-out
// lines are spread over the whole file, whatever the seed, block size or thread count).
// Reference: BERT's create_pretraining_data.py and HF run_mlm.py (validation_split_percentage).
// Not handled: compressed input (unpack it first); caching the tokenised corpus between runs.

import Foundation
import TextInput
import TensorCore

/// How a corpus becomes training and evaluation sequences.
public struct CorpusOptions: Codable, Equatable, Sendable {
    /// The longest sequence, [CLS] and [SEP] included.
    public var sequenceLength: Int = 128
    public var packing: PackingMode = .sentences
    /// The share of lines held out for evaluation (0 keeps none).
    public var evaluationFraction: Double = 0.01
    /// At most this many held-out sequences are kept (evaluation time stays bounded).
    public var maximumEvaluationSequences: Int = 1024

    public init(sequenceLength: Int = 128, packing: PackingMode = .sentences, evaluationFraction: Double = 0.01,
                maximumEvaluationSequences: Int = 1024) {
        self.sequenceLength = sequenceLength
        self.packing = packing
        self.evaluationFraction = evaluationFraction
        self.maximumEvaluationSequences = maximumEvaluationSequences
    }

    /// Whether the line with 0-based index `line` is held out: a SplitMix64 hash of the index,
    /// compared with the fraction of 2⁶⁴.
    public func isHeldOut(line: Int) -> Bool {
        guard evaluationFraction > 0 else { return false }
        var state = UInt64(line) ^ 0x5EED_E7A1_0000_0000
        let hash = SeededGenerator.splitMix64(&state)
        return Double(hash) < evaluationFraction * 18_446_744_073_709_551_616.0
    }
}

/// Training and held-out sequences of one corpus.
public struct PretrainingCorpus: Sendable {
    public let train: PackedSequences
    public let evaluation: PackedSequences
    /// Lines read (empty ones included), and how many were held out.
    public let lineCount: Int
    public let heldOutLineCount: Int
    public let byteCount: Int

    public init(train: PackedSequences, evaluation: PackedSequences, lineCount: Int, heldOutLineCount: Int, byteCount: Int) {
        self.train = train
        self.evaluation = evaluation
        self.lineCount = lineCount
        self.heldOutLineCount = heldOutLineCount
        self.byteCount = byteCount
    }

    /// Tokenises and packs texts given in memory (tests, small examples); each text is one line.
    public static func make(lines: [String], tokenizer: any CorpusTokenizer, options: CorpusOptions) throws -> PretrainingCorpus {
        var builder = Builder(tokenizer: tokenizer, options: options)
        try builder.add(lines)
        return builder.finish(byteCount: lines.reduce(0) { $0 + $1.utf8.count + 1 })
    }

    /// Streams `files` (UTF-8, one paragraph or sentence per line) in blocks of `blockBytes`,
    /// tokenising each block's lines in parallel.
    ///
    /// - Throws: `FileError` naming the file and line of unreadable or invalid UTF-8 text.
    /// - Complexity: one pass over the files; memory is the packed ids plus one block.
    public static func load(files: [URL], tokenizer: any CorpusTokenizer, options: CorpusOptions,
                            blockBytes: Int = 4 << 20, progress: ProgressLine? = nil) throws -> PretrainingCorpus {
        var builder = Builder(tokenizer: tokenizer, options: options)
        let totalBytes = files.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1.path)[.size] as? Int) ?? 0) }
        var bytesRead = 0
        let start = monotonicSeconds()
        for url in files {
            guard let handle = FileHandle(forReadingAtPath: url.path) else {
                throw FileError(.notFound, file: url.path, field: "(file)", problem: "cannot be opened for reading",
                                fix: "Check the path given to --corpus")
            }
            defer { try? handle.close() }
            var pending = Data()
            var lineInFile = 0
            while true {
                let chunk = handle.readData(ofLength: blockBytes)
                let atEnd = chunk.isEmpty
                pending.append(chunk)
                // Cut at the last newline; the tail waits for the next block (or the end).
                let cut = atEnd ? pending.endIndex : (pending.lastIndex(of: 0x0A).map { $0 + 1 } ?? pending.startIndex)
                if cut > pending.startIndex {
                    let block = pending[pending.startIndex..<cut]
                    let lines = try decodeLines(block, file: url.path, firstLine: lineInFile)
                    lineInFile += lines.count
                    try builder.add(lines)
                    pending = Data(pending[cut...])
                }
                bytesRead += chunk.count
                progress?.update {
                    let seconds = monotonicSeconds() - start
                    let rate = Double(bytesRead) / max(seconds, 1e-9)
                    return String(format: "tokenising %.1f of %.1f MB, ", Double(bytesRead) / 1e6, Double(totalBytes) / 1e6)
                        + "\(String(format: "%.2f", rate / 1e6)) MB/s, \(ProgressFormat.count(Double(builder.tokenCount))) tokens, "
                        + "ETA \(ProgressFormat.duration(Double(totalBytes - bytesRead) / max(rate, 1)))"
                }
                if atEnd { break }
            }
        }
        progress?.finish()
        return builder.finish(byteCount: bytesRead)
    }

    /// Splits a block into lines by TextInput's rule ("\n" ends a line, a "\r" before it is
    /// dropped) and decodes them under the process's InvalidUTF8Policy.
    static func decodeLines(_ block: Data, file: String, firstLine: Int) throws -> [String] {
        do {
            return try block.withUnsafeBytes { raw in
                try TextLines.strings(raw.bindMemory(to: UInt8.self), source: file, firstLine: firstLine + 1)
            }
        } catch let error as InvalidUTF8Error {
            throw FileError(.malformed, file: file, field: "line \(error.line)", problem: "is not valid UTF-8",
                            fix: "Convert the corpus to UTF-8 (e.g. iconv -f latin1 -t utf-8), or pass --invalid-utf8 replace")
        }
    }

    // MARK: - Builder

    /// Splits lines into train and held out, tokenises them and feeds the two packers.
    struct Builder {
        let tokenizer: any CorpusTokenizer
        let options: CorpusOptions
        var train: SequencePacker
        var evaluation: SequencePacker
        var lineCount = 0
        var heldOut = 0
        var tokenCount = 0

        init(tokenizer: any CorpusTokenizer, options: CorpusOptions) {
            self.tokenizer = tokenizer
            self.options = options
            let special = tokenizer.specialTokens
            train = SequencePacker(length: options.sequenceLength, mode: options.packing,
                                   classification: special.classification, separator: special.separator)
            evaluation = train
        }

        mutating func add(_ lines: [String]) throws {
            let ids = try tokenizer.tokenIDs(lines)
            for line in ids {
                if options.isHeldOut(line: lineCount) {
                    heldOut += 1
                    // Held-out lines beyond what evaluation keeps are simply not used for training.
                    if evaluation.packed.count < options.maximumEvaluationSequences { evaluation.add(line) }
                } else {
                    train.add(line)
                }
                tokenCount += line.count
                lineCount += 1
            }
        }

        mutating func finish(byteCount: Int) -> PretrainingCorpus {
            let evaluationSequences = evaluation.finish().prefix(options.maximumEvaluationSequences)
            return PretrainingCorpus(train: train.finish(), evaluation: evaluationSequences, lineCount: lineCount,
                                     heldOutLineCount: heldOut, byteCount: byteCount)
        }
    }
}
