// Averaged word vectors, the static baseline of `probe --vectors` and `agreement --vectors`, worked
// by hand: means of known words (both word2vec formats, CRLF text), zeros for a text with no known
// word, unit length when asked, fastText n-grams for unknown words, the word rule of
// Scripts/peers/wordrule.py, and the UTF-8 policy of the file's words.
import Evaluation
import Foundation
import TensorCore
import Testing
import TestSupport
import WordVectors

@Suite struct AveragedWordVectorsTests {
    /// "2 2 / the 1 0 / cat 0 1" in word2vec's binary layout: header, then "word " + 2 float32 + "\n".
    static func binaryBytes() -> [UInt8] {
        var bytes = Array("2 2\n".utf8)
        for (word, values) in [("the", [Float(1), 0]), ("cat", [0, 1])] {
            bytes += Array((word + " ").utf8)
            for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes += $0 } }
            bytes.append(0x0A)
        }
        return bytes
    }

    @Test func meansOfKnownWordsInEveryFormat() throws {
        let text = "2 2\nthe 1 0\ncat 0 1\n"
        let files = [try temporaryTextFile(Array(text.utf8), name: "v.txt"),
                     try temporaryTextFile(crlfBytes(text), name: "crlf.txt"),
                     try temporaryTextFile(Self.binaryBytes(), name: "v.bin")]
        for url in files {
            let baseline = try AveragedWordVectors(contentsOf: url)
            #expect(baseline.dimension == 2 && baseline.vectors.words == ["the", "cat"], "\(url.lastPathComponent)")
            // "The cat, the DOG.": the, cat, the are known (dog is not) → ([1,0] + [0,1] + [1,0]) / 3.
            let mean = baseline.vector(for: "The cat, the DOG.")
            #expect(abs(mean[0] - 2.0 / 3) < 1e-7 && abs(mean[1] - 1.0 / 3) < 1e-7, "\(url.lastPathComponent): \(mean)")
            #expect(baseline.vector(for: "unknown words") == [0, 0])
            // normalize: [2/3, 1/3] / (√5/3) = [2/√5, 1/√5]; the zero vector stays zero.
            let rows = try baseline.embed(["The cat, the DOG.", "unknown"], normalize: true)
            #expect(abs(rows[0][0] - 2 / 5.0.squareRoot().float) < 1e-6 && abs(rows[0][1] - 1 / 5.0.squareRoot().float) < 1e-6)
            #expect(rows[1] == [0, 0])
        }
    }

    @Test func theWordRuleIsThePeerScripts() {
        // re.split(r"[^\w']+", "Don't stop-believing_now, 42 Café!".lower()) → don't, stop, believing_now, 42, café
        let words = ["don't", "stop", "believing_now", "42", "café"]
        let table = KeyedVectors(words: words, vectors: Tensor(shape: [5, 5], scalars: (0..<25).map { $0 % 6 == 0 ? 1 : 0 }))
        // Each of the five words is known, once: the mean of the 5 × 5 identity rows is 0.2 everywhere.
        #expect(AveragedWordVectors(table).vector(for: "Don't stop-believing_now, 42 Café!") == [Float](repeating: 0.2, count: 5))
    }

    @Test func fastTextBuildsUnknownWordsFromTheirNgrams() throws {
        // A word outside the table gets the vector its model composes (gensim's FastTextKeyedVectors).
        let table = KeyedVectors(words: ["cat"], vectors: Tensor(shape: [1, 2], scalars: [1, 0]),
                                 outOfVocabularyVector: { $0 == "cats" ? [0, 3] : nil })
        // "cat cats dog": [1, 0] and [0, 3] (dog has no n-gram vector here) → [0.5, 1.5].
        #expect(AveragedWordVectors(table).vector(for: "cat cats dog") == [0.5, 1.5])
    }

    @Test func wordsFollowTheUTF8Policy() throws {
        // "2 2\r\n" is 5 bytes, "the 1 0\r\n" 9: the 0xFF of "ca\xFF" is byte 16 of the file.
        let text = try temporaryTextFile(Array("2 2\r\nthe 1 0\r\nca".utf8) + [0xFF] + Array(" 0 1\r\n".utf8), name: "bad.txt")
        #expect { try VectorFile.read(text, replaceInvalidUTF8: false) } throws: { error in
            guard case let .invalidUTF8(path, _, offset)? = error as? WordVectorsError else { return false }
            return path == text.path && offset == 16
        }
        let replaced = AveragedWordVectors(try VectorFile.read(text, replaceInvalidUTF8: true))
        #expect(replaced.vectors.words == ["the", "ca\u{FFFD}"])
        // Binary: "1 2\n" then the word "a\xFF", a space and two float32s (1, 2); the 0xFF is byte 5.
        let binary = try temporaryTextFile(Array("1 2\na".utf8) + [0xFF, 0x20, 0, 0, 0x80, 0x3F, 0, 0, 0, 0x40], name: "bad.bin")
        #expect { try VectorFile.read(binary, replaceInvalidUTF8: false) } throws: { error in
            guard case let .invalidUTF8(_, _, offset)? = error as? WordVectorsError else { return false }
            return offset == 5
        }
        #expect(try VectorFile.read(binary, replaceInvalidUTF8: true).words == ["a\u{FFFD}"])
    }

    @Test func aMalformedFileNamesItsLine() throws {
        // The header and the first row agree (3 numbers), so the file is word2vec text; line 3 is short.
        let url = try temporaryTextFile(Array("2 3\nthe 1 0 0\ncat 0 1\n".utf8), name: "short.txt")
        #expect { try AveragedWordVectors(contentsOf: url) } throws: { error in
            guard case let .malformed(path, field, _)? = error as? WordVectorsError else { return false }
            return path == url.path && field == "line 3"
        }
    }
}

private extension Double {
    var float: Float { Float(self) }
}
