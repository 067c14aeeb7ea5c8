// ContextualError: why a contextual-embedding request (a layer, a word in a text) cannot be
// answered. Each message names what was asked, what the model or text offers, and the option that
// fixes it.
// Not handled: errors of loading the model or reading files (ModelFolder, TextInput own those);
// the contextuality measures' own errors (Evaluation's ContextualityError).

/// Why a contextual-embedding request cannot be answered.
public enum ContextualError: Error, CustomStringConvertible, Equatable {
    /// A layer outside 0...L (0 is the embedding output, L the last block).
    case layerOutOfRange(layer: Int, layerCount: Int)
    /// `word` is not one of the words of text `text` (0-based), as the pre-tokenizer cuts them.
    case wordNotFound(word: String, text: Int, words: [String])

    public var description: String {
        switch self {
        case let .layerOutOfRange(layer, count):
            return "layer \(layer) is outside the model's 0...\(count) (0 is the embedding output, \(count) the last block); give --layer 0...\(count) or all"
        case let .wordNotFound(word, text, words):
            let shown = words.prefix(30).map { "\"\($0)\"" }.joined(separator: ", ") + (words.count > 30 ? ", …" : "")
            return "the word \"\(word)\" is not a word of text \(text + 1) (its words, as the tokenizer's pre-tokenizer splits them: \(shown)); give one of them"
        }
    }
}
