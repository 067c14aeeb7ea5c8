// ContextualityError: why the contextuality measures of a corpus sample cannot be computed. Each
// message names what the sample offers and the option that fixes it.
// Not handled: a layer past the model's depth (Encoder's ContextualError, thrown while sampling).

/// Why Ethayarajh's measures cannot be computed on a sample.
public enum ContextualityError: Error, CustomStringConvertible, Equatable {
    /// No word of the sample occurs in `minimum` or more of its `sentences` sentences.
    case noWordInEnoughContexts(minimum: Int, sentences: Int, mostContexts: Int)
    /// The corpus has no non-blank line.
    case emptyCorpus(file: String)

    public var description: String {
        switch self {
        case let .noWordInEnoughContexts(minimum, sentences, most):
            return "no word occurs in \(minimum) or more of the \(sentences) sampled sentences (the most is \(most)); sample more sentences (--sample) or lower --min-contexts"
        case let .emptyCorpus(file):
            return "\(file): no non-blank line; give a corpus with one sentence per line"
        }
    }
}
