// Fuzz harness: the text formats (`VectorFile.read`): word2vec text / fastText .vec (with a
// "ROWS DIMENSION" header) and GloVe text (without). Property: one row per word, every row as wide
// as the header (or the first line) says.
// Seeds: the committed .vec/.txt fixtures (gensim's test files among them).
// Not handled: writing (fuzzed input never reaches the writers).

import FuzzSupport
import Foundation
import WordVectors

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let url = Fuzz.file("vectors.txt", Fuzz.bytes(data, size))
    for format in [VectorFileFormat.word2vecText, .gloveText] {
        do {
            let vectors = try VectorFile.read(url, format: format, replaceInvalidUTF8: format == .gloveText)
            Fuzz.check(vectors.vectors.shape == [vectors.words.count, vectors.dimension], "matrix shape \(vectors.vectors.shape) for \(vectors.words.count) words")
            if let word = vectors.words.last { _ = try vectors.vector(for: word) }
        } catch {
            Fuzz.describe(error)
        }
    }
    return 0
}
