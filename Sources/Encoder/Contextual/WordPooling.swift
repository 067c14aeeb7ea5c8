// WordPooling: word vectors from sub-word token vectors. The words are those the tokenizer's
// pre-tokenizer cuts (BERT's: whitespace, and every punctuation character on its own; GPT-2's
// byte-level pieces, leading space included); each token knows its word (`Encoding.wordIndices`,
// HF's `word_ids()`), and a word's text is the span of its tokens' offsets, trimmed of whitespace.
// A word's vector is its first, last, or the mean of its tokens' vectors.
// Reference: HF tokenizers' word_ids / offsets; "first sub-token" as in Devlin et al. (2019)'s
// NER setup, "mean" as in most word-in-context work (e.g. Ethayarajh, 2019 uses whole-word ids).
// Not handled: words of the second text of a pair; special tokens (they belong to no word).

import Foundation
import Tokenization

/// How a word's vector is made from its sub-word tokens' vectors.
public enum WordPooling: String, CaseIterable, Sendable {
    /// The vector of the word's first token.
    case first
    /// The mean of the word's tokens' vectors.
    case mean
    /// The vector of the word's last token.
    case last
}

/// One word of a text: its text and the tokens it was split into.
public struct TextWord: Equatable, Sendable {
    /// The word as written in the text the tokenizer saw (whitespace trimmed).
    public var text: String
    /// Token positions in the encoding (special tokens counted), ascending.
    public var tokens: [Int]
    /// Its UTF-8 byte range in that text.
    public var bytes: Range<Int>

    public init(text: String, tokens: [Int], bytes: Range<Int>) {
        self.text = text
        self.tokens = tokens
        self.bytes = bytes
    }

    /// The words of `encoding` of `text`, in order: tokens grouped by word index, special tokens
    /// (no word index, or the special-tokens mask) left out. A word that is only whitespace is
    /// left out too.
    public static func words(of encoding: Encoding, text: String) -> [TextWord] {
        let utf8 = Array(text.utf8)
        var words: [TextWord] = []
        var current: (word: Int, tokens: [Int])? = nil
        func close() {
            guard let (_, tokens) = current else { return }
            let start = tokens.map { encoding.offsets[$0].lowerBound }.min()!
            let end = tokens.map { encoding.offsets[$0].upperBound }.max()!
            let span = String(decoding: utf8[max(0, start)..<min(end, utf8.count)], as: UTF8.self)
            let trimmed = span.trimmingCharacters(in: .whitespacesAndNewlines)
            if !trimmed.isEmpty { words.append(TextWord(text: trimmed, tokens: tokens, bytes: start..<end)) }
            current = nil
        }
        for token in 0..<encoding.count {
            guard encoding.specialTokensMask[token] == 0, let word = encoding.wordIndices[token] else { continue }
            if current?.word == word {
                current!.tokens.append(token)
            } else {
                close()
                current = (word, [token])
            }
        }
        close()
        return words
    }
}

extension WordPooling {
    /// The word's vector from row-major token vectors `states` [T, C].
    ///
    /// first: v = h[t₀];  last: v = h[tₖ];  mean: v = (1/k) Σᵢ h[tᵢ]  over the word's tokens t.
    public func vector(of word: TextWord, states: ArraySlice<Float>, width: Int) -> [Float] {
        let base = states.startIndex
        func row(_ token: Int) -> ArraySlice<Float> { states[(base + token * width)..<(base + (token + 1) * width)] }
        switch self {
        case .first: return Array(row(word.tokens.first!))
        case .last: return Array(row(word.tokens.last!))
        case .mean:
            var sum = [Float](repeating: 0, count: width)
            for token in word.tokens {
                for (index, value) in row(token).enumerated() { sum[index] += value }
            }
            let scale = 1 / Float(word.tokens.count)
            return sum.map { $0 * scale }
        }
    }
}

extension TextLayerStates {
    /// The text's words (see `TextWord.words(of:text:)`).
    public var words: [TextWord] { TextWord.words(of: encoding, text: text) }

    /// Each word's vector at every layer held: [layer position][word][C].
    public func wordVectors(_ words: [TextWord], pooling: WordPooling) -> [[[Float]]] {
        states.map { layer in words.map { pooling.vector(of: $0, states: layer[...], width: width) } }
    }
}
