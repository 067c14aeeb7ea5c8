// PreTokenizer: the stage that cuts normalised text into words before the model sees it, plus
// the Sequence combinator. Each concrete pre-tokeniser lives in its own file and describes itself
// as the JSON object HF tokenizers writes for it, so a pipeline can be saved and loaded back.
// Reference: HF tokenizers pre_tokenizers/mod.rs, sequence.rs.
// Not handled: the regex-driven `Split`, `Metaspace`, `Digits`, `Punctuation`, `UnicodeScripts`
// (loading a file that uses them gives `TokenizationError.unsupportedComponent`).

/// Cuts text into words. Implementations only refine splits; added tokens are never touched.
public protocol PreTokenizer: Sendable {
    /// Refines `text.splits` (and, rarely, rewrites `text.bytes`).
    func preTokenize(_ text: inout PreTokenizedText)
    /// The HF tokenizer.json object for this pre-tokeniser (with its `"type"`).
    var json: JSONValue { get }
}

extension PreTokenizer {
    /// The words of `text`, as HF's `pre_tokenize_str` shows them.
    public func words(of text: String) -> [String] {
        var pretokenized = PreTokenizedText(text)
        preTokenize(&pretokenized)
        return pretokenized.words
    }
}

/// Several pre-tokenisers applied one after the other.
public struct PreTokenizerSequence: PreTokenizer, Sendable {
    public var steps: [any PreTokenizer]

    public init(_ steps: [any PreTokenizer]) { self.steps = steps }

    public func preTokenize(_ text: inout PreTokenizedText) {
        for step in steps { step.preTokenize(&text) }
    }

    public var json: JSONValue {
        .object([("type", .string("Sequence")), ("pretokenizers", .array(steps.map { $0.json }))])
    }
}
