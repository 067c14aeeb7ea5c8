// Whitespace pre-tokenisers: `Whitespace` keeps runs of word characters and runs of punctuation
// (the regex \w+|[^\w\s]+, whitespace dropped); `WhitespaceSplit` cuts on whitespace only.
// Reference: HF tokenizers pre_tokenizers/whitespace.rs (Rust regex classes: \w is Alphabetic,
// marks, Nd, Pc, Join_Control; \s is White_Space).
// Not handled: BERT's pre-tokeniser (punctuation as single characters): BertPreTokenizer.swift.

/// Words of letters/digits and runs of other symbols; whitespace separates and disappears.
///
/// ```swift
/// WhitespacePreTokenizer().words(of: "Hey man!")   // ["Hey", "man", "!"]
/// ```
public struct WhitespacePreTokenizer: PreTokenizer, Equatable, Sendable {
    public init() {}

    public func preTokenize(_ text: inout PreTokenizedText) {
        text.refine { bytes, range, emit in
            var position = range.lowerBound
            var runStart = position
            var runKind = -1  // -1 none, 0 word, 1 other
            while position < range.upperBound {
                let (scalar, length) = UTF8Validation.decode(at: position, in: bytes)
                let flags = ScalarClass.of(scalar)
                let kind = flags.contains(.word) ? 0 : flags.contains(.whitespace) ? -1 : 1
                if kind != runKind {
                    if runKind >= 0 { emit(runStart..<position) }
                    runStart = position
                    runKind = kind
                }
                position += length
            }
            if runKind >= 0 { emit(runStart..<range.upperBound) }
        }
    }

    public var json: JSONValue { .object([("type", .string("Whitespace"))]) }
}

/// Cuts on whitespace (the White_Space property) and drops it.
///
/// ```swift
/// WhitespaceSplitPreTokenizer().words(of: "Hey man!")   // ["Hey", "man!"]
/// ```
public struct WhitespaceSplitPreTokenizer: PreTokenizer, Equatable, Sendable {
    public init() {}

    public func preTokenize(_ text: inout PreTokenizedText) {
        text.refine { bytes, range, emit in
            var position = range.lowerBound
            var wordStart: Int? = nil
            while position < range.upperBound {
                let (scalar, length) = UTF8Validation.decode(at: position, in: bytes)
                if ScalarClass.of(scalar).contains(.whitespace) {
                    if let start = wordStart { emit(start..<position); wordStart = nil }
                } else if wordStart == nil {
                    wordStart = position
                }
                position += length
            }
            if let start = wordStart { emit(start..<range.upperBound) }
        }
    }

    public var json: JSONValue { .object([("type", .string("WhitespaceSplit"))]) }
}
