// Static word vectors for the probe's "average the word vectors" baseline: a minimal reader of
// word2vec's text (.txt/.vec: "count dim" then "word v₁ … v_d" per line) and binary (.bin: the
// same header, then per word its bytes, a space, d little-endian float32) formats behind a small
// protocol, and the sentence rule of the peer scripts: lowercase, split on every character that is
// not a letter, digit, "_" or "'", average the known words' vectors.
// Lines follow TextInput's rule ("\r\n" reads as "\n") and words its InvalidUTF8Policy: refused
// by default with the byte and line, read as U+FFFD with `--invalid-utf8 replace`.
// Reference: word2vec.c (ReadWord / the -binary output), gensim's load_word2vec_format.
// Not handled: GloVe files without a header, fastText .bin; the WordVectors module reads those.

import Foundation
import TensorCore
import TextInput

/// Word → vector look-up, the one thing the probe needs from static vectors.
public protocol WordVectorLookup {
    var dimension: Int { get }
    /// The vector of `word` (already lowercased), or nil if unknown.
    func vector(for word: String) -> [Float]?
}

/// Vectors read from a word2vec text or binary file.
public struct StaticWordVectors: WordVectorLookup, Sendable {
    public let dimension: Int
    public let words: [String]
    private let values: [Float]
    private let index: [String: Int]

    public init(words: [String], dimension: Int, values: [Float]) {
        self.words = words
        self.dimension = dimension
        self.values = values
        var index: [String: Int] = [:]
        for (row, word) in words.enumerated() where index[word] == nil { index[word] = row }  // the first wins, as gensim
        self.index = index
    }

    public func vector(for word: String) -> [Float]? {
        index[word].map { Array(values[($0 * dimension)..<(($0 + 1) * dimension)]) }
    }

    /// Reads word2vec text or binary, chosen by the extension (.bin is binary). Words that are not
    /// UTF-8 follow `policy`.
    /// - Throws: `FileError` naming the file and the line or word that is malformed;
    ///   `InvalidUTF8Error` (file, byte, line) for ill-formed UTF-8 under `.refuse`.
    public static func read(_ url: URL, policy: InvalidUTF8Policy = .current) throws -> StaticWordVectors {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw FileError(.notFound, file: url.path, field: "(file)", problem: "cannot be read", fix: "Check the path given to --vectors")
        }
        let bytes = [UInt8](data)
        var position = 0
        /// `bytes[range]` as text under `policy` (errors name the byte and its line in the file).
        func text(_ range: Range<Int>) throws -> String {
            try bytes.withUnsafeBufferPointer { whole in
                if policy == .refuse, let bad = UTF8Check.firstInvalidByte(in: UnsafeBufferPointer(rebasing: whole[range])) {
                    throw InvalidUTF8Error(source: url.path, byteOffset: range.lowerBound + bad,
                                           line: UTF8Check.line(of: range.lowerBound + bad, in: whole))
                }
                return String(decoding: UnsafeBufferPointer(rebasing: whole[range]), as: UTF8.self)
            }
        }
        func line() throws -> String {
            let start = position
            while position < bytes.count && bytes[position] != 0x0A { position += 1 }
            defer { position += 1 }
            // TextInput's line rule: a "\r" before the "\n" is not part of the line.
            let end = position > start && bytes[position - 1] == 0x0D ? position - 1 : position
            return try text(start..<end)
        }
        let header = try line().split(separator: " ").compactMap { Int($0) }
        guard header.count == 2, header[0] >= 0, header[1] > 0, header[1] <= 100_000 else {
            throw FileError(.malformed, file: url.path, field: "line 1", problem: "is not a \"count dimension\" header",
                            fix: "Give a word2vec-format file (gensim: save_word2vec_format)")
        }
        let (count, dimension) = (header[0], header[1])
        var words: [String] = []
        var values: [Float] = []
        words.reserveCapacity(count)
        values.reserveCapacity(count * dimension)
        if url.pathExtension == "bin" {
            for row in 0..<count {
                while position < bytes.count && (bytes[position] == 0x0A || bytes[position] == 0x20) { position += 1 }
                let start = position
                while position < bytes.count && bytes[position] != 0x20 { position += 1 }
                guard position + 1 + 4 * dimension <= bytes.count else {
                    throw FileError(.truncated, file: url.path, field: "word \(row + 1)", problem: "the file ends inside its vector",
                                    fix: "The file is incomplete; write it again")
                }
                words.append(try text(start..<position))
                position += 1
                for column in 0..<dimension {
                    let offset = position + 4 * column
                    let bits = UInt32(bytes[offset]) | UInt32(bytes[offset + 1]) << 8 | UInt32(bytes[offset + 2]) << 16 | UInt32(bytes[offset + 3]) << 24
                    values.append(Float(bitPattern: bits))
                }
                position += 4 * dimension
            }
        } else {
            for row in 0..<count {
                let fields = try line().split(separator: " ", omittingEmptySubsequences: true)
                let numbers = fields.dropFirst().compactMap { Float($0) }
                guard fields.count == dimension + 1, numbers.count == dimension else {
                    throw FileError(.malformed, file: url.path, field: "line \(row + 2)", problem: "does not hold a word and \(dimension) numbers",
                                    fix: "Check that the header's dimension matches the vectors")
                }
                words.append(String(fields[0]))
                values += numbers
            }
        }
        return StaticWordVectors(words: words, dimension: dimension, values: values)
    }
}

/// The peer scripts' word rule: lowercase, then split on every character that is not a letter,
/// a digit, "_" or "'" (Python's re.split(r"[^\w']+", text.lower())).
public func probeWords(in text: String) -> [String] {
    var words: [String] = []
    var current = String.UnicodeScalarView()
    func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "_" || scalar == "'" { return true }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return scalar.properties.numericType != nil
        }
    }
    for scalar in text.lowercased().unicodeScalars {
        if isWordScalar(scalar) {
            current.append(scalar)
        } else if !current.isEmpty {
            words.append(String(current))
            current = String.UnicodeScalarView()
        }
    }
    if !current.isEmpty { words.append(String(current)) }
    return words
}

/// The mean vector of the known words of `text`, or zeros when none is known (supersense_probe.py).
public func averagedWordVector(_ text: String, vectors: some WordVectorLookup) -> [Float] {
    var sum = [Double](repeating: 0, count: vectors.dimension)
    var known = 0
    for word in probeWords(in: text) {
        guard let vector = vectors.vector(for: word) else { continue }
        for column in sum.indices { sum[column] += Double(vector[column]) }
        known += 1
    }
    return sum.map { known == 0 ? 0 : Float($0 / Double(known)) }
}
