// FastTextBinaryWriter: writes a fastText .bin model (version 12), so a FastText model trained here
// keeps its n-gram rows and gives vectors for unseen words in fastText and gensim too. The layout is
// the one FastTextBinary reads: magic and version; the arguments (13 int32s, then t as a double);
// the dictionary (size, nwords, nlabels, ntokens, pruneidx_size, then each word NUL-terminated with
// its int64 count and entry type 0, then the pruned-bucket pairs); the input matrix (quant flag 0,
// rows and columns as int64, float32 row-major); the output matrix the same way. Little-endian.
// Reference: fastText src/fasttext.cc (saveModel), args.cc (save), dictionary.cc (save), densematrix.cc.
// Not handled: supervised models (labels), quantised output (.ftz).

import Foundation
import TensorCore

extension FastTextBinary {
    /// fastText's `loss_name` values (args.h).
    public enum Loss: Int, Sendable {
        case hierarchicalSoftmax = 1, negativeSampling = 2, softmax = 3, oneVersusAll = 4
    }

    /// fastText's `model_name` values (args.h).
    public enum Model: Int, Sendable {
        case cbow = 1, skipGram = 2, supervised = 3
    }

    /// The model in fastText's .bin layout, as bytes (small models; `write(to:)` streams).
    /// - Throws: `WordVectorsError.invalidOption` for a model that cannot be written faithfully: one
    ///   read without its output matrix, a supervised one, or matrices that do not fit the dictionary.
    public func serialized() throws -> [UInt8] {
        var bytes: [UInt8] = []
        try emit { bytes += $0 }
        return bytes
    }

    /// Writes the model to `url` atomically (a temporary file, then a rename), streaming the matrices.
    public func write(to url: URL) throws {
        try checkWritable()
        try writeAtomically(url.path) { handle in
            var out = BufferedWriter(handle)
            try emit { try out.write($0) }
            try out.flush()
        }
    }

    /// Hands the file's bytes, in order, to `sink`.
    func emit(_ sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        try checkWritable()
        func int32(_ value: Int) throws { try withUnsafeBytes(of: Int32(value).littleEndian) { try sink($0) } }
        func int64(_ value: Int) throws { try withUnsafeBytes(of: Int64(value).littleEndian) { try sink($0) } }
        func byte(_ value: UInt8) throws { try withUnsafeBytes(of: value) { try sink($0) } }
        func matrix(_ tensor: Tensor) throws {
            try byte(0)  // quant flag: a dense float matrix
            try int64(tensor.shape[0])
            try int64(tensor.shape[1])
            try tensor.withUnsafeBufferPointer { values in
                #if _endian(little)
                try sink(UnsafeRawBufferPointer(values))
                #else
                for value in values { try withUnsafeBytes(of: value.bitPattern.littleEndian) { try sink($0) } }
                #endif
            }
        }
        // Header and arguments, in Args::save's order.
        try int32(Int(FastTextBinary.magic))
        try int32(12)
        for value in [dimension, window, epochs, minCount, negative, wordNgrams, loss, model, bucket, minn, maxn, learningRateUpdateRate] {
            try int32(value)
        }
        try withUnsafeBytes(of: samplingThreshold.bitPattern.littleEndian) { try sink($0) }
        // Dictionary.
        try int32(words.count)   // size: words only (no labels)
        try int32(words.count)   // nwords
        try int32(0)             // nlabels
        try int64(tokenCount)
        try int64(isPruned ? prunedBuckets.count : -1)
        for (word, count) in zip(words, counts) {
            try Array(word.utf8 + [0]).withUnsafeBytes { try sink($0) }
            try int64(count)
            try byte(0)          // entry type: word
        }
        for (bucketIndex, row) in prunedBuckets.sorted(by: { $0.key < $1.key }) {
            try int32(bucketIndex)
            try int32(row)
        }
        try matrix(inputMatrix)
        try matrix(outputMatrix!)
    }

    /// Refuses what the .bin layout could not hold as it is.
    func checkWritable() throws {
        func refuse(_ detail: String) -> WordVectorsError { .invalidOption(name: "format", detail: "fasttext-bin: " + detail) }
        guard model != Model.supervised.rawValue else {
            throw refuse("supervised models (labels) are not written; write the word vectors as fasttext-vec")
        }
        guard let outputMatrix else {
            throw refuse("the model was read without its output matrix; read it with keepingOutputMatrix: true")
        }
        let expectedRows = words.count + (isPruned ? prunedBuckets.count : bucket)
        guard inputMatrix.shape == [expectedRows, dimension] else {
            throw refuse("the input matrix is \(inputMatrix.shape) but nwords + buckets = \(expectedRows) rows of \(dimension)")
        }
        guard outputMatrix.shape == [words.count, dimension] else {
            throw refuse("the output matrix is \(outputMatrix.shape) but there are \(words.count) words of \(dimension)")
        }
        guard counts.count == words.count else { throw refuse("\(counts.count) counts for \(words.count) words") }
        for word in words where word.isEmpty || word.utf8.contains(0) || word.contains(where: { $0.isWhitespace }) {
            throw refuse("the word \"\(word)\" is empty or holds whitespace or a NUL, which fastText's dictionary cannot hold")
        }
    }
}
