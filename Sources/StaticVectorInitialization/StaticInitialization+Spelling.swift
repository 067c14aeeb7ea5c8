// TokenSpelling: how a vocabulary writes word boundaries into its token strings, and the plain
// text of a token. Byte-level BPE (GPT-2, RoBERTa, ours) spells bytes with a 256-character
// alphabet and marks a preceding space with Ġ; SentencePiece marks it with ▁; WordPiece marks the
// opposite, a continuation, with ##. The rule is read from the vocabulary, as CorpusTokenizer's
// word-start table reads it (Ġ/▁ first, then ##). Static vectors are looked up by that text.
// Reference: GPT-2 encoder.py (bytes_to_unicode); HF tokenizers ByteLevel, Metaspace, WordPiece decoders.
// Not handled: vocabularies that mark word ends (e.g. "</w>" of the original subword-nmt BPE).

import Encoder
import Foundation
import TextInput
import Tokenization
import WordVectors

/// The way token strings spell text and word boundaries.
///
/// ```swift
/// let spelling = TokenSpelling.detect(vocabulary: ["[CLS]", "Ġthe", "ing"], special: [0])   // .byteLevel
/// spelling.text(of: "Ġthe")   // ("the", beginsWord: true)
/// spelling.text(of: "ing")    // ("ing", beginsWord: false)
/// ```
public enum TokenSpelling: String, Sendable {
    /// Bytes as GPT-2's 256 characters; "Ġ" (the space byte) starts a word.
    case byteLevel
    /// "▁" starts a word.
    case sentencePiece
    /// "##" continues a word; every other token starts one.
    case wordPiece
    /// No marks: every token starts a word.
    case plain

    /// The spelling of `vocabulary` (token text by id, "" for unused ids); `special` ids are ignored.
    public static func detect(vocabulary: [String], special: Set<Int>) -> TokenSpelling {
        let ordinary = vocabulary.enumerated().filter { !special.contains($0.offset) && !$0.element.isEmpty }.map(\.element)
        if ordinary.contains(where: { $0.hasPrefix("\u{0120}") }),
           ordinary.allSatisfy({ ByteLevelAlphabet.bytes(of: $0) != nil }) {
            return .byteLevel
        }
        if ordinary.contains(where: { $0.hasPrefix("\u{2581}") }) { return .sentencePiece }
        if ordinary.contains(where: { $0.hasPrefix("##") && $0.count > 2 }) { return .wordPiece }
        return .plain
    }

    /// The text a token stands for, without its boundary mark, and whether the mark says it
    /// begins a word. Nil when the token is not text on its own (a byte-level token holding part of
    /// a multi-byte UTF-8 character).
    public func text(of token: String) -> (text: String, beginsWord: Bool)? {
        switch self {
        case .byteLevel:
            guard var bytes = ByteLevelAlphabet.bytes(of: token) else { return nil }
            let begins = bytes.first == 0x20
            if begins { bytes.removeFirst() }
            guard let text = String(bytes: bytes, encoding: .utf8) else { return nil }
            return (text, begins)
        case .sentencePiece:
            let begins = token.hasPrefix("\u{2581}")
            let text = String(begins ? token.dropFirst() : Substring(token)).replacingOccurrences(of: "\u{2581}", with: " ")
            return (text, begins)
        case .wordPiece:
            return token.hasPrefix("##") ? (String(token.dropFirst(2)), false) : (token, true)
        case .plain:
            return (token, true)
        }
    }

    /// The text of a word made of `tokens` (a pre-token of the tokenizer), without its leading mark.
    public func text(ofWord tokens: [String]) -> String? {
        switch self {
        case .byteLevel:
            var bytes: [UInt8] = []
            for token in tokens {
                guard let tokenBytes = ByteLevelAlphabet.bytes(of: token) else { return nil }
                bytes += tokenBytes
            }
            if bytes.first == 0x20 { bytes.removeFirst() }
            return String(bytes: bytes, encoding: .utf8)
        case .sentencePiece, .wordPiece, .plain:
            var text = ""
            for token in tokens {
                guard let piece = self.text(of: token) else { return nil }
                text += piece.text
            }
            return text
        }
    }

    /// The static word `text` is, by the shared word rule, when it is exactly one word (nothing
    /// but letters, digits, `_` and `'`): lowercased. "Ġ(" → nil, "The" → "the", "e-" → nil.
    public static func singleWord(_ text: String) -> String? {
        guard !text.isEmpty, text.unicodeScalars.allSatisfy(WordTokenizer.isWordScalar) else { return nil }
        let words = WordTokenizer.words(in: text)
        return words.count == 1 ? words[0] : nil
    }
}
