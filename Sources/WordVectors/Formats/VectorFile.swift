// VectorFile: the standard word-vector files, read and written: word2vec text ("V D" header, one
// "word v1 … vD" line per word), word2vec binary (the same header, then "word " + D little-endian
// float32 per word, word2vec.c adds "\n"), GloVe text (word2vec text without the header), fastText
// .vec (word2vec text, fastText puts a space before each newline), and fastText .bin (a whole model
// with its n-gram rows: FastTextBinary.swift, FastTextBinaryWriter.swift). With no format given,
// the file's first bytes decide (VectorFormatDetection.swift). Readers check every count against
// the bytes present before allocating.
// Reference: word2vec.c (distance.c), gensim KeyedVectors.load/save_word2vec_format, GloVe glove.c,
// fastText FastText::saveVectors. Not handled: word2vec.c's double-precision variant; gzip.

import Foundation
import TextInput
import TensorCore

/// The file formats of `VectorFile`.
public enum VectorFileFormat: String, CaseIterable, Sendable {
    case word2vecBinary = "word2vec-bin"
    case word2vecText = "word2vec-txt"
    case gloveText = "glove-txt"
    case fastTextVec = "fasttext-vec"
    case fastTextBinary = "fasttext-bin"

    /// The format a file name asks for: .bin → word2vec-bin (fasttext-bin for vectors that carry a
    /// fastText model, `KeyedVectors.fastTextModel`), .vec → fasttext-vec, .txt → word2vec-txt;
    /// nil for any other extension.
    public static func inferred(fromExtensionOf url: URL, carriesSubwords: Bool = false) -> VectorFileFormat? {
        switch url.pathExtension.lowercased() {
        case "bin": return carriesSubwords ? .fastTextBinary : .word2vecBinary
        case "vec": return .fastTextVec
        case "txt": return .word2vecText
        default: return nil
        }
    }

    /// The accepted names, for error messages.
    public static var names: String { allCases.map { $0.rawValue }.joined(separator: ", ") }
}

/// Reading and writing word vectors in the standard files.
///
/// ```swift
/// let vectors = try VectorFile.read(URL(fileURLWithPath: "GoogleNews-vectors.bin"))   // format sniffed
/// try VectorFile.write(vectors, to: URL(fileURLWithPath: "small.txt"), format: .word2vecText)
/// ```
public enum VectorFile: Sendable {
    /// Reads the file at `url`. With no format, its first bytes decide (`detectFormat(of:)`).
    /// - Parameter replaceInvalidUTF8: decode broken words with U+FFFD instead of throwing.
    /// - Throws: `WordVectorsError`: `.unknownFormat` when no format is given and none can be told.
    public static func read(_ url: URL, format: VectorFileFormat? = nil, replaceInvalidUTF8: Bool = InvalidUTF8Policy.current == .replace) throws -> KeyedVectors {
        let path = url.path
        let chosen = try format ?? detectFormat(of: url)
        switch chosen {
        case .word2vecBinary:
            return try withMappedFile(path) { try readWord2VecBinary(ByteReader(path: path, bytes: $0), replaceInvalidUTF8: replaceInvalidUTF8) }
        case .word2vecText, .fastTextVec:
            return try withMappedFile(path) { try readText(ByteReader(path: path, bytes: $0), hasHeader: true, replaceInvalidUTF8: replaceInvalidUTF8) }
        case .gloveText:
            return try withMappedFile(path) { try readText(ByteReader(path: path, bytes: $0), hasHeader: false, replaceInvalidUTF8: replaceInvalidUTF8) }
        case .fastTextBinary:
            return try FastTextBinary.read(url, replaceInvalidUTF8: replaceInvalidUTF8).keyedVectors
        }
    }

    // MARK: - Header

    /// Parses "V D" (ASCII, spaces) up to the newline.
    static func readHeader(_ reader: inout ByteReader) throws -> (rows: Int, dimension: Int) {
        let line = try reader.bytes(until: UInt8(ascii: "\n"), limit: 64, "the header line \"ROWS DIMENSION\"")
        let text = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let fields = text.split(separator: " ")
        guard fields.count == 2, let rows = Int(fields[0]), let dimension = Int(fields[1]) else {
            throw WordVectorsError.malformed(path: reader.path, field: "header", detail: "expected \"ROWS DIMENSION\", found \"\(text.prefix(40))\"; for a file without a header use the glove-txt format")
        }
        guard rows >= 0 else { throw WordVectorsError.malformed(path: reader.path, field: "header", detail: "negative row count \(rows)") }
        guard dimension >= 1 && dimension <= 1_000_000 else {
            throw WordVectorsError.malformed(path: reader.path, field: "header dimension", detail: "\(dimension) is not a usable vector size (must be 1...1000000)")
        }
        return (rows, dimension)
    }

    // MARK: - Binary

    static func readWord2VecBinary(_ input: ByteReader, replaceInvalidUTF8: Bool) throws -> KeyedVectors {
        var reader = input
        let (rows, D) = try readHeader(&reader)
        // Each row needs at least one byte of word, the space and 4·D bytes of floats.
        let (perRow, overflow1) = (4 * D + 2).multipliedReportingOverflow(by: 1)
        let (minimum, overflow2) = rows.multipliedReportingOverflow(by: perRow)
        guard !overflow1, !overflow2, minimum - 1 <= reader.remaining else {
            throw WordVectorsError.truncated(path: reader.path, field: "the rows", detail: "the header promises \(rows) rows of \(D) floats (≥ \(minimum) bytes) but \(reader.remaining) bytes follow")
        }
        var words: [String] = []
        words.reserveCapacity(rows)
        var vectors = Tensor(zeros: [rows, D])
        try vectors.withUnsafeMutableBufferPointer { values in
            for row in 0..<rows {
                reader.skip(while: { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\t") })
                let offset = reader.position
                let raw = try reader.bytes(until: UInt8(ascii: " "), limit: 100_000, "the word of row \(row)")
                words.append(try decodeWord(raw, path: reader.path, field: "the word of row \(row)", offset: offset, replaceInvalid: replaceInvalidUTF8))
                try reader.floats(into: values.baseAddress! + row * D, count: D, "the vector of row \(row) (\"\(words[row])\")")
            }
        }
        return KeyedVectors(words: words, vectors: vectors)
    }

    // MARK: - Text

    static func readText(_ input: ByteReader, hasHeader: Bool, replaceInvalidUTF8: Bool) throws -> KeyedVectors {
        var reader = input
        var expectedRows: Int? = nil
        var D = 0
        if hasHeader {
            let header = try readHeader(&reader)
            expectedRows = header.rows
            D = header.dimension
        }
        var words: [String] = []
        var values: [Float] = []
        var lineNumber = hasHeader ? 1 : 0
        while !reader.atEnd, expectedRows.map({ words.count < $0 }) ?? true {
            let offset = reader.position
            let line: UnsafeRawBufferPointer
            do {
                line = try reader.bytes(until: UInt8(ascii: "\n"), limit: 100_000_000, "line \(lineNumber + 1)")
            } catch WordVectorsError.truncated {
                // The last line may lack its newline.
                line = UnsafeRawBufferPointer(rebasing: reader.bytes[offset...])
                try reader.skip(reader.remaining, "")
            }
            lineNumber += 1
            var end = line.count
            while end > 0 && (line[end - 1] == UInt8(ascii: " ") || line[end - 1] == UInt8(ascii: "\r") || line[end - 1] == UInt8(ascii: "\t")) { end -= 1 }
            if end == 0 && !hasHeader { continue }
            let fields = UnsafeRawBufferPointer(rebasing: line[0..<end]).split(separator: UInt8(ascii: " "), omittingEmptySubsequences: true)
            guard let first = fields.first else {
                throw WordVectorsError.malformed(path: reader.path, field: "line \(lineNumber)", detail: "an empty line where a vector was expected")
            }
            if D == 0 {
                D = fields.count - 1
                guard D >= 1 else {
                    throw WordVectorsError.malformed(path: reader.path, field: "line \(lineNumber)", detail: "a word with no numbers: the dimension would be zero")
                }
            }
            guard fields.count == D + 1 else {
                throw WordVectorsError.malformed(path: reader.path, field: "line \(lineNumber)", detail: "\(fields.count - 1) numbers where \(D) were expected (is this really the text format?)")
            }
            let wordBytes = UnsafeRawBufferPointer(rebasing: first)
            words.append(try decodeWord(wordBytes, path: reader.path, field: "the word on line \(lineNumber)", offset: offset, replaceInvalid: replaceInvalidUTF8))
            for (column, field) in fields.dropFirst().enumerated() {
                guard let value = parseFloat(UnsafeRawBufferPointer(rebasing: field)) else {
                    throw WordVectorsError.malformed(path: reader.path, field: "line \(lineNumber), number \(column + 1)", detail: "\"\(String(decoding: field, as: UTF8.self).prefix(30))\" is not a number")
                }
                values.append(value)
            }
        }
        if let expectedRows, words.count < expectedRows {
            throw WordVectorsError.truncated(path: reader.path, field: "the rows", detail: "the header promises \(expectedRows) rows but only \(words.count) are present")
        }
        guard D >= 1 else {
            throw WordVectorsError.malformed(path: reader.path, field: "contents", detail: "no vectors found")
        }
        return KeyedVectors(words: words, vectors: Tensor(shape: [words.count, D], scalars: values))
    }

    /// strtof on a field (at most 63 bytes), nil unless the whole field is one number.
    static func parseFloat(_ field: UnsafeRawBufferPointer) -> Float? {
        guard field.count > 0, field.count < 64 else { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: 64) { buffer in
            for index in 0..<field.count { buffer[index] = CChar(bitPattern: field[index]) }
            buffer[field.count] = 0
            var end: UnsafeMutablePointer<CChar>? = nil
            let value = strtof(buffer.baseAddress!, &end)
            guard let end, end == buffer.baseAddress! + field.count else { return nil }
            return value
        }
    }

    // MARK: - Writing

    /// Writes `vectors` in `format`, atomically. Numbers are written in the shortest form that
    /// reads back to the same Float. fasttext-bin writes the whole fastText model the vectors came
    /// from (`vectors.fastTextModel`: trained here, or read from a .bin with its output matrix).
    /// - Throws: `.invalidOption` for a word with a space or newline in it, or for fasttext-bin
    ///   when the vectors carry no fastText model.
    public static func write(_ vectors: KeyedVectors, to url: URL, format: VectorFileFormat) throws {
        let path = url.path
        if format == .fastTextBinary {
            guard let model = vectors.fastTextModel else {
                throw WordVectorsError.invalidOption(
                    name: "format", detail: "fasttext-bin stores a fastText model with its n-gram rows, and these vectors have none (only a FastText model trained here or read from a .bin has them); write fasttext-vec or word2vec-bin")
            }
            return try model.write(to: url)
        }
        for word in vectors.words where word.isEmpty || word.contains(where: { $0 == " " || $0 == "\n" || $0 == "\r\n" }) {
            throw WordVectorsError.invalidOption(name: "words", detail: "the word \"\(word)\" is empty or holds a space or newline, which these formats cannot store")
        }
        let D = vectors.dimension
        try writeAtomically(path) { handle in
            var out = BufferedWriter(handle)
            if format != .gloveText { try out.write("\(vectors.count) \(D)\n") }
            try vectors.vectors.withUnsafeBufferPointer { values in
                for (row, word) in vectors.words.enumerated() {
                    try out.write(word.utf8)
                    try out.write([UInt8(ascii: " ")])
                    let rowValues = UnsafeBufferPointer(rebasing: values[(row * D)..<(row * D + D)])
                    if format == .word2vecBinary {
                        var little = rowValues.map { $0.bitPattern.littleEndian }
                        try little.withUnsafeMutableBytes { try out.write($0) }
                        try out.write([UInt8(ascii: "\n")])
                    } else {
                        let text = rowValues.map { "\($0)" }.joined(separator: " ")
                        try out.write(text)
                        try out.write(format == .fastTextVec ? " \n" : "\n")
                    }
                }
            }
            try out.flush()
        }
    }
}
