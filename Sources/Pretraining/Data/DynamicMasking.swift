// Dynamic masking (RoBERTa, Liu et al., 2019): a fresh mask every time a sequence is used, drawn
// as BERT draws it (Devlin et al., 2019, §3.1 and create_pretraining_data.py):
//   n = max(1, round(p · m)) of the m maskable tokens (not [CLS]/[SEP]/[PAD]) are chosen, p = 0.15;
//   each chosen token becomes [MASK] with probability 0.8, a random token with 0.1, or stays as it is;
//   the model must predict the original token at every chosen position.
// Whole-word masking chooses whole words (a token that starts a word plus the tokens after it that
// do not), adding a word only if it still fits in n, as BERT's whole-word-masking release does.
// Not handled: span masking (SpanBERT), n-gram masking, a per-sequence cap on predictions.

import Encoder
import TensorCore

/// The masking recipe.
public struct MaskingConfiguration: Codable, Equatable, Sendable {
    /// The share p of maskable tokens to predict.
    public var probability: Double = 0.15
    /// Of the chosen tokens: the share replaced by [MASK]…
    public var maskShare: Double = 0.8
    /// …and the share replaced by a random (non-special) token; the rest stay unchanged.
    public var randomShare: Double = 0.1
    /// Choose whole words instead of single tokens.
    public var wholeWord: Bool = false

    public init(probability: Double = 0.15, maskShare: Double = 0.8, randomShare: Double = 0.1, wholeWord: Bool = false) {
        self.probability = probability
        self.maskShare = maskShare
        self.randomShare = randomShare
        self.wholeWord = wholeWord
    }
}

/// A padded batch with its masked-LM targets: what one forward pass of pretraining consumes.
public struct MaskedBatch: Sendable {
    /// The ids after masking, padded, with the attention mask.
    public let input: EncoderInput
    /// Flat indices row · T + column into the [B, T] batch, ascending.
    public let maskedPositions: [Int]
    /// The original id at each masked position.
    public let targets: [Int]

    public init(input: EncoderInput, maskedPositions: [Int], targets: [Int]) {
        precondition(maskedPositions.count == targets.count, "MaskedBatch: \(maskedPositions.count) positions, \(targets.count) targets")
        self.input = input
        self.maskedPositions = maskedPositions
        self.targets = targets
    }

    /// Real (non-padding) tokens.
    public var tokenCount: Int { input.lengths.reduce(0, +) }
    /// Padding tokens: B · T − real tokens.
    public var paddingCount: Int { input.batch * input.length - tokenCount }
}

/// Draws masks for sequences.
///
/// ```swift
/// let masker = DynamicMasker(configuration: MaskingConfiguration(), special: tokenizer.specialTokens,
///                            vocabularySize: tokenizer.vocabularySize, wordStarts: tokenizer.wordStartTable())
/// var generator = SeededGenerator(seed: 1)
/// let batch = masker.batch([corpus.train[0], corpus.train[1]], generator: &generator)
/// ```
public struct DynamicMasker: Sendable {
    public let configuration: MaskingConfiguration
    public let special: SpecialTokenIDs
    public let vocabularySize: Int
    /// Per id: does it start a word (`CorpusTokenizer.wordStartTable`)? Only read for whole-word masking.
    public let wordStarts: [Bool]
    /// The ids a random replacement is drawn from: every id that is not special.
    let replacementIDs: [Int32]

    public init(configuration: MaskingConfiguration, special: SpecialTokenIDs, vocabularySize: Int, wordStarts: [Bool]) {
        self.configuration = configuration
        self.special = special
        self.vocabularySize = vocabularySize
        self.wordStarts = wordStarts
        replacementIDs = (0..<vocabularySize).filter { !special.all.contains($0) }.map { Int32($0) }
        precondition(!replacementIDs.isEmpty, "DynamicMasker: the vocabulary has no ordinary token")
    }

    /// One masked token: where, what the model sees there, and what it must predict.
    public struct Choice: Equatable, Sendable {
        public let position: Int
        public let replacement: Int
        public let target: Int
    }

    /// Chooses the positions of one sequence and their replacements, in ascending position order.
    ///
    /// Draws, in order: a Fisher–Yates shuffle of the candidates (tokens or words), then for each
    /// chosen position one uniform u (u < 0.8: [MASK]; u < 0.9: random, one more draw; else kept).
    public func choose(_ sequence: ArraySlice<Int32>, generator: inout SeededGenerator) -> [Choice] {
        let ids = Array(sequence)
        let units = candidateUnits(ids)
        let maskable = units.reduce(0) { $0 + $1.count }
        guard maskable > 0 else { return [] }
        let wanted = max(1, Int((configuration.probability * Double(maskable)).rounded()))
        var order = Array(units.indices)
        for index in stride(from: order.count - 1, to: 0, by: -1) {
            order.swapAt(index, generator.nextInt(below: index + 1))
        }
        var chosen: [Int] = []
        for unit in order {
            if chosen.count >= wanted { break }
            if chosen.count + units[unit].count > wanted { continue }  // a whole word must fit
            chosen.append(contentsOf: units[unit])
        }
        chosen.sort()
        return chosen.map { position in
            let target = Int(ids[position])
            let u = Double(generator.nextUniform())
            let replacement: Int
            if u < configuration.maskShare {
                replacement = special.mask
            } else if u < configuration.maskShare + configuration.randomShare {
                replacement = Int(replacementIDs[generator.nextInt(below: replacementIDs.count)])
            } else {
                replacement = target
            }
            return Choice(position: position, replacement: replacement, target: target)
        }
    }

    /// The maskable positions grouped into units: one position each, or whole words.
    /// A word starts at a token whose text starts a word, or right after a special token (a line start).
    func candidateUnits(_ ids: [Int32]) -> [[Int]] {
        var units: [[Int]] = []
        var previousWasSpecial = true
        for (position, raw) in ids.enumerated() {
            let id = Int(raw)
            if special.all.contains(id) {
                previousWasSpecial = true
                continue
            }
            let startsWord = previousWasSpecial || (id < wordStarts.count && wordStarts[id])
            if configuration.wholeWord && !startsWord && !units.isEmpty {
                units[units.count - 1].append(position)
            } else {
                units.append([position])
            }
            previousWasSpecial = false
        }
        return units
    }

    /// Masks each sequence and pads the batch: the input of one forward pass.
    public func batch(_ sequences: [ArraySlice<Int32>], generator: inout SeededGenerator) -> MaskedBatch {
        let length = sequences.map(\.count).max() ?? 0
        var rows: [[Int]] = []
        var positions: [Int] = []
        var targets: [Int] = []
        for (row, sequence) in sequences.enumerated() {
            var ids = sequence.map { Int($0) }
            for choice in choose(sequence, generator: &generator) {
                ids[choice.position] = choice.replacement
                positions.append(row * length + choice.position)
                targets.append(choice.target)
            }
            rows.append(ids)
        }
        return MaskedBatch(input: EncoderInput(sequences: rows, padId: special.padding), maskedPositions: positions, targets: targets)
    }
}
