// BertPreTokenizer: BERT's word split: cut on whitespace (which disappears), then make every
// punctuation character a word of its own. "Hey friend!" → ["Hey", "friend", "!"]; "..." → three
// words. Punctuation is ASCII punctuation (so `$`, `+`, `^` count) or Unicode category P* as of
// Unicode 8.0, as in HF (see BertCharacterClass).
// Reference: google-research/bert tokenization.py (_run_split_on_punc); HF tokenizers
// pre_tokenizers/bert.rs (split on whitespace, Removed; then on punctuation, Isolated).
// Not handled: nothing; the component has no options.

/// BERT's pre-tokeniser.
///
/// ```swift
/// BertPreTokenizer().words(of: "Hey friend!  How are you?!")   // ["Hey", "friend", "!", "How", "are", "you", "?", "!"]
/// ```
public struct BertPreTokenizer: PreTokenizer, Equatable, Sendable {
    public init() {}

    public func preTokenize(_ text: inout PreTokenizedText) {
        text.refine { bytes, range, emit in
            var position = range.lowerBound
            var wordStart = position
            while position < range.upperBound {
                let lead = bytes[position]
                let (scalar, length): (UInt32, Int) = lead < 0x80 ? (UInt32(lead), 1) : UTF8Validation.decode(at: position, in: bytes)
                let flags = BertCharacterClass.of(scalar)
                if flags.contains(.whitespace) {
                    emit(wordStart..<position)
                    wordStart = position + length
                } else if flags.contains(.punctuation) {
                    emit(wordStart..<position)
                    emit(position..<(position + length))
                    wordStart = position + length
                }
                position += length
            }
            emit(wordStart..<range.upperBound)
        }
    }

    public var json: JSONValue { .object([("type", .string("BertPreTokenizer"))]) }
}
