// PreTokenizedText: one input between the added-token split and the model: the working bytes
// (normalised, possibly rewritten by a pre-tokeniser), where each byte came from, and the list of
// splits ("words") the model will tokenise one by one. Added tokens are splits that are already done.
// Reference: HF tokenizers tokenizer/pre_tokenizer.rs (PreTokenizedString, Split).
// Not handled: pre-tokenisers that rewrite text after the byte-level mapping (ByteLevel must come last).

/// One word of a pre-tokenised text.
public struct Split: Equatable, Sendable {
    /// The bytes of the word within `PreTokenizedText.bytes`.
    public var range: Range<Int>
    /// Set when the split is an added token: its id, final, never seen by later stages.
    public var addedTokenID: Int?
    /// Whether the model must read the bytes through the byte-level alphabet (set by ByteLevel).
    public var isByteLevel: Bool

    public init(range: Range<Int>, addedTokenID: Int? = nil, isByteLevel: Bool = false) {
        self.range = range
        self.addedTokenID = addedTokenID
        self.isByteLevel = isByteLevel
    }
}

/// Working text and its splits.
///
/// When no normaliser ran, `bytes` are the input bytes and `alignments` is nil (identity); this
/// is the fast path of byte-level tokenisers.
public struct PreTokenizedText: Sendable {
    /// The working UTF-8 bytes.
    public internal(set) var bytes: [UInt8]
    /// The original byte range of each working byte; nil means "the same as the input".
    public internal(set) var alignments: [Range<Int>]?
    /// The words, in order.
    public internal(set) var splits: [Split]

    init(bytes: [UInt8], alignments: [Range<Int>]?, splits: [Split]) {
        self.bytes = bytes
        self.alignments = alignments
        self.splits = splits
    }

    /// Text for tests and teaching: one split covering `text`.
    public init(_ text: String) {
        bytes = Array(text.utf8)
        alignments = nil
        splits = bytes.isEmpty ? [] : [Split(range: 0..<bytes.count)]
    }

    /// The words as strings (byte-level words are spelled in the byte-level alphabet, as HF shows them).
    public var words: [String] {
        splits.map { split in
            let slice = bytes[split.range]
            return split.isByteLevel ? ByteLevelAlphabet.encode(slice) : String(decoding: slice, as: UTF8.self)
        }
    }

    /// The original byte range of working bytes `range`, widened to whole characters (a byte-level
    /// token may hold part of a multi-byte character; HF reports the whole character).
    @inline(__always)
    func originalRange(of range: Range<Int>) -> Range<Int> {
        guard let alignments else {
            var start = range.lowerBound
            var end = range.upperBound
            while start > 0, start < bytes.count, UTF8Validation.isContinuation(bytes[start]) { start -= 1 }
            while end < bytes.count, UTF8Validation.isContinuation(bytes[end]) { end += 1 }
            return start..<end
        }
        guard !range.isEmpty else {
            let position = range.lowerBound < alignments.count ? alignments[range.lowerBound].lowerBound : (alignments.last?.upperBound ?? 0)
            return position..<position
        }
        return alignments[range.lowerBound].lowerBound..<alignments[range.upperBound - 1].upperBound
    }

    // MARK: - Operations for pre-tokenisers

    /// Replaces every split that is not an added token by the pieces `splitter` finds in it.
    /// `splitter(bytes, range, emit)` must call `emit` with sub-ranges of `range`, in order;
    /// empty pieces are dropped. The pieces inherit the split's byte-level flag.
    public mutating func refine(_ splitter: (UnsafeBufferPointer<UInt8>, Range<Int>, (Range<Int>) -> Void) -> Void) {
        var refined: [Split] = []
        refined.reserveCapacity(splits.count * 4)
        bytes.withUnsafeBufferPointer { buffer in
            for split in splits {
                if split.addedTokenID != nil {
                    refined.append(split)
                    continue
                }
                splitter(buffer, split.range) { piece in
                    if !piece.isEmpty { refined.append(Split(range: piece, isByteLevel: split.isByteLevel)) }
                }
            }
        }
        splits = refined
    }

    /// Marks every split that is not an added token as byte-level.
    public mutating func markByteLevel() {
        for index in splits.indices where splits[index].addedTokenID == nil {
            splits[index].isByteLevel = true
        }
    }

    /// Puts `prefix` in front of every non-token split for which `condition` holds, aligned with
    /// the split's first character (HF `NormalizedString::prepend`).
    public mutating func prepend(_ prefix: [UInt8], where condition: (Split, ArraySlice<UInt8>) -> Bool) {
        guard !prefix.isEmpty else { return }
        let oldAlignments = alignments ?? NormalizedText(bytes, origin: 0).alignments
        var newBytes: [UInt8] = []
        var newAlignments: [Range<Int>] = []
        newBytes.reserveCapacity(bytes.count + prefix.count * splits.count)
        newAlignments.reserveCapacity(bytes.count + prefix.count * splits.count)
        var newSplits: [Split] = []
        var copied = 0
        for split in splits {
            // Bytes between splits (none in practice) are carried along unchanged.
            newBytes += bytes[copied..<split.range.lowerBound]
            newAlignments += oldAlignments[copied..<split.range.lowerBound]
            let start = newBytes.count
            if split.addedTokenID == nil, !split.range.isEmpty, condition(split, bytes[split.range]) {
                newBytes += prefix
                newAlignments += repeatElement(oldAlignments[split.range.lowerBound], count: prefix.count)
            }
            newBytes += bytes[split.range]
            newAlignments += oldAlignments[split.range]
            var moved = split
            moved.range = start..<newBytes.count
            newSplits.append(moved)
            copied = split.range.upperBound
        }
        newBytes += bytes[copied...]
        newAlignments += oldAlignments[copied...]
        bytes = newBytes
        alignments = newAlignments
        splits = newSplits
    }
}
