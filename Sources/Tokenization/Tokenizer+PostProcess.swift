// Tokenizer+PostProcess: after the model: truncation (longest-first, only-first or only-second,
// from the right or the left, with a stride that makes overflow windows overlap), the
// post-processor's special tokens (applied to every overflow window too), and padding.
// Reference: HF tokenizers utils/truncation.rs, utils/padding.rs, tokenizer/mod.rs (post_process).
// Not handled: `pad_to_multiple_of` combined with fixed lengths beyond HF's rule (rounds up, as HF).

/// How to cut encodings that are too long.
public struct Truncation: Equatable, Sendable {
    public enum Strategy: String, Sendable { case longestFirst = "LongestFirst", onlyFirst = "OnlyFirst", onlySecond = "OnlySecond" }
    public enum Direction: String, Sendable { case right = "Right", left = "Left" }

    /// The most tokens an encoding may have, special tokens included.
    public var maxLength: Int
    /// How many tokens consecutive overflow windows share.
    public var stride: Int
    public var strategy: Strategy
    /// Which end is cut.
    public var direction: Direction

    /// The most tokens the overflow windows of one truncated pair may hold together (about
    /// 3 × windows of the first text × windows of the second × max_length): 2,097,152, about 200 MB
    /// of encodings. A question against a long context (tens of windows) stays far below it.
    public static let maximumPairWindowTokens = 1 << 21

    public init(maxLength: Int, stride: Int = 0, strategy: Strategy = .longestFirst, direction: Direction = .right) {
        self.maxLength = maxLength
        self.stride = stride
        self.strategy = strategy
        self.direction = direction
    }
}

/// How to make encodings the same length.
public struct Padding: Equatable, Sendable {
    public enum Strategy: Equatable, Sendable {
        /// The longest encoding of the batch.
        case longest
        /// A fixed number of tokens.
        case fixed(Int)
    }
    public enum Direction: String, Sendable { case right = "Right", left = "Left" }

    public var strategy: Strategy
    public var direction: Direction
    /// Round the length up to a multiple of this (nil: no rounding).
    public var padToMultipleOf: Int?
    public var padID: Int
    public var padTypeID: Int
    public var padToken: String

    /// The longest padding a tokenizer.json may ask for (a fixed length or a multiple): 1,048,576
    /// tokens, EncoderConfig's limit on positions. Padding allocates per token, so a file must not
    /// be able to make every encoding gigabytes long.
    public static let maximumLength = 1 << 20

    public init(strategy: Strategy = .longest, direction: Direction = .right, padToMultipleOf: Int? = nil,
                padID: Int = 0, padTypeID: Int = 0, padToken: String = "[PAD]") {
        self.strategy = strategy
        self.direction = direction
        self.padToMultipleOf = padToMultipleOf
        self.padID = padID
        self.padTypeID = padTypeID
        self.padToken = padToken
    }

    /// Pads `encoding` (and its overflow) to `length`, rounded up to `padToMultipleOf`.
    func apply(to encoding: inout Encoding, length: Int) {
        var target = length
        if let multiple = padToMultipleOf, multiple > 0, target % multiple != 0 { target += multiple - target % multiple }
        encoding.pad(to: target, id: padID, typeId: padTypeID, token: padToken, left: direction == .left)
    }
}

extension Tokenizer {
    /// Truncation, then the post-processor (its special tokens reach every overflow window).
    func postProcess(_ first: Encoding, _ second: Encoding?, addSpecialTokens: Bool) throws -> Encoding {
        if truncation == nil, postProcessor == nil, second == nil { return first }  // nothing to do
        var first = first, second = second
        if let truncation {
            let added = addSpecialTokens ? (postProcessor?.addedTokenCount(isPair: second != nil) ?? 0) : 0
            guard truncation.maxLength >= added else {
                throw TokenizationError.invalidConfiguration(component: "truncation", field: "max_length",
                                                             reason: "is \(truncation.maxLength), fewer than the \(added) special tokens the post-processor adds")
            }
            try truncate(&first, &second, maxLength: truncation.maxLength - added, truncation: truncation)
            if let second, !first.overflowing.isEmpty && !second.overflowing.isEmpty {
                try checkPairWindows(first.overflowing.count + 1, second.overflowing.count + 1, truncation: truncation)
            }
        }
        var inputs = [first]
        if let second { inputs.append(second) }
        guard let postProcessor else { return Encoding.concatenate(inputs) }
        for index in inputs.indices { inputs[index].typeIds = [Int](repeating: index, count: inputs[index].count) }
        // The parts carry their overflow windows; concatenating them applies the template to
        // every window, exactly as HF's merge does.
        return Encoding.concatenate(postProcessor.process(inputs, addSpecialTokens: addSpecialTokens))
    }

    /// When both texts of a pair overflow, every window of the first is combined with every window
    /// of the second (HF's `merge_with`, whose result also nests them): memory grows with the
    /// product of the window counts, so a tokenizer.json with a small max_length and a large stride
    /// made two 8 KB texts take over 2 GB (found by fuzz-tokenizer-json). Refused above
    /// `Truncation.maximumPairWindowTokens` tokens.
    private func checkPairWindows(_ firstWindows: Int, _ secondWindows: Int, truncation: Truncation) throws {
        // About 3·n·m windows are built (n·m combined, n·m nested, n + m more), each up to max_length.
        var tokens = 3
        for factor in [firstWindows, secondWindows, max(truncation.maxLength, 1)] {
            let (product, overflow) = tokens.multipliedReportingOverflow(by: factor)
            tokens = overflow ? Int.max : product
        }
        guard tokens > Truncation.maximumPairWindowTokens else { return }
        throw TokenizationError.invalidConfiguration(
            component: "truncation", field: "max_length",
            reason: "is \(truncation.maxLength) with stride \(truncation.stride): both texts of this pair overflow, into \(firstWindows) × \(secondWindows) "
                + "combined windows, about \(tokens) tokens in all, more than the \(Truncation.maximumPairWindowTokens) allowed; use strategy OnlyFirst or OnlySecond, "
                + "a larger max_length or a smaller stride, or shorter texts")
    }

    /// HF `truncate_encodings`.
    private func truncate(_ first: inout Encoding, _ second: inout Encoding?, maxLength: Int, truncation: Truncation) throws {
        let fromLeft = truncation.direction == .left
        let stride = truncation.stride
        func checkStride(_ length: Int) throws {
            if length > 0 && stride >= length {
                throw TokenizationError.invalidConfiguration(component: "truncation", field: "stride",
                                                             reason: "is \(stride) but must be below \(length), the length left after special tokens; lower it")
            }
        }
        if maxLength == 0 {
            first.truncate(to: 0, stride: stride, fromLeft: fromLeft)
            second?.truncate(to: 0, stride: stride, fromLeft: fromLeft)
            return
        }
        let total = first.count + (second?.count ?? 0)
        guard total > maxLength else { return }
        let excess = total - maxLength
        switch truncation.strategy {
        case .longestFirst:
            guard var other = second else {
                try checkStride(maxLength)
                first.truncate(to: maxLength, stride: stride, fromLeft: fromLeft)
                return
            }
            // Give the shorter one what it needs (up to half), the longer one the rest.
            var shorter = first.count, longer = other.count
            let swapped = shorter > longer
            if swapped { swap(&shorter, &longer) }
            if shorter > maxLength { longer = shorter } else { longer = max(shorter, maxLength - shorter) }
            if shorter + longer > maxLength {
                shorter = maxLength / 2
                longer = shorter + maxLength % 2
            }
            let (firstLength, secondLength) = swapped ? (longer, shorter) : (shorter, longer)
            if firstLength < first.count { try checkStride(firstLength) }
            if secondLength < other.count { try checkStride(secondLength) }
            first.truncate(to: firstLength, stride: stride, fromLeft: fromLeft)
            other.truncate(to: secondLength, stride: stride, fromLeft: fromLeft)
            second = other
        case .onlyFirst, .onlySecond:
            if truncation.strategy == .onlySecond && second == nil {
                throw TokenizationError.invalidConfiguration(component: "truncation", field: "strategy",
                                                             reason: "is OnlySecond, but only one sequence was given")
            }
            let targetLength = truncation.strategy == .onlyFirst ? first.count : second!.count
            guard targetLength > excess else {
                throw TokenizationError.invalidConfiguration(component: "truncation", field: "strategy",
                                                             reason: "cannot remove \(excess) tokens from a sequence of \(targetLength); use LongestFirst or a larger max_length")
            }
            try checkStride(targetLength - excess)
            if truncation.strategy == .onlyFirst {
                first.truncate(to: targetLength - excess, stride: stride, fromLeft: fromLeft)
            } else {
                second!.truncate(to: targetLength - excess, stride: stride, fromLeft: fromLeft)
            }
        }
    }
}
