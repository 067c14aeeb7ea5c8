// Helpers shared by the pretraining tests: a toy tokenizer whose behaviour is easy to reason
// about (words split into 3-character pieces, the first piece of every word after the first one
// marked with Ġ, as byte-level BPE marks a preceding space), the tiny encoder configuration the
// PyTorch fixture uses, and a small synthetic corpus a model can learn in a few steps.
// Not handled: anything a test asserts itself.

import Encoder
import Foundation
import Pretraining

/// Whitespace words cut into pieces of 3 characters; "Ġ" marks a word start after a space.
/// Ids: 0 [PAD], 1 [UNK], 2 [CLS], 3 [SEP], 4 [MASK], then the pieces in order of first appearance.
struct ToyTokenizer: CorpusTokenizer {
    private(set) var pieces: [String] = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    private var index: [String: Int] = [:]
    let specialTokens = SpecialTokenIDs(classification: 2, separator: 3, mask: 4, padding: 0, others: [1])

    /// Learns its vocabulary from `texts`.
    init(texts: [String]) {
        for (id, piece) in pieces.enumerated() { index[piece] = id }
        for text in texts {
            for piece in ToyTokenizer.split(text) where index[piece] == nil {
                index[piece] = pieces.count
                pieces.append(piece)
            }
        }
    }

    static func split(_ text: String) -> [String] {
        var result: [String] = []
        for (position, word) in text.split(separator: " ").enumerated() {
            var rest = Substring(word)
            var first = true
            while !rest.isEmpty {
                let piece = String(rest.prefix(3))
                rest = rest.dropFirst(3)
                result.append(first && position > 0 ? "\u{0120}" + piece : piece)
                first = false
            }
        }
        return result
    }

    var vocabularySize: Int { pieces.count }

    func tokenIDs(_ texts: [String]) throws -> [[Int]] {
        texts.map { ToyTokenizer.split($0).map { index[$0] ?? 1 } }
    }

    func tokenText(_ id: Int) -> String? { id < pieces.count ? pieces[id] : nil }
}

/// The tiny configuration of Scripts/make_pretraining_fixtures.py: 2 layers × 32 wide, 2 heads,
/// FFN 64, 32 positions, 128 ids, no dropout.
func tinyTestConfig() -> EncoderConfig {
    EncoderConfig(vocabularySize: 128, width: 32, layerCount: 2, headCount: 2, intermediateSize: 64,
                  maxPositions: 32, hiddenDropout: 0, attentionDropout: 0)
}

/// Sentences from a small grammar: subject, verb, object, with pairings a model can learn.
func syntheticCorpus(lines: Int, seed: UInt64 = 3) -> [String] {
    let subjects = ["the cat", "a dog", "the teacher", "my neighbour", "the old sailor", "a small child"]
    let verbs = ["chased", "found", "painted", "carried", "watched", "remembered"]
    let objects = ["the red ball", "a wooden boat", "the garden gate", "an empty bottle", "the evening train"]
    var state = seed
    func next(_ bound: Int) -> Int {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return Int((state >> 33) % UInt64(bound))
    }
    return (0..<lines).map { _ in
        let s = next(subjects.count)
        // The verb follows from the subject and the object from the verb: learnable structure.
        return "\(subjects[s]) \(verbs[(s + next(2)) % verbs.count]) \(objects[(s + 2 * next(2)) % objects.count])"
    }
}

/// A fresh temporary folder; the caller removes it.
func temporaryFolder(_ name: String) -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("pretraining-tests-\(name)-\(UInt32.random(in: 0...UInt32.max))")
    try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}
