// ByteLevelPreTokenizer: GPT-2's pre-tokeniser. It optionally puts a space in front of the text,
// cuts it with the GPT-2 rule (GPT2Split), and marks every word as byte-level, so the model reads
// each UTF-8 byte as one of the 256 characters of `ByteLevelAlphabet`. No byte is ever unknown.
// Reference: HF tokenizers pre_tokenizers/byte_level.rs; Radford et al. 2019 (GPT-2), section 2.2.
// Not handled: custom split patterns (`use_regex: false` plus a preceding `Split` is the HF way).

/// The byte-level pre-tokeniser.
///
/// ```swift
/// ByteLevelPreTokenizer(addPrefixSpace: false).words(of: "Hello world!")   // ["Hello", "Ġworld", "!"]
/// ```
public struct ByteLevelPreTokenizer: PreTokenizer, Equatable, Sendable {
    /// Put a space in front of each text that does not start with one, so the first word is
    /// tokenised like every other ("Ġhello" rather than "hello"). HF `add_prefix_space`.
    public var addPrefixSpace: Bool
    /// Kept for the file format: HF's ByteLevel post-processor trims offsets with it.
    public var trimOffsets: Bool
    /// Cut with the GPT-2 rule (true) or leave each split whole (false). HF `use_regex`.
    public var useRegex: Bool

    public init(addPrefixSpace: Bool = false, trimOffsets: Bool = true, useRegex: Bool = true) {
        self.addPrefixSpace = addPrefixSpace
        self.trimOffsets = trimOffsets
        self.useRegex = useRegex
    }

    public func preTokenize(_ text: inout PreTokenizedText) {
        if addPrefixSpace {
            text.prepend([UInt8(ascii: " ")]) { _, bytes in bytes.first != UInt8(ascii: " ") }
        }
        if useRegex {
            text.refine { bytes, range, emit in
                GPT2Split.forEachPiece(in: bytes, range: range, emit)
            }
        }
        text.markByteLevel()
    }

    public var json: JSONValue {
        .object([
            ("type", .string("ByteLevel")),
            ("add_prefix_space", .bool(addPrefixSpace)),
            ("trim_offsets", .bool(trimOffsets)),
            ("use_regex", .bool(useRegex)),
        ])
    }

    /// Whether this configuration allows the tokenizer's fast path (split the raw input directly).
    var isPlainSplit: Bool { !addPrefixSpace && useRegex }
}
