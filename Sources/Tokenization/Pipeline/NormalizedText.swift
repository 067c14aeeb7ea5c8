// NormalizedText: a piece of text being normalised, byte for byte aligned with the input, so that
// token offsets can always be reported in the user's original text. Every normalised byte keeps the
// original byte range of the character (or character cluster) it came from.
// Reference: HF tokenizers tokenizer/normalizer.rs (NormalizedString and its alignments).
// Not handled: alignment finer than a grapheme cluster for Unicode normal forms (HF aligns some
// composed characters scalar by scalar; offsets can then differ inside one cluster).

/// Text plus, for each of its UTF-8 bytes, the range of the original input it stands for.
///
/// Normalisers rewrite it through `transform(_:)`, which replaces chunks of text and keeps the
/// alignment: each new character is aligned with the original range of the chunk it replaced.
///
/// ```swift
/// var text = NormalizedText(Array("ÉTÉ".utf8), origin: 0)
/// text.transformScalars { String($0).lowercased() }   // "été", each byte aligned to its original letter
/// ```
public struct NormalizedText: Sendable {
    /// The current (normalised) UTF-8 bytes.
    public private(set) var bytes: [UInt8]
    /// `alignments[i]` is the original byte range for `bytes[i]`.
    public private(set) var alignments: [Range<Int>]

    /// Text that is still identical to the input bytes starting at `origin`.
    public init(_ bytes: [UInt8], origin: Int) {
        self.bytes = bytes
        self.alignments = []
        alignments.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let length = UTF8Validation.length(ofLead: bytes[index])
            let range = (origin + index)..<(origin + index + length)
            for _ in 0..<length { alignments.append(range) }
            index += length
        }
    }

    init(bytes: [UInt8], alignments: [Range<Int>]) {
        self.bytes = bytes
        self.alignments = alignments
    }

    /// The text as a String.
    public var string: String { String(decoding: bytes, as: UTF8.self) }

    /// The original range covered by bytes `range` (empty ranges map to an empty range at their position).
    func originalRange(of range: Range<Int>) -> Range<Int> {
        guard !range.isEmpty else {
            if range.lowerBound < alignments.count { return alignments[range.lowerBound].lowerBound..<alignments[range.lowerBound].lowerBound }
            let end = alignments.last?.upperBound ?? 0
            return end..<end
        }
        return alignments[range.lowerBound].lowerBound..<alignments[range.upperBound - 1].upperBound
    }

    // MARK: - Rewriting

    /// Rebuilds the text chunk by chunk. `chunks` are consecutive byte ranges that cover the text;
    /// `replacement(chunk)` returns the new bytes for it (nil keeps the chunk as it is). New bytes
    /// are aligned with the original range of the whole chunk.
    public mutating func transform(chunks: [Range<Int>], _ replacement: (Range<Int>) -> [UInt8]?) {
        var newBytes: [UInt8] = []
        var newAlignments: [Range<Int>] = []
        newBytes.reserveCapacity(bytes.count)
        newAlignments.reserveCapacity(bytes.count)
        for chunk in chunks {
            guard let replaced = replacement(chunk) else {
                newBytes += bytes[chunk]
                newAlignments += alignments[chunk]
                continue
            }
            let origin = originalRange(of: chunk)
            newBytes += replaced
            newAlignments += repeatElement(origin, count: replaced.count)
        }
        bytes = newBytes
        alignments = newAlignments
    }

    /// The byte range of each Unicode scalar.
    public var scalarChunks: [Range<Int>] {
        var chunks: [Range<Int>] = []
        var index = 0
        while index < bytes.count {
            let length = UTF8Validation.length(ofLead: bytes[index])
            chunks.append(index..<(index + length))
            index += length
        }
        return chunks
    }

    /// The byte range of each grapheme cluster (extended, as Swift's `Character`).
    public var graphemeChunks: [Range<Int>] {
        let text = string
        var chunks: [Range<Int>] = []
        var start = 0
        for character in text {
            let length = character.utf8.count
            chunks.append(start..<(start + length))
            start += length
        }
        return chunks
    }

    /// Replaces each scalar by the string `map` returns for it (nil keeps it).
    public mutating func transformScalars(_ map: (Unicode.Scalar) -> String?) {
        let source = bytes
        transform(chunks: scalarChunks) { chunk in
            let scalar = source.withUnsafeBufferPointer { UTF8Validation.decode(at: chunk.lowerBound, in: $0).scalar }
            guard let value = Unicode.Scalar(scalar), let replaced = map(value) else { return nil }
            return Array(replaced.utf8)
        }
    }

    /// Keeps the bytes in `range` only (used by strip).
    public mutating func keep(_ range: Range<Int>) {
        bytes = Array(bytes[range])
        alignments = Array(alignments[range])
    }

    /// Puts `prefix` in front, aligned with the first character (as HF's `prepend`).
    public mutating func prepend(_ prefix: String) {
        guard !prefix.isEmpty, let first = alignments.first else { return }
        let added = Array(prefix.utf8)
        bytes = added + bytes
        alignments = [Range<Int>](repeating: first, count: added.count) + alignments
    }
}
