// Fuzz harness: fastText .bin models (`FastTextBinary.read`), its word vectors, then the
// vector of a word the model has never seen (built from its character n-gram rows).
// Property: every n-gram row a word maps to lies inside the input matrix.
// Seeds: gensim's fastText test models committed under Tests/Fixtures/WordVectors/gensim.
// Not handled: quantised .ftz models (refused with a typed error, which this harness also reaches).

import FuzzSupport
import Foundation
import WordVectors

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let url = Fuzz.file("model.bin", Fuzz.bytes(data, size))
    do {
        let model = try FastTextBinary.read(url)
        for word in ["unseenword", "naïve", "", model.words.first ?? "a"] {
            let rows = model.subwordRows(for: word, knownIndex: nil)
            Fuzz.check(rows.allSatisfy { $0 >= 0 && $0 < model.inputMatrix.shape[0] }, "an n-gram row outside the input matrix for \"\(word)\"")
        }
        _ = try? model.keyedVectors.vector(for: "unseenword")
    } catch {
        Fuzz.describe(error)
    }
    return 0
}
