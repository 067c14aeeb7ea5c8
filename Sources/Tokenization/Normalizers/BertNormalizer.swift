// BertNormalizer: BERT's text clean-up before WordPiece: drop control characters and turn every
// whitespace character into a space (clean_text), put spaces around CJK ideographs
// (handle_chinese_chars), strip accents (NFD, then drop non-spacing marks), lowercase. Each step
// works character by character, so every output character stays aligned with the input
// character it came from. Character classes are HF's (Unicode 8.0 categories; BertCharacterClass).
// Reference: Devlin et al. 2019 (google-research/bert tokenization.py, BasicTokenizer);
// HF tokenizers normalizers/bert.rs (field names, order of the steps, strip_accents: null).
// Not handled: nothing the JSON format can express.

import Foundation

/// BERT's normaliser.
///
/// `stripAccents == nil` (HF's `"strip_accents": null`) strips accents exactly when lowercasing,
/// as the uncased BERT models were trained.
///
/// ```swift
/// BertNormalizer().normalize("Héllo\tWORLD 北京")   // "hello world  北  京 "
/// ```
public struct BertNormalizer: Normalizer, Equatable, Sendable {
    /// Remove control characters, map whitespace to " " (`clean_text`).
    public var cleanText: Bool
    /// Surround CJK ideographs with spaces, so each becomes a word (`handle_chinese_chars`).
    public var handleChineseCharacters: Bool
    /// NFD, then drop non-spacing marks (`strip_accents`); nil follows `lowercase`.
    public var stripAccents: Bool?
    /// Lowercase every character (`lowercase`).
    public var lowercase: Bool

    public init(cleanText: Bool = true, handleChineseCharacters: Bool = true, stripAccents: Bool? = nil, lowercase: Bool = true) {
        self.cleanText = cleanText
        self.handleChineseCharacters = handleChineseCharacters
        self.stripAccents = stripAccents
        self.lowercase = lowercase
    }

    /// Whether accents are stripped, after resolving `nil`.
    public var stripsAccents: Bool { stripAccents ?? lowercase }

    public func normalize(_ text: inout NormalizedText) {
        if !text.bytes.contains(where: { $0 >= 0x80 }) {
            normalizeASCII(&text)
            return
        }
        var scalars = cleanAndSpace(text)
        if stripsAccents { scalars = BertNormalizer.strippingAccents(scalars) }
        if lowercase { scalars = BertNormalizer.lowercased(scalars) }
        var bytes: [UInt8] = []
        var alignments: [Range<Int>] = []
        bytes.reserveCapacity(text.bytes.count + 8)
        alignments.reserveCapacity(text.bytes.count + 8)
        for (value, origin) in scalars {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let before = bytes.count
            UTF8.encode(scalar) { bytes.append($0) }
            alignments += repeatElement(origin, count: bytes.count - before)
        }
        text = NormalizedText(bytes: bytes, alignments: alignments)
    }

    // MARK: - Steps

    /// ASCII only: controls are dropped, tab/newline/return become spaces, A–Z are lowercased.
    /// (No ASCII character is CJK, accented or decomposable.)
    private func normalizeASCII(_ text: inout NormalizedText) {
        var bytes: [UInt8] = []
        var alignments: [Range<Int>] = []
        bytes.reserveCapacity(text.bytes.count)
        alignments.reserveCapacity(text.bytes.count)
        for (index, byte) in text.bytes.enumerated() {
            var output = byte
            if cleanText {
                if byte == 0x09 || byte == 0x0A || byte == 0x0D {
                    output = 0x20
                } else if byte < 0x20 || byte == 0x7F {
                    continue
                }
            }
            if lowercase, output >= 0x41, output <= 0x5A { output += 0x20 }
            bytes.append(output)
            alignments.append(text.alignments[index])
        }
        text = NormalizedText(bytes: bytes, alignments: alignments)
    }

    /// The scalars of `text` with their original ranges, after `clean_text` and the CJK spacing.
    private func cleanAndSpace(_ text: NormalizedText) -> [(UInt32, Range<Int>)] {
        var scalars: [(UInt32, Range<Int>)] = []
        scalars.reserveCapacity(text.bytes.count)
        text.bytes.withUnsafeBufferPointer { bytes in
            var index = 0
            while index < bytes.count {
                let (value, length) = UTF8Validation.decode(at: index, in: bytes)
                let origin = text.alignments[index].lowerBound..<text.alignments[index + length - 1].upperBound
                index += length
                let flags = BertCharacterClass.of(value)
                var output = value
                if cleanText {
                    if flags.contains(.control) { continue }
                    if flags.contains(.whitespace) { output = 0x20 }
                }
                if handleChineseCharacters, flags.contains(.chinese) {
                    scalars += [(0x20, origin), (output, origin), (0x20, origin)]
                } else {
                    scalars.append((output, origin))
                }
            }
        }
        return scalars
    }

    /// NFD (with HF's Unicode 8.0 tables: newer characters neither decompose nor reorder), then
    /// every non-spacing mark dropped. Decomposed characters keep their source's alignment.
    static func strippingAccents(_ scalars: [(UInt32, Range<Int>)]) -> [(UInt32, Range<Int>)] {
        var decomposed: [(UInt32, Range<Int>)] = []
        decomposed.reserveCapacity(scalars.count + 4)
        for (value, origin) in scalars {
            guard value >= 0xC0, let scalar = Unicode.Scalar(value), BertCharacterClass.of(value).contains(.knownToHF) else {
                decomposed.append((value, origin))
                continue
            }
            for part in String(Character(scalar)).decomposedStringWithCanonicalMapping.unicodeScalars {
                decomposed.append((part.value, origin))
            }
        }
        reorderCombiningMarks(&decomposed)
        return decomposed.filter { !BertCharacterClass.of($0.0).contains(.nonspacingMark) }
    }

    /// Canonical ordering (UAX #15): in every run of characters with a non-zero combining class,
    /// a stable sort by class. Decomposing one character at a time leaves runs that span two
    /// input characters unsorted; this pass is what makes it a full NFD.
    static func reorderCombiningMarks(_ scalars: inout [(UInt32, Range<Int>)]) {
        func combiningClass(_ value: UInt32) -> UInt8 {
            guard value >= 0x300, let scalar = Unicode.Scalar(value) else { return 0 }
            return BertCharacterClass.combiningClass(scalar)
        }
        var index = 1
        while index < scalars.count {
            let current = combiningClass(scalars[index].0)
            // Insertion sort: move a mark left past marks of a higher class.
            if current != 0 {
                var position = index
                while position > 0 {
                    let previous = combiningClass(scalars[position - 1].0)
                    guard previous > current else { break }
                    scalars.swapAt(position, position - 1)
                    position -= 1
                }
            }
            index += 1
        }
    }

    /// Full lowercase mapping, character by character (Rust `char::to_lowercase`).
    static func lowercased(_ scalars: [(UInt32, Range<Int>)]) -> [(UInt32, Range<Int>)] {
        var result: [(UInt32, Range<Int>)] = []
        result.reserveCapacity(scalars.count)
        for (value, origin) in scalars {
            if value < 0x80 {
                result.append((value >= 0x41 && value <= 0x5A ? value + 0x20 : value, origin))
                continue
            }
            guard let scalar = Unicode.Scalar(value), scalar.properties.changesWhenLowercased else {
                result.append((value, origin))
                continue
            }
            for part in scalar.properties.lowercaseMapping.unicodeScalars { result.append((part.value, origin)) }
        }
        return result
    }

    // MARK: - JSON

    public var json: JSONValue {
        .object([("type", .string("BertNormalizer")), ("clean_text", .bool(cleanText)),
                 ("handle_chinese_chars", .bool(handleChineseCharacters)),
                 ("strip_accents", stripAccents.map(JSONValue.bool) ?? .null), ("lowercase", .bool(lowercase))])
    }
}
