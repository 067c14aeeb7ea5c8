// CharacterNgrams: fastText's subwords. The word is wrapped as "<word>", and every run of minn…maxn
// UTF-8 characters (not bytes: continuation bytes never start or end an n-gram) is hashed with
// 32-bit FNV-1a over its bytes — each byte sign-extended first, as fastText's `int8_t` cast does —
// into one of `bucket` rows placed after the word rows. One-character n-grams made of just "<" or
// ">" are skipped. The word's own row is included by the caller for in-vocabulary words.
// Reference: fastText src/dictionary.cc (computeSubwords, hash, pushHash); Bojanowski et al. 2017.
// Not handled: pruned (quantised) dictionaries' pruneidx remapping beyond dropping unknown hashes.

/// fastText's n-gram rule and hash.
///
/// ```swift
/// CharacterNgrams.ngrams(of: "where", minn: 3, maxn: 3)  // ["<wh", "whe", "her", "ere", "re>"]
/// ```
public enum CharacterNgrams: Sendable {
    /// fastText's `Dictionary::hash`: FNV-1a, 32-bit, over the bytes cast through int8_t.
    ///
    /// h₀ = 2166136261; hᵢ = (hᵢ₋₁ ⊕ uint32(int8(byteᵢ))) · 16777619 (mod 2³²).
    @inline(__always)
    public static func hash<Bytes: Sequence>(_ bytes: Bytes) -> UInt32 where Bytes.Element == UInt8 {
        var h: UInt32 = 2_166_136_261
        for byte in bytes {
            h ^= UInt32(bitPattern: Int32(Int8(bitPattern: byte)))
            h = h &* 16_777_619
        }
        return h
    }

    /// Calls `body(start, end)` for each n-gram of `wrapped` (the bytes of "<word>") as a byte range.
    @inline(__always)
    public static func forEachNgram(
        _ wrapped: UnsafeBufferPointer<UInt8>, minn: Int, maxn: Int, _ body: (Int, Int) -> Void
    ) {
        let count = wrapped.count
        for start in 0..<count {
            if wrapped[start] & 0xC0 == 0x80 { continue }       // not the first byte of a character
            var end = start
            var characters = 1
            while end < count && characters <= maxn {
                end += 1                                          // take the lead byte
                while end < count && wrapped[end] & 0xC0 == 0x80 { end += 1 }  // and its continuation bytes
                if characters >= minn && !(characters == 1 && (start == 0 || end == count)) {
                    body(start, end)
                }
                characters += 1
            }
        }
    }

    /// The n-gram strings of `word` (for documentation and tests).
    public static func ngrams(of word: String, minn: Int, maxn: Int) -> [String] {
        let wrapped = Array(("<" + word + ">").utf8)
        var result: [String] = []
        wrapped.withUnsafeBufferPointer { buffer in
            forEachNgram(buffer, minn: minn, maxn: maxn) { start, end in
                result.append(String(decoding: buffer[start..<end], as: UTF8.self))
            }
        }
        return result
    }

    /// The row indices of `word`'s n-grams: wordCount + hash(ngram) mod bucket, in fastText's order.
    public static func rows(of word: String, minn: Int, maxn: Int, bucket: Int, wordCount: Int) -> [Int] {
        var result: [Int] = []
        var wordBytes = Array(word.utf8)
        wordBytes.withUnsafeMutableBufferPointer { buffer in
            appendRows(of: UnsafeBufferPointer(buffer), minn: minn, maxn: maxn, bucket: bucket, wordCount: wordCount, into: &result)
        }
        return result
    }

    /// Appends the n-gram rows of the word whose UTF-8 bytes are `word` to `rows`.
    public static func appendRows(
        of word: UnsafeBufferPointer<UInt8>, minn: Int, maxn: Int, bucket: Int, wordCount: Int, into rows: inout [Int]
    ) {
        guard bucket > 0, maxn > 0 else { return }
        var wrapped = [UInt8]()
        wrapped.reserveCapacity(word.count + 2)
        wrapped.append(UInt8(ascii: "<"))
        wrapped.append(contentsOf: word)
        wrapped.append(UInt8(ascii: ">"))
        wrapped.withUnsafeBufferPointer { buffer in
            forEachNgram(buffer, minn: minn, maxn: maxn) { start, end in
                let h = hash(UnsafeBufferPointer(rebasing: buffer[start..<end]))
                // fastText stores the hash in an int32_t before `% bucket`: the result is int32 h mod bucket
                // with h reinterpreted as unsigned → both give the same non-negative value here.
                rows.append(wordCount + Int(h % UInt32(truncatingIfNeeded: bucket)))
            }
        }
    }
}
