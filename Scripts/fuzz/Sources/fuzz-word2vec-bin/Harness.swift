// Fuzz harness: word2vec binary files (`VectorFile.read(_:format: .word2vecBinary)`), strict and
// with invalid UTF-8 replaced. Property: the matrix has one row per word and the header's width.
// Seeds: the committed word2vec .bin fixtures (gensim's test files among them).
// Not handled: writing (fuzzed input never reaches the writers).

import FuzzSupport
import Foundation
import WordVectors

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let url = Fuzz.file("vectors.bin", Fuzz.bytes(data, size))
    for replace in [false, true] {
        do {
            let vectors = try VectorFile.read(url, format: .word2vecBinary, replaceInvalidUTF8: replace)
            Fuzz.check(vectors.vectors.shape == [vectors.words.count, vectors.dimension], "matrix shape \(vectors.vectors.shape) for \(vectors.words.count) words")
            if let word = vectors.words.first { _ = try vectors.vector(for: word) }
        } catch {
            Fuzz.describe(error)
        }
    }
    return 0
}
