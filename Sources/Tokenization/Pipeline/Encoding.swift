// Encoding: what the tokenizer returns for one text (or one pair of texts): token ids and
// strings, where each token came from (byte and character offsets, word and sequence indices),
// and the masks a model needs. Field for field the same as HF tokenizers' `Encoding`.
// Reference: HF tokenizers tokenizer/encoding.rs (merge_with, truncate with stride, pad).
// Not handled: `sequence_ranges` lookups by word (use `wordIndices` and `sequenceIndices`).

/// The result of encoding one input.
///
/// All arrays have one entry per token, in order. Special tokens added by the post-processor
/// have `wordIndices == nil`, `sequenceIndices == nil`, empty offsets `0..<0` and
/// `specialTokensMask == 1`; padding has `attentionMask == 0`.
///
/// ```swift
/// let encoding = try tokenizer.encode("the world")
/// encoding.ids        // [437, 1906] with the 8k tokenizer of the tests
/// encoding.tokens     // ["the", "Ġworld"]
/// encoding.offsets    // [0..<3, 3..<9]   (bytes of the UTF-8 input)
/// ```
public struct Encoding: Equatable, Sendable {
    /// Token ids.
    public var ids: [Int] = []
    /// Segment ids (0 for the first sequence, 1 for the second in BERT-style templates).
    public var typeIds: [Int] = []
    /// Token strings (byte-level tokens are spelled in the byte-level alphabet: "Ġworld").
    public var tokens: [String] = []
    /// Byte range of each token in its input text (UTF-8). A token that covers part of a
    /// multi-byte character reports the whole character, as HF does.
    public var offsets: [Range<Int>] = []
    /// The same ranges counted in Unicode scalars, as Python `str` indices (HF's Python offsets).
    public var characterOffsets: [Range<Int>] = []
    /// Index of the pre-tokenised word each token belongs to (nil for added special tokens and padding).
    public var wordIndices: [Int?] = []
    /// Which input each token came from: 0 or 1 for a pair, nil for special tokens and padding.
    public var sequenceIndices: [Int?] = []
    /// 1 for tokens added by the post-processor and for padding, 0 otherwise.
    public var specialTokensMask: [Int] = []
    /// 1 for real tokens, 0 for padding.
    public var attentionMask: [Int] = []
    /// The windows that truncation cut off (each already post-processed and padded).
    public var overflowing: [Encoding] = []

    public init() {}

    /// The number of tokens.
    public var count: Int { ids.count }

    /// Reserves room for `capacity` tokens in every array.
    mutating func reserve(_ capacity: Int) {
        ids.reserveCapacity(capacity)
        typeIds.reserveCapacity(capacity)
        tokens.reserveCapacity(capacity)
        offsets.reserveCapacity(capacity)
        characterOffsets.reserveCapacity(capacity)
        wordIndices.reserveCapacity(capacity)
        sequenceIndices.reserveCapacity(capacity)
        specialTokensMask.reserveCapacity(capacity)
        attentionMask.reserveCapacity(capacity)
    }

    /// Appends one token.
    @inline(__always)
    mutating func append(id: Int, token: String, offsets byteRange: Range<Int>, characters: Range<Int>,
                         word: Int?, sequence: Int?, typeId: Int, special: Bool) {
        ids.append(id)
        typeIds.append(typeId)
        tokens.append(token)
        offsets.append(byteRange)
        characterOffsets.append(characters)
        wordIndices.append(word)
        sequenceIndices.append(sequence)
        specialTokensMask.append(special ? 1 : 0)
        attentionMask.append(1)
    }

    /// The tokens in `range` as a new encoding (no overflow).
    func slice(_ range: Range<Int>) -> Encoding {
        var part = Encoding()
        part.ids = Array(ids[range])
        part.typeIds = Array(typeIds[range])
        part.tokens = Array(tokens[range])
        part.offsets = Array(offsets[range])
        part.characterOffsets = Array(characterOffsets[range])
        part.wordIndices = Array(wordIndices[range])
        part.sequenceIndices = Array(sequenceIndices[range])
        part.specialTokensMask = Array(specialTokensMask[range])
        part.attentionMask = Array(attentionMask[range])
        return part
    }

    // MARK: - Combining

    /// Appends `other`'s tokens (not its overflow) after ours.
    mutating func appendTokens(of other: Encoding) {
        ids += other.ids
        typeIds += other.typeIds
        tokens += other.tokens
        offsets += other.offsets
        characterOffsets += other.characterOffsets
        wordIndices += other.wordIndices
        sequenceIndices += other.sequenceIndices
        specialTokensMask += other.specialTokensMask
        attentionMask += other.attentionMask
    }

    /// Concatenates `parts` the way HF's `Encoding::merge` does, overflow windows included.
    static func concatenate(_ parts: [Encoding]) -> Encoding {
        guard var result = parts.first else { return Encoding() }
        for part in parts.dropFirst() { result = result.merged(with: part) }
        return result
    }

    /// `self` followed by `other` (HF `Encoding::merge_with`). Overflow windows combine too: each
    /// window of `self` with all of `other` (whose windows then reappear nested inside, as in HF)
    /// and with each window of `other`, then all of `self` with each window of `other`.
    func merged(with other: Encoding) -> Encoding {
        var windows: [Encoding] = []
        for own in overflowing {
            windows.append(own.merged(with: other))
            for theirs in other.overflowing { windows.append(own.merged(with: theirs)) }
        }
        for theirs in other.overflowing { windows.append(merged(with: theirs)) }
        var result = withoutOverflow
        result.appendTokens(of: other)
        result.overflowing = windows
        return result
    }

    var withoutOverflow: Encoding {
        var copy = self
        copy.overflowing = []
        return copy
    }

    /// Sets every type id, in the overflow windows too.
    mutating func setTypeIds(_ typeId: Int) {
        typeIds = [Int](repeating: typeId, count: count)
        for index in overflowing.indices { overflowing[index].setTypeIds(typeId) }
    }

    // MARK: - Truncation

    /// Keeps the first (or last) `maxLength` tokens and moves the rest into overlapping overflow
    /// windows of `maxLength` tokens that start `maxLength − stride` apart (HF `Encoding::truncate`).
    /// - Precondition: `stride < maxLength` when `maxLength > 0` (callers validate user settings).
    mutating func truncate(to maxLength: Int, stride: Int, fromLeft: Bool) {
        let total = count
        guard maxLength < total else { return }
        if maxLength == 0 {
            let whole = self
            self = Encoding()
            overflowing = [whole]
            return
        }
        precondition(stride < maxLength, "truncate: stride \(stride) must be below maxLength \(maxLength)")
        let step = maxLength - stride
        var windows: [Range<Int>] = []
        if fromLeft {
            var stop = total
            while stop > 0 {
                let start = max(0, stop - maxLength)
                windows.append(start..<stop)
                if start == 0 { break }
                stop -= step
            }
        } else {
            var start = 0
            while start < total {
                let stop = min(start + maxLength, total)
                windows.append(start..<stop)
                if stop == total { break }
                start += step
            }
        }
        var first = slice(windows[0])
        first.overflowing = windows.dropFirst().map { slice($0) }
        self = first
    }

    // MARK: - Padding

    /// Pads to `length` tokens (and pads every overflow window too); longer encodings are left alone.
    mutating func pad(to length: Int, id: Int, typeId: Int, token: String, left: Bool) {
        for index in overflowing.indices {
            overflowing[index].pad(to: length, id: id, typeId: typeId, token: token, left: left)
        }
        let missing = length - count
        guard missing > 0 else { return }
        func extend<T>(_ array: inout [T], with value: T) {
            let padding = [T](repeating: value, count: missing)
            array = left ? padding + array : array + padding
        }
        extend(&ids, with: id)
        extend(&typeIds, with: typeId)
        extend(&tokens, with: token)
        extend(&offsets, with: 0..<0)
        extend(&characterOffsets, with: 0..<0)
        extend(&wordIndices, with: nil)
        extend(&sequenceIndices, with: nil)
        extend(&specialTokensMask, with: 1)
        extend(&attentionMask, with: 0)
    }
}
