// LineSample: a seeded uniform sample of a corpus's non-blank lines in one streaming pass
// (reservoir sampling, Algorithm R), returned in file order. Used where a measurement needs "N
// random sentences" of a corpus that may not fit in memory: whitening, the contextuality measures.
// Reference: Vitter (1985), "Random sampling with a reservoir", Algorithm R.
// Not handled: weighting lines; sampling without reading the whole file.

import Foundation
import TensorCore
import TextInput

extension TextCorpus {
    /// Up to `count` non-blank lines, each line equally likely, in file order. The same file, count
    /// and seed give the same lines on every platform (SeededGenerator).
    ///
    /// Algorithm R: keep the first `count` lines; line i (0-based, i ≥ count) replaces slot
    /// j = uniform{0…i} when j < count.
    ///
    /// - Complexity: one pass over the file; memory O(count) lines.
    ///
    /// ```swift
    /// let corpus = try TextCorpus(contentsOf: URL(fileURLWithPath: "corpus.txt"))
    /// let lines = try corpus.sampleLines(count: 1000, seed: 1)
    /// ```
    /// Ill-formed UTF-8 follows `policy` (refused with `InvalidUTF8Error`, or read as U+FFFD).
    public func sampleLines(count: Int, seed: UInt64, policy: InvalidUTF8Policy = .current) throws -> [String] {
        var generator = SeededGenerator(seed: seed)
        var reservoir: [(index: Int, text: String)] = []
        var seen = 0
        try forEachLine(in: 0..<byteCount) { bytes, offset in
            if policy == .refuse, let bad = UTF8Check.firstInvalidByte(in: bytes) {
                throw InvalidUTF8Error(source: path, byteOffset: offset + bad, line: try lineNumber(ofByte: offset + bad))
            }
            let text = String(decoding: bytes, as: UTF8.self)
            guard !text.allSatisfy(\.isWhitespace) else { return }
            if reservoir.count < count {
                reservoir.append((seen, text))
            } else {
                let slot = generator.nextInt(below: seen + 1)
                if slot < count { reservoir[slot] = (seen, text) }
            }
            seen += 1
        }
        return reservoir.sorted { $0.index < $1.index }.map(\.text)
    }
}
