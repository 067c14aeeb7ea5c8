// FastTextBinary: reads a fastText .bin model: the header (magic and version, absent in files from
// before 2017), the training arguments, the dictionary (words, counts, entry types, pruned-bucket
// map), and the input matrix [nwords + bucket, dim] with its n-gram rows, so that any word — known or
// not — gets the vector fastText's getWordVector gives: the mean of its rows. Writing is in
// FastTextBinaryWriter.swift.
// Reference: fastText src/fasttext.cc (loadModel), args.cc, dictionary.cc (load), matrix.cc;
// gensim models/_fasttext_bin.py. Not handled: quantised models (.ftz), supervised labels.

import Foundation
import TextInput
import TensorCore

/// A fastText model read from a .bin file (the parts needed for word vectors).
public struct FastTextBinary: Sendable {
    /// The first int32 of files written since 2017 (FASTTEXT_FILEFORMAT_MAGIC_INT32).
    public static let magic: Int32 = 793_712_314
    /// The format version (12 for current files), nil for the old header-less format.
    public var version: Int32?
    /// The training arguments stored in the file.
    public var dimension: Int, window: Int, epochs: Int, minCount: Int, negative: Int
    public var wordNgrams: Int, loss: Int, model: Int, bucket: Int, minn: Int, maxn: Int
    public var learningRateUpdateRate: Int, samplingThreshold: Double
    /// The dictionary's words (entry type 0), in file order.
    public var words: [String]
    public var counts: [Int]
    /// Tokens in the training corpus.
    public var tokenCount: Int
    /// Pruned models: bucket → row offset. Empty = not pruned (pruneidx_size −1).
    public var prunedBuckets: [Int: Int]
    public var isPruned: Bool
    /// The input matrix, [words.count + bucket, dimension].
    public var inputMatrix: Tensor
    /// The output matrix, [words.count, dimension] (fastText: wo_), needed to write the model back
    /// or to continue training; nil when read without it (`read(_:keepingOutputMatrix: false)`).
    public var outputMatrix: Tensor? = nil

    // MARK: - Word vectors

    /// The rows that make up `word`: its own row when known, then its n-gram rows.
    public func subwordRows(for word: String, knownIndex: Int?) -> [Int] {
        var rows: [Int] = []
        if let knownIndex { rows.append(knownIndex) }
        if word == "</s>" && knownIndex != nil { return rows }  // fastText gives EOS no n-grams
        if isPruned && prunedBuckets.isEmpty { return rows }
        var raw: [Int] = []
        var bytes = Array(word.utf8)
        bytes.withUnsafeMutableBufferPointer { buffer in
            CharacterNgrams.appendRows(of: UnsafeBufferPointer(buffer), minn: minn, maxn: maxn, bucket: bucket, wordCount: 0, into: &raw)
        }
        for bucketIndex in raw {
            if isPruned {
                if let mapped = prunedBuckets[bucketIndex] { rows.append(words.count + mapped) }
            } else {
                rows.append(words.count + bucketIndex)
            }
        }
        return rows
    }

    /// The mean of `rows` of the input matrix (fastText's getWordVector); nil for no rows.
    public func meanOfRows(_ rows: [Int]) -> [Float]? {
        guard !rows.isEmpty else { return nil }
        let D = dimension
        var result = [Float](repeating: 0, count: D)
        inputMatrix.withUnsafeBufferPointer { matrix in
            for row in rows {
                for column in 0..<D { result[column] += matrix[row * D + column] }
            }
        }
        let scale = meanScale(rows.count)
        return result.map { $0 * scale }
    }

    /// Word vectors for every dictionary word, plus n-gram vectors for unknown words.
    public var keyedVectors: KeyedVectors {
        let D = dimension
        var index: [String: Int] = [:]
        for (position, word) in words.enumerated() where index[word] == nil { index[word] = position }
        var vectors = Tensor(zeros: [words.count, D])
        vectors.withUnsafeMutableBufferPointer { values in
            for (position, word) in words.enumerated() {
                let vector = meanOfRows(subwordRows(for: word, knownIndex: position)) ?? [Float](repeating: 0, count: D)
                for column in 0..<D { values[position * D + column] = vector[column] }
            }
        }
        let model = self
        return KeyedVectors(words: words, vectors: vectors, counts: counts, fastTextModel: self) { word in
            model.meanOfRows(model.subwordRows(for: word, knownIndex: nil))
        }
    }

    // MARK: - Reading

    /// Reads a fastText .bin file.
    /// - Parameter keepingOutputMatrix: also keep the output matrix (to write the model again);
    ///   word vectors do not need it.
    /// - Throws: `.truncated` / `.malformed` naming the field, `.invalidUTF8` for a broken word.
    public static func read(_ url: URL, replaceInvalidUTF8: Bool = InvalidUTF8Policy.current == .replace, keepingOutputMatrix: Bool = false) throws -> FastTextBinary {
        let path = url.path
        return try withMappedFile(path) { bytes in
            var reader = ByteReader(path: path, bytes: bytes)
            return try read(&reader, replaceInvalidUTF8: replaceInvalidUTF8, keepingOutputMatrix: keepingOutputMatrix)
        }
    }

    static func read(_ reader: inout ByteReader, replaceInvalidUTF8: Bool, keepingOutputMatrix: Bool = false) throws -> FastTextBinary {
        let path = reader.path
        let first = try reader.int32("the magic number")
        let second = try reader.int32("the version")
        let isNew = first == magic
        // Without the magic number the file is read as fastText's older layout (as gensim does);
        // a file that is no fastText model at all then fails in the header: say why it was read so.
        let layout = isNew ? "" : "; the file does not start with fastText's magic number \(magic), so it was read as an older fastText model: "
            + "if it is another format, give that format (a word2vec binary is word2vec-bin)"
        func positive(_ value: Int32, _ field: String, allowZero: Bool = false) throws -> Int {
            guard value > 0 || (allowZero && value == 0) else {
                throw WordVectorsError.malformed(path: path, field: field, detail: "\(value) is not allowed (the file is garbled or not a fastText model)" + layout)
            }
            return Int(value)
        }
        var version: Int32? = nil
        let dimensionValue: Int32, windowValue: Int32
        if isNew {
            version = second
            guard second >= 11 && second <= 12 else {
                throw WordVectorsError.malformed(path: path, field: "version", detail: "version \(second) is not supported (11 or 12)")
            }
            dimensionValue = try reader.int32("args.dim")
            windowValue = try reader.int32("args.ws")
        } else {
            dimensionValue = first
            windowValue = second
        }
        let dimension = try positive(dimensionValue, "args.dim (the vector dimension)")
        guard dimension <= 100_000 else { throw WordVectorsError.malformed(path: path, field: "args.dim", detail: "\(dimension) is implausibly large; the file is garbled" + layout) }
        let window = try positive(windowValue, "args.ws", allowZero: true)
        let epochs = try positive(try reader.int32("args.epoch"), "args.epoch", allowZero: true)
        let minCount = try positive(try reader.int32("args.minCount"), "args.minCount", allowZero: true)
        let negative = try positive(try reader.int32("args.neg"), "args.neg", allowZero: true)
        let wordNgrams = try positive(try reader.int32("args.wordNgrams"), "args.wordNgrams", allowZero: true)
        let loss = try positive(try reader.int32("args.loss"), "args.loss", allowZero: true)
        let model = try positive(try reader.int32("args.model"), "args.model", allowZero: true)
        let bucket = try positive(try reader.int32("args.bucket"), "args.bucket", allowZero: true)
        let minn = try positive(try reader.int32("args.minn"), "args.minn", allowZero: true)
        let maxn = try positive(try reader.int32("args.maxn"), "args.maxn", allowZero: true)
        let updateRate = try positive(try reader.int32("args.lrUpdateRate"), "args.lrUpdateRate", allowZero: true)
        let threshold = try reader.float64("args.t")

        // Dictionary.
        let size = try positive(try reader.int32("dictionary size"), "dictionary size", allowZero: true)
        let wordCount = try positive(try reader.int32("dictionary nwords"), "dictionary nwords", allowZero: true)
        let labelCount = try positive(try reader.int32("dictionary nlabels"), "dictionary nlabels", allowZero: true)
        guard wordCount + labelCount == size else {
            throw WordVectorsError.malformed(path: path, field: "dictionary", detail: "nwords \(wordCount) + nlabels \(labelCount) ≠ size \(size)" + layout)
        }
        let tokens = try reader.int64("dictionary ntokens")
        var pruneSize: Int64 = -1
        if isNew { pruneSize = try reader.int64("dictionary pruneidx_size") }
        // Each entry takes at least 10 bytes (an empty word's NUL, the int64 count, the type byte).
        guard size * 10 <= reader.remaining else {
            throw WordVectorsError.truncated(path: path, field: "the dictionary", detail: "\(size) entries announced but only \(reader.remaining) bytes follow" + layout)
        }
        var words: [String] = []
        var counts: [Int] = []
        words.reserveCapacity(wordCount)
        for entry in 0..<size {
            let offset = reader.position
            let raw = try reader.bytes(until: 0, limit: 1_000_000, "dictionary entry \(entry)")
            let count = try reader.int64("the count of dictionary entry \(entry)")
            let type = try reader.uint8("the type of dictionary entry \(entry)")
            guard count >= 0, type <= 1 else {
                throw WordVectorsError.malformed(path: path, field: "dictionary entry \(entry)", detail: "count \(count), type \(type)")
            }
            if type == 0 {
                words.append(try decodeWord(raw, path: path, field: "dictionary entry \(entry)", offset: offset, replaceInvalid: replaceInvalidUTF8))
                counts.append(Int(count))
            }
        }
        guard words.count == wordCount else {
            throw WordVectorsError.malformed(path: path, field: "dictionary", detail: "\(words.count) word entries but nwords says \(wordCount) (words must come before labels)")
        }
        var pruned: [Int: Int] = [:]
        if pruneSize > 0 {
            guard pruneSize <= Int64(reader.remaining) / 8 else {
                throw WordVectorsError.truncated(path: path, field: "pruneidx", detail: "\(pruneSize) pairs announced")
            }
            for _ in 0..<Int(pruneSize) {
                let from = try reader.int32("pruneidx key"), to = try reader.int32("pruneidx value")
                pruned[Int(from)] = Int(to)
            }
        }

        // Input matrix.
        if isNew {
            let quantised = try reader.uint8("the quant_input flag")
            guard quantised == 0 else {
                throw WordVectorsError.malformed(path: path, field: "quant_input", detail: "quantised models (.ftz) are not supported; use the .bin of an unquantised model")
            }
        }
        let rows = try reader.int64("the input matrix row count")
        let columns = try reader.int64("the input matrix column count")
        guard columns == Int64(dimension), rows >= Int64(wordCount), rows <= Int64(Int32.max) else {
            throw WordVectorsError.malformed(path: path, field: "the input matrix shape", detail: "[\(rows), \(columns)] does not fit nwords \(wordCount) and dim \(dimension)")
        }
        guard pruneSize >= 0 || rows == Int64(wordCount + bucket) else {
            throw WordVectorsError.malformed(path: path, field: "the input matrix shape", detail: "\(rows) rows, expected nwords + bucket = \(wordCount + bucket)")
        }
        // A pruned model maps buckets to rows after the words: every target must exist.
        for (_, row) in pruned where row < 0 || Int64(wordCount + row) >= rows {
            throw WordVectorsError.malformed(path: path, field: "pruneidx", detail: "maps a bucket to row \(row), outside the \(rows - Int64(wordCount)) n-gram rows")
        }
        let (byteCount, overflow) = (Int(rows) * dimension).multipliedReportingOverflow(by: 4)
        guard !overflow, byteCount <= reader.remaining else {
            throw WordVectorsError.truncated(path: path, field: "the input matrix", detail: "[\(rows), \(columns)] floats need \(byteCount) bytes, \(reader.remaining) follow")
        }
        var matrix = Tensor(zeros: [Int(rows), dimension])
        try matrix.withUnsafeMutableBufferPointer { values in
            try reader.floats(into: values.baseAddress!, count: Int(rows) * dimension, "the input matrix")
        }
        // The output matrix follows; we do not need its values, but a file cut inside it is damaged.
        if isNew {
            let quantised = try reader.uint8("the quant_output flag")
            guard quantised == 0 else {
                throw WordVectorsError.malformed(path: path, field: "qout", detail: "quantised output matrices are not supported")
            }
        }
        let outputRows = try reader.int64("the output matrix row count")
        let outputColumns = try reader.int64("the output matrix column count")
        guard outputRows >= 0, outputRows <= Int64(Int32.max), outputColumns == Int64(dimension) else {
            throw WordVectorsError.malformed(path: path, field: "the output matrix shape", detail: "[\(outputRows), \(outputColumns)] does not fit dim \(dimension)")
        }
        var outputMatrix: Tensor? = nil
        if keepingOutputMatrix {
            let (outputBytes, outputOverflow) = (Int(outputRows) * dimension).multipliedReportingOverflow(by: 4)
            guard !outputOverflow, outputBytes <= reader.remaining else {
                throw WordVectorsError.truncated(path: path, field: "the output matrix", detail: "[\(outputRows), \(outputColumns)] floats need \(outputBytes) bytes, \(reader.remaining) follow")
            }
            var output = Tensor(zeros: [Int(outputRows), dimension])
            try output.withUnsafeMutableBufferPointer { values in
                try reader.floats(into: values.baseAddress!, count: Int(outputRows) * dimension, "the output matrix")
            }
            outputMatrix = output
        } else {
            try reader.skip(Int(outputRows) * dimension * 4, "the output matrix")
        }
        return FastTextBinary(
            version: version, dimension: dimension, window: window, epochs: epochs, minCount: minCount,
            negative: negative, wordNgrams: wordNgrams, loss: loss, model: model, bucket: bucket, minn: minn,
            maxn: maxn, learningRateUpdateRate: updateRate, samplingThreshold: threshold, words: words,
            counts: counts, tokenCount: Int(tokens), prunedBuckets: pruned, isPruned: pruneSize >= 0,
            inputMatrix: matrix, outputMatrix: outputMatrix)
    }
}
