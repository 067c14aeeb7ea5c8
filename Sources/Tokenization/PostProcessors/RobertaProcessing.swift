// RobertaProcessing: RoBERTa's special tokens, "<s> A </s>" and "<s> A </s></s> B </s>", all with
// type id 0, plus the byte-level offset trimming RoBERTa's tokenizer applies.
// Reference: HF tokenizers processors/roberta.rs; Liu et al. 2019, "RoBERTa".
// Not handled: nothing the JSON format can express.

/// RoBERTa's post-processor.
///
/// ```swift
/// let roberta = RobertaProcessing(separator: ("</s>", 2), classifier: ("<s>", 0))
/// ```
public struct RobertaProcessing: PostProcessor, Equatable, Sendable {
    public var separatorToken: String
    public var separatorID: Int
    public var classifierToken: String
    public var classifierID: Int
    /// Trim the byte-level spaces from offsets (HF `trim_offsets`).
    public var trimOffsets: Bool
    /// Whether the pre-tokeniser added a prefix space (keeps it in the first offset; `add_prefix_space`).
    public var addPrefixSpace: Bool

    public init(separator: (String, Int), classifier: (String, Int), trimOffsets: Bool = true, addPrefixSpace: Bool = true) {
        separatorToken = separator.0
        separatorID = separator.1
        classifierToken = classifier.0
        classifierID = classifier.1
        self.trimOffsets = trimOffsets
        self.addPrefixSpace = addPrefixSpace
    }

    public func addedTokenCount(isPair: Bool) -> Int { isPair ? 4 : 2 }

    public func process(_ encodings: [Encoding], addSpecialTokens: Bool) -> [Encoding] {
        var sequences = encodings
        for index in sequences.indices {
            if trimOffsets { trimByteLevelOffsets(&sequences[index], addPrefixSpace: addPrefixSpace) }
            sequences[index].setTypeIds(0)
        }
        guard addSpecialTokens else { return sequences }
        // "<s> A </s>" and "</s> B </s>", each window of each sequence wrapped the same way.
        return sequences.enumerated().map { index, sequence in wrap(sequence, first: index == 0) }
    }

    private func wrap(_ sequence: Encoding, first: Bool) -> Encoding {
        let opening = Encoding.specialTokens(ids: [first ? classifierID : separatorID],
                                             tokens: [first ? classifierToken : separatorToken], typeId: 0)
        let closing = Encoding.specialTokens(ids: [separatorID], tokens: [separatorToken], typeId: 0)
        var wrapped = opening
        wrapped.appendTokens(of: sequence)
        wrapped.appendTokens(of: closing)
        wrapped.overflowing = sequence.overflowing.map { wrap($0, first: first) }
        return wrapped
    }

    public var json: JSONValue {
        .object([
            ("type", .string("RobertaProcessing")),
            ("sep", .array([.string(separatorToken), .integer(separatorID)])),
            ("cls", .array([.string(classifierToken), .integer(classifierID)])),
            ("trim_offsets", .bool(trimOffsets)),
            ("add_prefix_space", .bool(addPrefixSpace)),
        ])
    }
}
