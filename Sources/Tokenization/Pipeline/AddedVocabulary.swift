// AddedVocabulary: tokens that bypass the model ([CLS], <|endoftext|>, user additions). They are
// found in the text first (leftmost-longest), never split, and everything between them goes
// through the pipeline. Special ones can be recognised (HF's default), treated as plain text
// (HF `encode_special_tokens`) or refused with a typed error.
// Reference: HF tokenizers tokenizer/added_vocabulary.rs (AddedToken options, find_matches).
// Not handled: adding tokens after the tokenizer is built is done by building a new one.

import Foundation

/// A token added on top of the model's vocabulary.
public struct AddedToken: Equatable, Sendable {
    public var content: String
    public var id: Int
    /// Special tokens are skipped by `decode(skipSpecialTokens: true)` and obey `SpecialTokenPolicy`.
    public var special: Bool
    /// Match only when not inside a word (neighbours are not word characters).
    public var singleWord: Bool
    /// Swallow whitespace on the left / right of a match.
    public var leftStrip: Bool
    public var rightStrip: Bool
    /// Match in normalised text (true) or in the raw input (false).
    public var normalized: Bool

    public init(content: String, id: Int, special: Bool = true, singleWord: Bool = false,
                leftStrip: Bool = false, rightStrip: Bool = false, normalized: Bool? = nil) {
        self.content = content
        self.id = id
        self.special = special
        self.singleWord = singleWord
        self.leftStrip = leftStrip
        self.rightStrip = rightStrip
        self.normalized = normalized ?? !special
    }
}

/// What to do with the text of a special token found in user input.
public enum SpecialTokenPolicy: String, Sendable, CaseIterable {
    /// Turn it into the special token (HF's default; prompt-injection prone for untrusted text).
    case recognize
    /// Tokenise it as ordinary text ("[CLS]" → "[", "CL", "S", "]"); HF `encode_special_tokens`.
    case treatAsText
    /// Throw `TokenizationError.specialTokenInInput`.
    case refuse
}

/// The added tokens and the matcher that finds them.
public struct AddedVocabulary: Sendable {
    public private(set) var tokens: [AddedToken]
    /// Candidate tokens by first byte, longest first (the matcher).
    private var candidates: [[Int]] = Array(repeating: [], count: 256)
    private var contentBytes: [[UInt8]] = []
    /// The distinct first bytes of the tokens (scanned for with memchr when there are few).
    private var firstBytes: [UInt8] = []

    public init(_ tokens: [AddedToken] = []) {
        self.tokens = tokens.sorted { $0.id < $1.id }
        contentBytes = self.tokens.map { Array($0.content.utf8) }
        for (index, bytes) in contentBytes.enumerated() where !bytes.isEmpty {
            candidates[Int(bytes[0])].append(index)
        }
        for first in 0..<256 {
            candidates[first].sort { contentBytes[$0].count > contentBytes[$1].count }
        }
        firstBytes = (0..<256).filter { !candidates[$0].isEmpty }.map { UInt8($0) }
    }

    /// The first position in `bytes[range]` where some token could start, or nil.
    @inline(__always)
    func firstCandidate(in bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>) -> Int? {
        guard let base = bytes.baseAddress, !range.isEmpty, !firstBytes.isEmpty else { return nil }
        if firstBytes.count <= 4 {
            var best: Int? = nil
            for byte in firstBytes {
                let limit = (best ?? range.upperBound) - range.lowerBound
                if limit > 0, let hit = memchr(base + range.lowerBound, Int32(byte), limit) {
                    best = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                }
            }
            return best
        }
        for position in range where !candidates[Int(bytes[position])].isEmpty { return position }
        return nil
    }

    public var isEmpty: Bool { tokens.isEmpty }

    public func token(forID id: Int) -> AddedToken? { tokens.first(where: { $0.id == id }) }
    public func token(forContent content: String) -> AddedToken? { tokens.first(where: { $0.content == content }) }

    /// Whether any token must be matched in raw (`normalized == false`) or normalised text.
    func hasTokens(normalized: Bool) -> Bool { tokens.contains { $0.normalized == normalized } }

    // MARK: - Matching

    /// Finds the added tokens in `bytes[range]` (only those with `normalized == matchNormalized`),
    /// leftmost-longest and non-overlapping, and returns the ranges of text and of tokens in order.
    /// - Throws: `specialTokenInInput` when `policy == .refuse` and a special token is found.
    func split(_ bytes: UnsafeBufferPointer<UInt8>, range: Range<Int>, matchNormalized: Bool,
               policy: SpecialTokenPolicy, origin: (Int) -> Int) throws -> [(range: Range<Int>, id: Int?)] {
        var pieces: [(range: Range<Int>, id: Int?)] = []
        var textStart = range.lowerBound
        var position = range.lowerBound
        while position < range.upperBound {
            guard let candidate = firstCandidate(in: bytes, range: position..<range.upperBound) else { break }
            position = candidate
            guard let index = longestMatch(at: position, in: bytes, end: range.upperBound, normalized: matchNormalized) else {
                position += 1
                continue
            }
            let token = tokens[index]
            var start = position
            var stop = position + contentBytes[index].count
            position = stop  // non-overlapping: continue after this match, used or not
            if token.special {
                if policy == .treatAsText { continue }
                if policy == .refuse { throw TokenizationError.specialTokenInInput(token: token.content, byteOffset: origin(start)) }
            }
            if token.singleWord {
                let wordBefore = start > range.lowerBound && isWordCharacter(endingAt: start, in: bytes, from: range.lowerBound)
                let wordAfter = stop < range.upperBound && isWordCharacter(startingAt: stop, in: bytes)
                if wordBefore || wordAfter { continue }
            }
            if token.leftStrip {
                var newStart = start
                while newStart > textStart, let previous = scalarStart(before: newStart, in: bytes, from: textStart),
                      isWhitespace(at: previous, in: bytes) { newStart = previous }
                start = newStart
            }
            if token.rightStrip {
                while stop < range.upperBound, isWhitespace(at: stop, in: bytes) {
                    stop += UTF8Validation.length(ofLead: bytes[stop])
                }
                position = stop
            }
            if textStart < start { pieces.append((textStart..<start, nil)) }
            pieces.append((start..<stop, token.id))
            textStart = stop
        }
        if textStart < range.upperBound { pieces.append((textStart..<range.upperBound, nil)) }
        return pieces
    }

    @inline(__always)
    private func longestMatch(at position: Int, in bytes: UnsafeBufferPointer<UInt8>, end: Int, normalized: Bool) -> Int? {
        for index in candidates[Int(bytes[position])] where tokens[index].normalized == normalized {
            let content = contentBytes[index]
            guard position + content.count <= end else { continue }
            var equal = true
            for offset in 1..<content.count where bytes[position + offset] != content[offset] {
                equal = false
                break
            }
            if equal { return index }
        }
        return nil
    }

    private func scalarStart(before position: Int, in bytes: UnsafeBufferPointer<UInt8>, from lower: Int) -> Int? {
        guard position > lower else { return nil }
        var start = position - 1
        while start > lower, UTF8Validation.isContinuation(bytes[start]) { start -= 1 }
        return start
    }

    private func isWhitespace(at position: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        ScalarClass.of(UTF8Validation.decode(at: position, in: bytes).scalar).contains(.whitespace)
    }

    private func isWordCharacter(startingAt position: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        ScalarClass.of(UTF8Validation.decode(at: position, in: bytes).scalar).contains(.word)
    }

    private func isWordCharacter(endingAt position: Int, in bytes: UnsafeBufferPointer<UInt8>, from lower: Int) -> Bool {
        guard let start = scalarStart(before: position, in: bytes, from: lower) else { return false }
        return isWordCharacter(startingAt: start, in: bytes)
    }

    // MARK: - File format

    /// The `added_tokens` array of tokenizer.json.
    var json: JSONValue {
        .array(tokens.map { token in
            .object([("id", .integer(token.id)), ("content", .string(token.content)),
                     ("single_word", .bool(token.singleWord)), ("lstrip", .bool(token.leftStrip)),
                     ("rstrip", .bool(token.rightStrip)), ("normalized", .bool(token.normalized)),
                     ("special", .bool(token.special))])
        })
    }
}
