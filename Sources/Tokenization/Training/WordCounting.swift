// WordCounting: step 1 of training: cut every line of the corpus into words with the pipeline's
// normaliser and pre-tokeniser and count each distinct word. The corpus is cut into ~1 MB blocks
// at line ends; worker threads take blocks as they free up, count into their own tables, and the
// tables are summed at the end. A GPT-2 byte-level pipeline takes a fast path straight over the
// file's bytes: no strings are built for the 8 million words of a 43 MB corpus.
// Reference: HF tokenizers `train_from_files` (lines keep their "\n") and BpeTrainer::feed.
// Not handled: files larger than the address space (the file is memory-mapped).

import Foundation
import TextInput

/// Distinct words with their counts: byte-level words and plain UTF-8 words kept apart.
struct WordCounts {
    var byteLevel = WordCounter()
    var plain = WordCounter()
    var totalWords: Int { byteLevel.count + plain.count }

    mutating func merge(_ other: WordCounts) {
        byteLevel.merge(other.byteLevel)
        plain.merge(other.plain)
    }
}

extension BPETrainer {
    /// Counts the words of `files`.
    func countWords(files: [URL], normalizer: (any Normalizer)?, preTokenizer: any PreTokenizer) throws -> WordCounts {
        var total = WordCounts()
        let threads = configuration.threads ?? TokenizationThreads.defaultCount
        for url in files {
            let data: Data
            do {
                data = try Data(contentsOf: url, options: .alwaysMapped)
            } catch {
                throw TokenizationError.fileSystem(path: url.path, reason: "cannot be read (counting the words of the corpus): \(TextFile.readFailureCause(url.path))")
            }
            let progress = ProgressReporter(label: "counting words in \(url.lastPathComponent)", total: Double(data.count) / 1e6,
                                            unit: "MB", enabled: configuration.showProgress)
            let counts = try data.withUnsafeBytes { raw -> WordCounts in
                let bytes = raw.bindMemory(to: UInt8.self)
                return try countWords(in: bytes, source: url.path, threads: threads, normalizer: normalizer,
                                      preTokenizer: preTokenizer, progress: progress)
            }
            progress.finish()
            total.merge(counts)
        }
        return total
    }

    /// Counts the words of texts held in memory (each text is one line).
    func countWords(texts: [String], normalizer: (any Normalizer)?, preTokenizer: any PreTokenizer) -> WordCounts {
        var counts = WordCounts()
        for text in texts {
            var text = text
            text.withUTF8 { bytes in
                countLine(bytes, range: 0..<bytes.count, into: &counts, normalizer: normalizer, preTokenizer: preTokenizer)
            }
        }
        return counts
    }

    // MARK: - Parallel counting over one buffer

    private func countWords(in bytes: UnsafeBufferPointer<UInt8>, source: String, threads: Int, normalizer: (any Normalizer)?,
                            preTokenizer: any PreTokenizer, progress: ProgressReporter) throws -> WordCounts {
        let blocks = lineAlignedBlocks(bytes, targetSize: 1 << 20)
        let workerCount = max(1, min(threads, blocks.count))
        var perWorker = (0..<workerCount).map { _ in WordCounts() }  // one table per worker
        let firstBadByte = Locked(Int.max)
        let processed = Locked(0)
        let fast = normalizer == nil && (preTokenizer as? ByteLevelPreTokenizer)?.isPlainSplit == true
        perWorker.withUnsafeMutableBufferPointer { workers in
            let workers = workers
            forEachBlock(count: blocks.count, blockSize: 1, threads: workerCount) { worker, range in
                for block in range {
                    let span = blocks[block]
                    if let bad = UTF8Validation.firstInvalidByte(in: UnsafeBufferPointer(rebasing: bytes[span])) {
                        firstBadByte.withLock { $0 = min($0, span.lowerBound + bad) }
                        continue
                    }
                    if fast {
                        countByteLevelBlock(bytes, span, into: &workers[worker].byteLevel)
                    } else {
                        forEachLine(bytes, span) { line in
                            countLine(bytes, range: line, into: &workers[worker], normalizer: normalizer, preTokenizer: preTokenizer)
                        }
                    }
                    let done = processed.withLock { total -> Int in total += span.count; return total }
                    progress.update(done: Double(done) / 1e6)
                }
            }
        }
        let badByte = firstBadByte.current
        if badByte != Int.max {
            throw TokenizationError.invalidUTF8(source: source, byteOffset: badByte, line: UTF8Validation.line(of: badByte, in: bytes))
        }
        var total = perWorker[0]
        for worker in perWorker.dropFirst() { total.merge(worker) }
        return total
    }

    /// The GPT-2 fast path: split each line and count the raw byte slices.
    private func countByteLevelBlock(_ bytes: UnsafeBufferPointer<UInt8>, _ span: Range<Int>, into counter: inout WordCounter) {
        let base = bytes.baseAddress!
        forEachLine(bytes, span) { line in
            GPT2Split.forEachPiece(in: bytes, range: line) { piece in
                let word = UnsafeBufferPointer(start: base + piece.lowerBound, count: piece.count)
                counter.add(word, hash: hashBytes(base + piece.lowerBound, piece.count))
            }
        }
    }

    /// The general path: one line through the normaliser and the pre-tokeniser.
    private func countLine(_ bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>, into counts: inout WordCounts,
                           normalizer: (any Normalizer)?, preTokenizer: any PreTokenizer) {
        guard !range.isEmpty else { return }
        var text: PreTokenizedText
        if let normalizer {
            var normalized = NormalizedText(Array(bytes[range]), origin: 0)
            normalizer.normalize(&normalized)
            text = PreTokenizedText(bytes: normalized.bytes, alignments: normalized.alignments,
                                    splits: normalized.bytes.isEmpty ? [] : [Split(range: 0..<normalized.bytes.count)])
        } else {
            text = PreTokenizedText(bytes: Array(bytes[range]), alignments: nil, splits: [Split(range: 0..<range.count)])
        }
        preTokenizer.preTokenize(&text)
        text.bytes.withUnsafeBufferPointer { words in
            for split in text.splits where !split.range.isEmpty {
                let word = UnsafeBufferPointer(rebasing: words[split.range])
                let hash = hashBytes(word.baseAddress!, word.count)
                if split.isByteLevel { counts.byteLevel.add(word, hash: hash) } else { counts.plain.add(word, hash: hash) }
            }
        }
    }
}

/// Calls `body` with each line of `bytes[span]`, its "\n" included (HF `lines_with_ending`). A
/// "\r" before the "\n" is left out (TextInput's line rule), so a CRLF corpus counts as its LF
/// copy: such a line comes as two ranges, the text and then its "\n".
@inline(__always)
func forEachLine(_ bytes: UnsafeBufferPointer<UInt8>, _ span: Range<Int>, _ body: (Range<Int>) -> Void) {
    let base = bytes.baseAddress!
    var start = span.lowerBound
    while start < span.upperBound {
        let remaining = span.upperBound - start
        let end: Int
        if let newline = memchr(base + start, 0x0A, remaining) {
            end = base.distance(to: newline.assumingMemoryBound(to: UInt8.self)) + 1
        } else {
            end = span.upperBound
        }
        if end - start >= 2 && base[end - 1] == 0x0A && base[end - 2] == 0x0D {
            if end - 2 > start { body(start..<(end - 2)) }
            body((end - 1)..<end)
        } else {
            body(start..<end)
        }
        start = end
    }
}

/// Cuts `bytes` into consecutive ranges of about `targetSize` bytes that end just after a "\n".
func lineAlignedBlocks(_ bytes: UnsafeBufferPointer<UInt8>, targetSize: Int) -> [Range<Int>] {
    var blocks: [Range<Int>] = []
    var start = 0
    while start < bytes.count {
        var end = min(bytes.count, start + targetSize)
        if end < bytes.count, let base = bytes.baseAddress,
           let newline = memchr(base + end, 0x0A, bytes.count - end) {
            end = base.distance(to: newline.assumingMemoryBound(to: UInt8.self)) + 1
        } else {
            end = bytes.count
        }
        blocks.append(start..<end)
        start = end
    }
    return blocks
}
