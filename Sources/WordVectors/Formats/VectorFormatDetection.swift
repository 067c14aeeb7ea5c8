// VectorFormatDetection: which word-vector format a file is in, from its first bytes, never from
// its name alone: fastText .bin (its magic number, or the old header-less layout: binary int32s),
// word2vec binary ("ROWS DIMENSION" header, then raw floats), word2vec text / fastText .vec (the
// same header, then text lines; .vec lines end in a space) and GloVe text (no header: every line a
// word and its numbers). When the bytes fit two formats, or none, it says so and asks for the format.
// Reference: the formats in VectorFile.swift; gensim guesses nothing (binary=True/False, no_header).
// Not handled: compressed files (a .gz is reported as unknown binary data).

import Foundation

extension VectorFile {
    /// The format of the file at `url`, from its first bytes (and, for one ambiguous case, its
    /// line count).
    /// - Throws: `WordVectorsError.unknownFormat` naming what was seen, when no format fits or two do;
    ///   `.io` when the file cannot be read.
    public static func detectFormat(of url: URL) throws -> VectorFileFormat {
        try withMappedFile(url.path) { try detectFormat(bytes: $0, path: url.path) }
    }

    /// `detectFormat(of:)` on bytes already in memory; `path` names them in errors.
    static func detectFormat(bytes: UnsafeRawBufferPointer, path: String) throws -> VectorFileFormat {
        func unknown(_ detail: String) -> WordVectorsError { .unknownFormat(path: path, detail: detail) }
        guard !bytes.isEmpty else { throw unknown("the file is empty") }
        if bytes.count >= 4 {
            let first = bytes.loadUnaligned(as: Int32.self).littleEndian
            if first == FastTextBinary.magic { return .fastTextBinary }
            if bytes[0..<4].contains(0) {
                // Text never holds a NUL byte. fastText files from before 2017 start with the
                // dimension and the window as binary int32s.
                if bytes.count >= 8, (1...100_000).contains(first), (0...10_000).contains(bytes.loadUnaligned(fromByteOffset: 4, as: Int32.self).littleEndian) {
                    return .fastTextBinary
                }
                throw unknown("it starts with binary data that is neither fastText's (its magic number \(FastTextBinary.magic)) nor word2vec's (an ASCII \"ROWS DIMENSION\" line)")
            }
        }
        let firstLine = line(in: bytes, from: 0)
        let firstFields = fields(of: firstLine.text)
        if firstFields.count == 2, let rows = Int(firstFields[0]), let dimension = Int(firstFields[1]), rows >= 0, dimension >= 1 {
            return try formatAfterHeader(bytes, path: path, rows: rows, dimension: dimension, headerEnd: firstLine.next, headerText: firstLine.text)
        }
        guard firstFields.count >= 2, firstFields.dropFirst().allSatisfy({ Float($0) != nil }) else {
            throw unknown("the first line \"\(firstLine.text.prefix(60))\" is neither a \"ROWS DIMENSION\" header nor a word followed by numbers")
        }
        // No header: GloVe's layout, if the next line has as many fields.
        if firstLine.next < bytes.count {
            let second = fields(of: line(in: bytes, from: firstLine.next).text)
            if !second.isEmpty && second.count != firstFields.count {
                throw unknown("line 1 has \(firstFields.count - 1) numbers but line 2 has \(second.count - 1)")
            }
        }
        return .gloveText
    }

    /// After a "ROWS DIMENSION" header: text lines (word2vec text or fastText .vec) or raw floats
    /// (word2vec binary).
    static func formatAfterHeader(_ bytes: UnsafeRawBufferPointer, path: String, rows: Int, dimension: Int,
                                  headerEnd: Int, headerText: String) throws -> VectorFileFormat {
        guard rows > 0, headerEnd < bytes.count else { return .word2vecText }  // no rows: both read the same
        let row = line(in: bytes, from: headerEnd)
        let rowFields = fields(of: row.text)
        let looksLikeText = row.isText && rowFields.count > 1 && rowFields.dropFirst().allSatisfy { Float($0) != nil }
        // A word, a space, then 4·D bytes of floats: binary. (A text row with the wrong number of
        // fields is left to the text reader, which names the line.)
        guard looksLikeText else { return .word2vecBinary }
        guard rowFields.count == dimension + 1 else {
            // "2008 5" then "word 0.3": not a header, but GloVe vectors of one number.
            return rowFields.count == 2 ? .gloveText : .word2vecText
        }
        if dimension == 1 {
            // "3 1" may be a header (3 rows of 1 number) or GloVe's word "3" with the value 1:
            // the line count decides when it fits exactly one reading.
            let lines = countLines(bytes)
            if lines == rows + 1 { return .word2vecText }
            throw WordVectorsError.unknownFormat(
                path: path, detail: "the first line \"\(headerText)\" may be a header of \(rows) rows of one number, or a word with one number (the file has \(lines) lines)")
        }
        return row.endsWithSpace ? .fastTextVec : .word2vecText
    }

    /// The line starting at `start` (without "\n" or "\r\n", at most 1 MB), where the next one
    /// starts, whether it is valid UTF-8 text without control characters, and whether it ended in a space.
    static func line(in bytes: UnsafeRawBufferPointer, from start: Int) -> (text: String, next: Int, isText: Bool, endsWithSpace: Bool) {
        let limit = min(bytes.count, start + (1 << 20))
        var end = start
        while end < limit && bytes[end] != UInt8(ascii: "\n") { end += 1 }
        let next = end < bytes.count ? end + 1 : end
        var contentEnd = end
        if contentEnd > start && bytes[contentEnd - 1] == UInt8(ascii: "\r") { contentEnd -= 1 }
        let slice = UnsafeRawBufferPointer(rebasing: bytes[start..<contentEnd])
        let isControlFree = !slice.contains { $0 < 0x20 && $0 != UInt8(ascii: "\t") }
        let text = String(decoding: slice, as: UTF8.self)
        let isText = isControlFree && text.utf8.elementsEqual(slice)  // decoding replaced nothing: valid UTF-8
        return (text, next, isText, contentEnd > start && slice[slice.count - 1] == UInt8(ascii: " "))
    }

    /// Fields separated by spaces or tabs.
    static func fields(of text: String) -> [Substring] {
        text.split(whereSeparator: { $0 == " " || $0 == "\t" })
    }

    /// Lines in the file (a last line without "\n" counts; empty trailing lines do not).
    static func countLines(_ bytes: UnsafeRawBufferPointer) -> Int {
        var lines = 0
        var lineHasContent = false
        for byte in bytes {
            if byte == UInt8(ascii: "\n") {
                if lineHasContent { lines += 1 }
                lineHasContent = false
            } else if byte != UInt8(ascii: "\r") && byte != UInt8(ascii: " ") {
                lineHasContent = true
            }
        }
        return lines + (lineHasContent ? 1 : 0)
    }
}
