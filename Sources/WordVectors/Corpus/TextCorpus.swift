// TextCorpus: a text file read as a stream of lines (never loaded whole), split into byte ranges
// for threads the way word2vec.c and fastText do (thread t starts at t·size/T, at the next line),
// and turned into sentences of word indices with the shared WordTokenizer rule.
// Lines end at "\n" and a "\r" before it is dropped (TextInput's TextLines rule, as gensim's
// LineSentence), so one line = one sentence and a CRLF corpus trains as its LF copy. Ill-formed
// UTF-8 follows TextInput's InvalidUTF8Policy: refused with InvalidUTF8Error (file, byte, line and
// the hint), or read as U+FFFD under `--invalid-utf8 replace`.
// Not handled: compressed input; encodings other than UTF-8.

import Foundation
import TextInput

/// A UTF-8 text corpus on disk, one sentence per line.
///
/// ```swift
/// let corpus = try TextCorpus(contentsOf: URL(fileURLWithPath: "corpus.txt"))
/// try corpus.forEachLine(in: 0..<corpus.byteCount) { line, offset in print(line.count) }
/// ```
public struct TextCorpus: Sendable {
    /// The file.
    public let url: URL
    /// The file's path, for messages and system calls.
    var path: String { url.path }
    /// The file size in bytes.
    public let byteCount: Int

    /// Opens (stats) the file. With `byteLimit`, only the lines that start within the first
    /// `byteLimit` bytes are read (a quick way to train on a prefix of a large corpus).
    /// - Throws: `WordVectorsError.io` when the file is missing or unreadable.
    public init(contentsOf url: URL, byteLimit: Int? = nil) throws {
        self.url = url
        let path = url.path
        var info = stat()
        guard stat(path, &info) == 0 else {
            throw WordVectorsError.io(path: path, reason: "cannot open the corpus (\(String(cString: strerror(errno)))); check the path")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw WordVectorsError.io(path: path, reason: "the corpus is not a regular file")
        }
        byteCount = min(Int(info.st_size), max(0, byteLimit ?? Int.max))
    }

    /// `parts` contiguous byte ranges covering the file; each line belongs to the range holding
    /// its first byte (see `forEachLine`).
    public func byteRanges(parts: Int) -> [Range<Int>] {
        let parts = max(1, parts)
        return (0..<parts).map { part in
            (byteCount * part / parts)..<(byteCount * (part + 1) / parts)
        }
    }

    // MARK: - Lines

    /// Calls `body` with every line whose first byte lies in `range` (without its terminator) and
    /// the file offset of that first byte. Lines follow TextInput's TextLines: they end at "\n", and a
    /// "\r" before it is dropped.
    public func forEachLine(
        in range: Range<Int>, _ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void
    ) throws {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw WordVectorsError.io(path: path, reason: "cannot open the corpus (\(String(cString: strerror(errno))))")
        }
        defer { close(descriptor) }
        var capacity = 1 << 20
        var buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        defer { buffer.deallocate() }
        var filled = 0           // bytes in buffer
        var bufferOffset = 0     // file offset of buffer[0]
        var position = range.lowerBound
        var atEnd = false

        func refill() throws {
            if filled == capacity {
                let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
                bigger.update(from: buffer, count: filled)
                buffer.deallocate()
                buffer = bigger
                capacity *= 2
            }
            let got = pread(descriptor, buffer + filled, capacity - filled, off_t(bufferOffset + filled))
            if got < 0 {
                throw WordVectorsError.io(path: path, reason: "read failed (\(String(cString: strerror(errno))))")
            }
            if got == 0 { atEnd = true }
            filled += got
        }

        // A range that starts mid-line skips to the next line: the previous range owns that line.
        if position > 0 {
            bufferOffset = position - 1
            filled = 0
            var found = false
            while !found {
                try refill()
                if let newline = memchr(buffer, Int32(UInt8(ascii: "\n")), filled) {
                    let index = buffer.distance(to: newline.assumingMemoryBound(to: UInt8.self))
                    position = bufferOffset + index + 1
                    found = true
                } else if atEnd {
                    return
                } else {
                    bufferOffset += filled
                    filled = 0
                }
            }
            bufferOffset = position
            filled = 0
        } else {
            bufferOffset = 0
        }

        var start = 0  // index in buffer of the current line's first byte
        while bufferOffset + start < range.upperBound {
            // Find the end of the line, reading more when needed.
            var searchFrom = start
            var lineEnd = -1
            while lineEnd < 0 {
                if let newline = memchr(buffer + searchFrom, Int32(UInt8(ascii: "\n")), filled - searchFrom) {
                    lineEnd = buffer.distance(to: newline.assumingMemoryBound(to: UInt8.self))
                } else if atEnd {
                    lineEnd = filled
                } else {
                    // Move the partial line to the front and read more.
                    if start > 0 {
                        let remaining = filled - start
                        buffer.update(from: buffer + start, count: remaining)
                        bufferOffset += start
                        filled = remaining
                        start = 0
                    }
                    searchFrom = filled
                    try refill()
                }
            }
            if lineEnd == filled && lineEnd == start && atEnd { break }
            try emitLine(buffer + start, lineEnd - start, fileOffset: bufferOffset + start, body)
            start = lineEnd + 1
            if start >= filled && atEnd { break }
        }
    }

    /// One line to `body`, without a final "\r" (TextInput's rule: a lone "\r" stays inside the
    /// line, where the word tokeniser treats it as a separator).
    private func emitLine(
        _ base: UnsafeMutablePointer<UInt8>, _ count: Int, fileOffset: Int,
        _ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void
    ) throws {
        let length = count > 0 && base[count - 1] == UInt8(ascii: "\r") ? count - 1 : count
        try body(UnsafeBufferPointer(start: base, count: length), fileOffset)
    }

    // MARK: - Words

    /// Calls `body` with each word (lowercased UTF-8 bytes) of every line in `range`, and
    /// `lineEnd()` after each line. Ill-formed UTF-8 follows `policy`.
    /// - Throws: `InvalidUTF8Error` naming the file, the byte offset in the file and its line.
    public func forEachWord(
        in range: Range<Int>, policy: InvalidUTF8Policy = .current,
        word body: (UnsafeBufferPointer<UInt8>) -> Void, lineEnd: () -> Void = {}
    ) throws {
        var scratch: [UInt8] = []
        try forEachLine(in: range) { line, offset in
            if policy == .replace, UTF8Check.firstInvalidByte(in: line) != nil {
                let repaired = Array(String(decoding: line, as: UTF8.self).utf8)
                try repaired.withUnsafeBufferPointer { try WordTokenizer.forEachWord(in: $0, scratch: &scratch, body) }
            } else {
                do throws(WordTokenizer.InvalidUTF8) {
                    try WordTokenizer.forEachWord(in: line, scratch: &scratch, body)
                } catch {
                    let bad = offset + (UTF8Check.firstInvalidByte(in: line) ?? error.byteOffset)
                    throw InvalidUTF8Error(source: path, byteOffset: bad, line: try lineNumber(ofByte: bad))
                }
            }
            lineEnd()
        }
    }

    /// The 1-based line of byte `offset` of the file (lines end at "\n"); read only for messages.
    func lineNumber(ofByte offset: Int) throws -> Int {
        var lines = 0
        try forEachLine(in: 0..<(offset + 1)) { _, _ in lines += 1 }
        return max(1, lines)
    }

    /// Calls `body` with each line's known words as vocabulary indices (unknown words dropped),
    /// cutting lines longer than `maxSentenceLength` into pieces (word2vec.c's MAX_SENTENCE_LENGTH).
    /// `body` also receives the number of tokens read, known or not, for progress counting.
    public func forEachSentence(
        in range: Range<Int>, table: WordTable, maxSentenceLength: Int = 10_000,
        _ body: (UnsafeBufferPointer<Int32>, _ tokensRead: Int) -> Void
    ) throws {
        let sentence = allocateThreadScratch(Int32.self, count: maxSentenceLength)  // one per thread
        defer { deallocateThreadScratch(sentence) }
        var length = 0
        var tokens = 0
        try forEachWord(in: range, word: { bytes in
            tokens += 1
            if let index = table.index(of: bytes) {
                sentence[length] = Int32(truncatingIfNeeded: index)
                length += 1
                if length == maxSentenceLength {
                    body(UnsafeBufferPointer(start: sentence, count: length), tokens)
                    length = 0
                    tokens = 0
                }
            }
        }, lineEnd: {
            if length > 0 || tokens > 0 { body(UnsafeBufferPointer(start: sentence, count: length), tokens) }
            length = 0
            tokens = 0
        })
    }
}
