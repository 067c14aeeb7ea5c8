// EncoderInput: a padded batch of token-id sequences with its attention mask and token types,
// and the checks that keep bad ids or lengths from reaching the model (a typed error instead of
// a trap). Padding goes on the right; the mask is 1 for real tokens and 0 for padding.
// Not handled: left padding (an encoder has no reason for it), packed sequences without padding.

import TensorCore

/// Why an input cannot be encoded.
public enum EncoderInputError: Error, CustomStringConvertible, Equatable, Sendable {
    /// `lowerBound`: the text was not encoded to its end, and has at least `length` tokens.
    case sequenceTooLong(sequence: Int, length: Int, maximum: Int, lowerBound: Bool = false)
    case tokenOutOfRange(sequence: Int, position: Int, id: Int, vocabularySize: Int)
    case tokenTypeOutOfRange(sequence: Int, position: Int, type: Int, typeVocabularySize: Int)
    case emptyBatch

    public var description: String {
        switch self {
        case let .sequenceTooLong(sequence, length, maximum, lowerBound):
            return "text \(sequence): \(lowerBound ? "at least " : "")\(length) tokens is more than the model's \(maximum) positions; shorten the text or ask for truncation (--truncate)"
        case let .tokenOutOfRange(sequence, position, id, size):
            return "text \(sequence), token \(position): id \(id) is outside the model's vocabulary 0..<\(size); use the model's own tokenizer"
        case let .tokenTypeOutOfRange(sequence, position, type, size):
            return "text \(sequence), token \(position): token type \(type) is outside 0..<\(size)"
        case .emptyBatch:
            return "no texts to encode"
        }
    }
}

/// A right-padded batch: ids and types row-major [B, T], mask [B, T].
public struct EncoderInput: Sendable {
    public let ids: [Int]
    public let tokenTypes: [Int]?
    /// 1 for a real token, 0 for padding. [B, T]
    public let mask: Tensor
    public let batch: Int
    public let length: Int
    /// Real tokens per sequence.
    public let lengths: [Int]

    /// Pads `sequences` to the longest one with `padId`.
    public init(sequences: [[Int]], tokenTypes: [[Int]]? = nil, padId: Int) {
        batch = sequences.count
        length = sequences.map(\.count).max() ?? 0
        lengths = sequences.map(\.count)
        var ids = [Int](repeating: padId, count: batch * length)
        var types = tokenTypes == nil ? nil : [Int](repeating: 0, count: batch * length)
        var maskValues = [Float](repeating: 0, count: batch * length)
        for (row, sequence) in sequences.enumerated() {
            for (column, id) in sequence.enumerated() {
                ids[row * length + column] = id
                maskValues[row * length + column] = 1
                if let rowTypes = tokenTypes?[row], column < rowTypes.count { types![row * length + column] = rowTypes[column] }
            }
        }
        self.ids = ids
        self.tokenTypes = types
        self.mask = Tensor(shape: [batch, length], scalars: maskValues)
    }

    /// Sequences `range` of the batch, padded to the same length T as the whole batch.
    public func rows(_ range: Range<Int>) -> EncoderInput {
        precondition(range.lowerBound >= 0 && range.upperBound <= batch, "rows: \(range) is outside 0..<\(batch)")
        let slice = range.lowerBound * length..<range.upperBound * length
        let maskValues = mask.withUnsafeBufferPointer { Array($0[slice]) }
        return EncoderInput(ids: Array(ids[slice]), tokenTypes: tokenTypes.map { Array($0[slice]) },
                            mask: Tensor(shape: [range.count, length], scalars: maskValues),
                            batch: range.count, length: length, lengths: Array(lengths[range]))
    }

    private init(ids: [Int], tokenTypes: [Int]?, mask: Tensor, batch: Int, length: Int, lengths: [Int]) {
        (self.ids, self.tokenTypes, self.mask, self.batch, self.length, self.lengths) = (ids, tokenTypes, mask, batch, length, lengths)
    }

    /// Throws if a sequence is too long or an id or type is out of range for `config`.
    public func validate(for config: EncoderConfig) throws {
        guard batch > 0 else { throw EncoderInputError.emptyBatch }
        for row in 0..<batch {
            if lengths[row] > config.maxPositions {
                throw EncoderInputError.sequenceTooLong(sequence: row, length: lengths[row], maximum: config.maxPositions)
            }
            for column in 0..<lengths[row] {
                let id = ids[row * length + column]
                if id < 0 || id >= config.vocabularySize {
                    throw EncoderInputError.tokenOutOfRange(sequence: row, position: column, id: id, vocabularySize: config.vocabularySize)
                }
                if let type = tokenTypes?[row * length + column], type < 0 || type >= max(config.typeVocabularySize, 1) {
                    throw EncoderInputError.tokenTypeOutOfRange(sequence: row, position: column, type: type, typeVocabularySize: config.typeVocabularySize)
                }
            }
        }
    }
}
