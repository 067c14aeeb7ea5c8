// BertProcessing: BERT's special tokens, "[CLS] A [SEP]" and "[CLS] A [SEP] B [SEP]", with type
// id 0 for the first sequence (and its two tokens) and 1 for the second (and its [SEP]). Older
// BERT tokenizer.json files use it; newer ones spell the same thing as TemplateProcessing
// ("[CLS] $A [SEP]", "[CLS] $A [SEP] $B:1 [SEP]:1").
// Reference: HF tokenizers processors/bert.rs; Devlin et al. 2019, section 3 (input representation).
// Not handled: nothing the JSON format can express.

/// BERT's post-processor.
///
/// ```swift
/// let bert = BertProcessing(separator: ("[SEP]", 102), classifier: ("[CLS]", 101))
/// ```
public struct BertProcessing: PostProcessor, Equatable, Sendable {
    public var separatorToken: String
    public var separatorID: Int
    public var classifierToken: String
    public var classifierID: Int

    public init(separator: (String, Int), classifier: (String, Int)) {
        separatorToken = separator.0
        separatorID = separator.1
        classifierToken = classifier.0
        classifierID = classifier.1
    }

    public func addedTokenCount(isPair: Bool) -> Int { isPair ? 3 : 2 }

    public func process(_ encodings: [Encoding], addSpecialTokens: Bool) -> [Encoding] {
        guard addSpecialTokens else { return encodings }
        // "[CLS] A [SEP]" (type 0) and "B [SEP]" (type 1), each overflow window wrapped the same way.
        return encodings.enumerated().map { index, sequence in wrap(sequence, first: index == 0) }
    }

    private func wrap(_ sequence: Encoding, first: Bool) -> Encoding {
        let closing = Encoding.specialTokens(ids: [separatorID], tokens: [separatorToken], typeId: first ? 0 : 1)
        var wrapped = first ? Encoding.specialTokens(ids: [classifierID], tokens: [classifierToken], typeId: 0) : Encoding()
        wrapped.appendTokens(of: sequence)
        wrapped.appendTokens(of: closing)
        wrapped.overflowing = sequence.overflowing.map { wrap($0, first: first) }
        return wrapped
    }

    public var json: JSONValue {
        .object([
            ("type", .string("BertProcessing")),
            ("sep", .array([.string(separatorToken), .integer(separatorID)])),
            ("cls", .array([.string(classifierToken), .integer(classifierID)])),
        ])
    }
}
