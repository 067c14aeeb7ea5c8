// Fuzz harness: GPT-2's vocab.json + merges.txt (`Tokenizer.gpt2(vocabulary:merges:)`). The input
// is the two files joined by one NUL byte; the loaded tokenizer then encodes and decodes a text.
// Property: a byte-level tokenizer round-trips a text exactly when every byte has a token and
// no two tokens share an id.
// Not handled: added tokens given on the side (they come from tokenizer.json, fuzzed separately).

import FuzzSupport
import Foundation
import Tokenization

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let parts = Fuzz.split(Fuzz.bytes(data, size), into: 2)
    let vocabulary = Fuzz.file("vocab.json", parts[0])
    let merges = Fuzz.file("merges.txt", parts[1])
    do {
        let tokenizer = try Tokenizer.gpt2(vocabulary: vocabulary, merges: merges)
        let text = "Hello world, naïve café! 123"
        let encoding = try tokenizer.encode(text)
        _ = try? tokenizer.decode(encoding.ids)
        // With every byte's character in the vocabulary and one token per id, decoding is exact.
        if let bpe = tokenizer.model as? BPE, Set(bpe.vocabulary.values).count == bpe.vocabulary.count,
           (0...255).allSatisfy({ bpe.vocabulary[ByteLevelAlphabet.strings[$0]] != nil }) {
            Fuzz.check((try? tokenizer.decode(encoding.ids)) == text, "a complete byte-level vocabulary does not round-trip \"\(text)\"")
        }
    } catch {
        Fuzz.describe(error)
    }
    return 0
}
