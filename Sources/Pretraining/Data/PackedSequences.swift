// PackedSequences: many token sequences in one flat Int32 array plus start offsets (the CSR
// layout), so a 10-million-token corpus costs 40 MB and one allocation instead of a million
// arrays. SequencePacker fills it from tokenised lines, placing [CLS] and [SEP], in one of three
// ways: one line per sequence (HF run_mlm --line_by_line), whole lines packed together until the
// next one does not fit (RoBERTa's FULL-SENTENCES), or the token stream cut into full sequences
// (HF run_mlm's group_texts). Lines longer than a sequence are cut into consecutive pieces.
// Not handled: document boundaries other than lines; NSP sentence pairs; UInt16 storage.

import Foundation

/// Sequences of token ids stored back to back.
public struct PackedSequences: Equatable, Sendable {
    /// Every sequence's tokens, one after another.
    public private(set) var tokens: [Int32] = []
    /// Sequence i is tokens[offsets[i]..<offsets[i + 1]]; offsets[0] = 0.
    public private(set) var offsets: [Int] = [0]

    public init() {}

    /// Builds from explicit sequences (tests, small data).
    public init(_ sequences: [[Int]]) {
        for sequence in sequences { append(sequence.map { Int32($0) }) }
    }

    public var count: Int { offsets.count - 1 }
    public var tokenCount: Int { tokens.count }

    public func length(of index: Int) -> Int { offsets[index + 1] - offsets[index] }

    public subscript(index: Int) -> ArraySlice<Int32> { tokens[offsets[index]..<offsets[index + 1]] }

    public mutating func append<C: Collection>(_ sequence: C) where C.Element == Int32 {
        tokens.append(contentsOf: sequence)
        offsets.append(tokens.count)
    }

    /// The first `limit` sequences.
    public func prefix(_ limit: Int) -> PackedSequences {
        guard limit < count else { return self }
        var result = PackedSequences()
        result.tokens = Array(tokens[0..<offsets[limit]])
        result.offsets = Array(offsets[0...limit])
        return result
    }

    /// FNV-1a over lengths and ids: a checkpoint records it so that resuming on a different
    /// corpus, tokenizer or packing is refused instead of silently training on other data.
    public var fingerprint: UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func mix(_ value: UInt64) {
            var value = value
            for _ in 0..<8 {
                hash = (hash ^ (value & 0xff)) &* 0x0000_0100_0000_01b3
                value >>= 8
            }
        }
        mix(UInt64(count))
        for offset in offsets { mix(UInt64(offset)) }
        for token in tokens { mix(UInt64(UInt32(bitPattern: token))) }
        return hash
    }
}

/// How tokenised lines become fixed-length training sequences.
public enum PackingMode: String, Codable, CaseIterable, Sendable {
    /// One line per sequence: [CLS] line [SEP]. Short lines give short sequences (bucket them).
    case lines
    /// Whole lines back to back, [CLS] a [SEP] b [SEP] …, until the next line does not fit.
    case sentences
    /// The token stream, [SEP] after every line, cut into sequences of exactly the chosen length.
    case stream
}

/// Appends tokenised lines to a `PackedSequences`, one line at a time.
///
/// ```swift
/// var packer = SequencePacker(length: 8, mode: .sentences, classification: 2, separator: 3)
/// packer.add([10, 11]); packer.add([12, 13, 14])   // fits: [2, 10, 11, 3, 12, 13, 14, 3]
/// let packed = packer.finish()
/// ```
public struct SequencePacker: Sendable {
    /// The longest sequence, special tokens included (at least 3).
    public let length: Int
    public let mode: PackingMode
    let classification: Int32
    let separator: Int32
    private var current: [Int32]
    /// Whether `current` already ends with the [SEP] that closed its last line.
    private var endsWithSeparator = false
    private var output = PackedSequences()

    public init(length: Int, mode: PackingMode, classification: Int, separator: Int) {
        precondition(length >= 3, "SequencePacker: a sequence needs room for [CLS], one token and [SEP]; got length \(length)")
        self.length = length
        self.mode = mode
        self.classification = Int32(classification)
        self.separator = Int32(separator)
        current = [Int32(classification)]
        current.reserveCapacity(length)
    }

    /// Adds one line's token ids (no special tokens). Empty lines are skipped.
    public mutating func add<C: Collection>(_ line: C) where C.Element == Int {
        guard !line.isEmpty else { return }
        let ids = line.map { Int32($0) }
        switch mode {
        case .lines:
            // Every piece of at most length − 2 tokens becomes [CLS] piece [SEP].
            var start = 0
            while start < ids.count {
                let end = min(start + length - 2, ids.count)
                current.append(contentsOf: ids[start..<end])
                endsWithSeparator = false
                close()
                start = end
            }
        case .sentences:
            if current.count + ids.count + 1 > length && current.count > 1 { close() }
            if current.count + ids.count + 1 <= length {
                current.append(contentsOf: ids)
                current.append(separator)
                endsWithSeparator = true
                if current.count >= length - 1 { close() }  // no line fits in one slot
            } else {
                // Longer than a whole sequence: full pieces, the last one left open for the next line.
                appendStreaming(ids)
            }
        case .stream:
            appendStreaming(ids)
        }
    }

    /// Closes the open sequence (if it holds any token) and returns everything packed.
    public mutating func finish() -> PackedSequences {
        if current.count > 1 { close() }
        return output
    }

    /// Sequences packed so far (closed ones only).
    public var packed: PackedSequences { output }

    // MARK: - Private

    /// Pours `ids` followed by [SEP] into sequences of exactly `length` tokens; a sequence that
    /// fills up before the line ends gets its own closing [SEP] and the line goes on in the next.
    private mutating func appendStreaming(_ ids: [Int32]) {
        var start = 0
        while start < ids.count {
            let room = length - 1 - current.count  // keep one slot for the closing [SEP]
            let end = min(start + room, ids.count)
            current.append(contentsOf: ids[start..<end])
            endsWithSeparator = false
            start = end
            if start < ids.count { close() }
        }
        current.append(separator)
        endsWithSeparator = true
        if current.count >= length - 1 { close() }
    }

    private mutating func close() {
        if !endsWithSeparator { current.append(separator) }
        output.append(current)
        current.removeAll(keepingCapacity: true)
        current.append(classification)
        endsWithSeparator = false
    }
}
