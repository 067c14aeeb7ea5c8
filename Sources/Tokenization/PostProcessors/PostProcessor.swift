// PostProcessor: the last encoding stage, which adds a model's special tokens around one or two
// encoded sequences ([CLS] A [SEP] B [SEP], <s> A </s></s> B </s>) and may trim offsets. This file
// holds the protocol, the offset trimming shared by ByteLevel and RoBERTa, ByteLevel's own
// post-processor and the Sequence combinator.
// Reference: HF tokenizers processors/{mod,sequence}.rs, pre_tokenizers/byte_level.rs (process_offsets).
// Not handled: nothing; BERT's and RoBERTa's processors have their own files.

/// Adds special tokens to encoded sequences.
public protocol PostProcessor: Sendable {
    /// How many tokens `process` adds for one sequence (`isPair == false`) or for a pair.
    func addedTokenCount(isPair: Bool) -> Int
    /// Turns the encodings of the sequences (one or two, type ids already 0 and 1, overflow
    /// windows attached) into the parts of the final encoding, in order (HF `process_encodings`);
    /// the tokenizer concatenates the parts, which carries special tokens into every window.
    func process(_ encodings: [Encoding], addSpecialTokens: Bool) -> [Encoding]
    /// The HF tokenizer.json object for this post-processor (with its `"type"`).
    var json: JSONValue { get }
}

/// Trims the space characters that byte-level tokens carry at their edges from their offsets,
/// so "Ġworld" points at "world" (HF `process_offsets`). With `addPrefixSpace`, a single leading
/// space of the first token is kept, since the pre-tokeniser added it.
func trimByteLevelOffsets(_ encoding: inout Encoding, addPrefixSpace: Bool) {
    for index in encoding.overflowing.indices { trimByteLevelOffsets(&encoding.overflowing[index], addPrefixSpace: addPrefixSpace) }
    let space: Unicode.Scalar = "\u{120}"  // "Ġ", the byte-level space
    for index in encoding.tokens.indices {
        let scalars = encoding.tokens[index].unicodeScalars
        func isSpace(_ scalar: Unicode.Scalar) -> Bool { scalar == space || scalar.properties.isWhitespace }
        var leading = 0
        for scalar in scalars { if isSpace(scalar) { leading += 1 } else { break } }
        var trailing = 0
        for scalar in scalars.reversed() { if isSpace(scalar) { trailing += 1 } else { break } }
        guard leading > 0 || trailing > 0 else { continue }
        var bytes = encoding.offsets[index], characters = encoding.characterOffsets[index]
        if leading > 0 {
            let isFirst = index == 0 || bytes.lowerBound == 0
            if isFirst && addPrefixSpace && leading == 1 { leading = 0 }
            bytes = min(bytes.lowerBound + leading, bytes.upperBound)..<bytes.upperBound
            characters = min(characters.lowerBound + leading, characters.upperBound)..<characters.upperBound
        }
        if trailing > 0 {
            if bytes.upperBound >= trailing { bytes = bytes.lowerBound..<max(bytes.upperBound - trailing, bytes.lowerBound) }
            if characters.upperBound >= trailing {
                characters = characters.lowerBound..<max(characters.upperBound - trailing, characters.lowerBound)
            }
        }
        encoding.offsets[index] = bytes
        encoding.characterOffsets[index] = characters
    }
}

/// GPT-2's post-processor: adds nothing, trims offsets.
public struct ByteLevelPostProcessor: PostProcessor, Equatable, Sendable {
    public var trimOffsets: Bool
    public var addPrefixSpace: Bool
    public var useRegex: Bool

    public init(trimOffsets: Bool = true, addPrefixSpace: Bool = true, useRegex: Bool = true) {
        self.trimOffsets = trimOffsets
        self.addPrefixSpace = addPrefixSpace
        self.useRegex = useRegex
    }

    public func addedTokenCount(isPair: Bool) -> Int { 0 }

    public func process(_ encodings: [Encoding], addSpecialTokens: Bool) -> [Encoding] {
        guard trimOffsets else { return encodings }
        return encodings.map { encoding in
            var trimmed = encoding
            trimByteLevelOffsets(&trimmed, addPrefixSpace: addPrefixSpace)
            return trimmed
        }
    }

    public var json: JSONValue {
        .object([("type", .string("ByteLevel")), ("add_prefix_space", .bool(addPrefixSpace)),
                 ("trim_offsets", .bool(trimOffsets)), ("use_regex", .bool(useRegex))])
    }
}

/// Several post-processors, each working on the previous one's parts.
public struct PostProcessorSequence: PostProcessor, Sendable {
    public var steps: [any PostProcessor]
    public init(_ steps: [any PostProcessor]) { self.steps = steps }

    public func addedTokenCount(isPair: Bool) -> Int {
        steps.reduce(0) { $0 + $1.addedTokenCount(isPair: isPair) }
    }

    public func process(_ encodings: [Encoding], addSpecialTokens: Bool) -> [Encoding] {
        var parts = encodings
        for step in steps { parts = step.process(parts, addSpecialTokens: addSpecialTokens) }
        return parts
    }

    public var json: JSONValue {
        .object([("type", .string("Sequence")), ("processors", .array(steps.map { $0.json }))])
    }
}

extension Encoding {
    /// An encoding made only of special tokens (post-processor output).
    static func specialTokens(ids: [Int], tokens: [String], typeId: Int) -> Encoding {
        var encoding = Encoding()
        for (id, token) in zip(ids, tokens) {
            encoding.append(id: id, token: token, offsets: 0..<0, characters: 0..<0,
                            word: nil, sequence: nil, typeId: typeId, special: true)
        }
        return encoding
    }
}
