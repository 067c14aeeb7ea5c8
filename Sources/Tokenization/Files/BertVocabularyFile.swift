// BertVocabularyFile: BERT's original vocabulary format, vocab.txt (one token per line; the id
// is the line number, from 0), and the whole BERT pipeline built around it, as HF's
// BertTokenizer does when a folder has no tokenizer.json: BertNormalizer, BertPreTokenizer,
// WordPiece ("[UNK]", "##", 100 characters), "[CLS] $A [SEP]" / "[CLS] $A [SEP] $B:1 [SEP]:1",
// the WordPiece decoder, and the special tokens the vocabulary has as added tokens.
// Reference: google-research/bert tokenization.py (load_vocab); HF tokenizers
// models/wordpiece/mod.rs (read_file: trailing whitespace trimmed) and transformers' BertConverter.
// Not handled: tokenizer_config.json's `never_split` and extra added tokens (pass them as `addedTokens`).

import Foundation
import TextInput

extension Tokenizer {
    /// The BERT tokenizer for a vocab.txt.
    ///
    /// - Parameters:
    ///   - lowercase: `do_lower_case` (BERT's default is true: uncased models).
    ///   - stripAccents: `strip_accents`; nil follows `lowercase`.
    ///   - handleChineseCharacters: `tokenize_chinese_chars`.
    /// - Throws: an unreadable file or invalid UTF-8; a vocabulary without "[UNK]", "[CLS]" or "[SEP]".
    ///
    /// ```swift
    /// let tokenizer = try Tokenizer.bert(vocabulary: URL(fileURLWithPath: "vocab.txt"))
    /// try tokenizer.encode("Hello!").tokens   // ["[CLS]", "hello", "!", "[SEP]"]
    /// ```
    public static func bert(vocabulary url: URL, lowercase: Bool = true, stripAccents: Bool? = nil,
                            handleChineseCharacters: Bool = true, addedTokens: [AddedToken] = []) throws -> Tokenizer {
        let tokens = try readWordPieceVocabulary(url)
        let model = try WordPiece(tokens: tokens, unknownToken: "[UNK]", continuingSubwordPrefix: "##",
                                  maxInputCharactersPerWord: 100, source: url.path)
        func id(_ token: String) throws -> Int {
            guard let id = model.id(forToken: token) else {
                throw TokenizationError.invalidField(source: url.path, path: token,
                                                     reason: "is not in the vocabulary; BERT's template needs [CLS] and [SEP] (one token per line)")
            }
            return id
        }
        let post = try TemplateProcessing(single: "[CLS] $A [SEP]", pair: "[CLS] $A [SEP] $B:1 [SEP]:1",
                                          specialTokens: [("[CLS]", try id("[CLS]")), ("[SEP]", try id("[SEP]"))])
        let specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"].compactMap { token in
            model.id(forToken: token).map { AddedToken(content: token, id: $0, special: true, normalized: false) }
        }
        return Tokenizer(model: model,
                         normalizer: BertNormalizer(cleanText: true, handleChineseCharacters: handleChineseCharacters,
                                                    stripAccents: stripAccents, lowercase: lowercase),
                         preTokenizer: BertPreTokenizer(), postProcessor: post, decoder: WordPieceDecoder(prefix: "##", cleanup: true),
                         addedTokens: (specials + addedTokens).sorted { $0.id < $1.id })
    }

    /// Reads vocab.txt: token i is line i, without its trailing whitespace (HF's `read_file`).
    /// A token that appears twice keeps its later line number, as in HF.
    static func readWordPieceVocabulary(_ url: URL) throws -> [(token: String, id: Int)] {
        let lines = try readLines(url)
        guard !lines.isEmpty else {
            throw TokenizationError.invalidField(source: url.path, path: "(file)", reason: "is empty; vocab.txt holds one token per line")
        }
        guard lines.count < BPE.idLimit else {
            throw TokenizationError.invalidField(source: url.path, path: "(file)", reason: "has more than \(BPE.idLimit) lines")
        }
        return lines.enumerated().map { number, line in
            var token = Substring(line)
            while let last = token.unicodeScalars.last, last.properties.isWhitespace { token.unicodeScalars.removeLast() }
            return (String(token), number)
        }
    }

    /// Writes the WordPiece vocabulary as vocab.txt (line i holds token i).
    /// - Throws: `invalidConfiguration` if the model is not WordPiece, or an id has no token (a
    ///   gap cannot be written as a line) or a token holds a line break.
    public func saveWordPieceVocabulary(to url: URL) throws {
        guard let wordPiece = model as? WordPiece else {
            throw TokenizationError.invalidConfiguration(component: "saveWordPieceVocabulary", field: "model", reason: "must be WordPiece")
        }
        var text = ""
        for (id, token) in wordPiece.tokensByID.enumerated() {
            guard let token, !token.contains("\n"), !token.contains("\r") else {
                throw TokenizationError.invalidConfiguration(component: "saveWordPieceVocabulary", field: "vocab",
                                                             reason: "has no single-line token for id \(id), which vocab.txt cannot express; save tokenizer.json instead")
            }
            text += token + "\n"
        }
        try writeFileAtomically(Array(text.utf8), to: url)
    }
}
