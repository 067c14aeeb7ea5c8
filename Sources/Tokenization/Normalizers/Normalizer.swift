// Normalizer: the first stage of the pipeline, which rewrites text before it is cut into words
// (lowercasing, stripping, replacing), keeping every byte aligned with the original input.
// This file holds the protocol and the small normalisers; Unicode normal forms have their own file.
// Reference: HF tokenizers normalizers/{utils,strip,replace,prepend}.rs.
// Not handled: `Replace` with a regex pattern, `Precompiled` (SentencePiece), `Nmt` and
// `StripAccents` (BERT's accent stripping is part of BertNormalizer, in its own file).

/// Rewrites text, keeping alignment with the input.
public protocol Normalizer: Sendable {
    func normalize(_ text: inout NormalizedText)
    /// The HF tokenizer.json object for this normaliser (with its `"type"`).
    var json: JSONValue { get }
}

extension Normalizer {
    /// `text` normalised, for tests and teaching.
    public func normalize(_ text: String) -> String {
        var normalized = NormalizedText(Array(text.utf8), origin: 0)
        normalize(&normalized)
        return normalized.string
    }
}

/// Several normalisers applied in order.
public struct NormalizerSequence: Normalizer, Sendable {
    public var steps: [any Normalizer]
    public init(_ steps: [any Normalizer]) { self.steps = steps }

    public func normalize(_ text: inout NormalizedText) {
        for step in steps { step.normalize(&text) }
    }

    public var json: JSONValue {
        .object([("type", .string("Sequence")), ("normalizers", .array(steps.map { $0.json }))])
    }
}

/// Full Unicode lowercase mapping, character by character ("İ" → "i̇"), as Rust's `char::to_lowercase`.
public struct LowercaseNormalizer: Normalizer, Equatable, Sendable {
    public init() {}

    public func normalize(_ text: inout NormalizedText) {
        text.transformScalars { scalar in
            let lower = scalar.properties.lowercaseMapping
            return lower == String(Character(scalar)) ? nil : lower
        }
    }

    public var json: JSONValue { .object([("type", .string("Lowercase"))]) }
}

/// Removes whitespace (White_Space) at the start and/or the end.
public struct StripNormalizer: Normalizer, Equatable, Sendable {
    public var left: Bool
    public var right: Bool
    public init(left: Bool = true, right: Bool = true) {
        self.left = left
        self.right = right
    }

    public func normalize(_ text: inout NormalizedText) {
        let chunks = text.scalarChunks
        let bytes = text.bytes
        func isSpace(_ chunk: Range<Int>) -> Bool {
            bytes.withUnsafeBufferPointer {
                ScalarClass.of(UTF8Validation.decode(at: chunk.lowerBound, in: $0).scalar).contains(.whitespace)
            }
        }
        var first = 0
        var last = chunks.count
        if left { while first < last, isSpace(chunks[first]) { first += 1 } }
        if right { while last > first, isSpace(chunks[last - 1]) { last -= 1 } }
        let start = first < chunks.count ? chunks[first].lowerBound : text.bytes.count
        let end = last > first ? chunks[last - 1].upperBound : start
        text.keep(start..<end)
    }

    public var json: JSONValue {
        .object([("type", .string("Strip")), ("strip_left", .bool(left)), ("strip_right", .bool(right))])
    }
}

/// Puts a fixed string in front of non-empty text (SentencePiece-style "▁").
public struct PrependNormalizer: Normalizer, Equatable, Sendable {
    public var prefix: String
    public init(_ prefix: String) { self.prefix = prefix }

    public func normalize(_ text: inout NormalizedText) { text.prepend(prefix) }

    public var json: JSONValue { .object([("type", .string("Prepend")), ("prepend", .string(prefix))]) }
}

/// Replaces every occurrence of a literal string, left to right, without overlaps.
public struct ReplaceNormalizer: Normalizer, Equatable, Sendable {
    public var pattern: String
    public var content: String
    public init(pattern: String, content: String) {
        self.pattern = pattern
        self.content = content
    }

    public func normalize(_ text: inout NormalizedText) {
        let needle = Array(pattern.utf8)
        guard !needle.isEmpty else { return }
        let bytes = text.bytes
        var chunks: [Range<Int>] = []
        var matches = Set<Int>()
        var index = 0
        while index < bytes.count {
            if index + needle.count <= bytes.count, bytes[index..<(index + needle.count)].elementsEqual(needle) {
                chunks.append(index..<(index + needle.count))
                matches.insert(index)
                index += needle.count
            } else {
                let length = UTF8Validation.length(ofLead: bytes[index])
                chunks.append(index..<(index + length))
                index += length
            }
        }
        let replacement = Array(content.utf8)
        text.transform(chunks: chunks) { chunk in matches.contains(chunk.lowerBound) ? replacement : nil }
    }

    public var json: JSONValue {
        .object([("type", .string("Replace")), ("pattern", .object([("String", .string(pattern))])), ("content", .string(content))])
    }
}
