// UnicodeNormalizer: the four Unicode normal forms (NFC, NFD, NFKC, NFKD), applied grapheme
// cluster by grapheme cluster so that every output character stays aligned with the input
// characters it came from. The mappings themselves come from Foundation.
// Reference: Unicode UAX #15 (normalisation forms); HF tokenizers normalizers/unicode.rs.
// Not handled: alignment finer than one grapheme cluster (see NormalizedText).

import Foundation

/// One of the Unicode normal forms.
///
/// ```swift
/// UnicodeNormalizer(.nfd).normalize("é")   // "e\u{301}"
/// ```
public struct UnicodeNormalizer: Normalizer, Equatable, Sendable {
    public enum Form: String, Sendable, CaseIterable {
        case nfc = "NFC", nfd = "NFD", nfkc = "NFKC", nfkd = "NFKD"
    }

    public var form: Form
    public init(_ form: Form) { self.form = form }

    public func normalize(_ text: inout NormalizedText) {
        let bytes = text.bytes
        // ASCII is invariant under all four forms: skip the work when there is nothing else.
        if !bytes.contains(where: { $0 >= 0x80 }) { return }
        text.transform(chunks: text.graphemeChunks) { chunk in
            let slice = bytes[chunk]
            if slice.allSatisfy({ $0 < 0x80 }) { return nil }
            let original = String(decoding: slice, as: UTF8.self)
            let normalized: String
            switch form {
            case .nfc: normalized = original.precomposedStringWithCanonicalMapping
            case .nfd: normalized = original.decomposedStringWithCanonicalMapping
            case .nfkc: normalized = original.precomposedStringWithCompatibilityMapping
            case .nfkd: normalized = original.decomposedStringWithCompatibilityMapping
            }
            let result = Array(normalized.utf8)
            return result.elementsEqual(slice) ? nil : result
        }
    }

    public var json: JSONValue { .object([("type", .string(form.rawValue))]) }
}
