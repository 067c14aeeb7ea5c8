// StaticInitializationError: what can stop static word vectors from becoming a token-embedding
// table: no token of the vocabulary found a vector (wrong language, a cased or token-level file,
// a tokenizer of another corpus), dimensions that the chosen mapping cannot bridge, vectors with
// NaN or Inf, and options or shapes that do not fit the model. Each case names the file and the fix.
// Reference: the package's rule for bad input: a typed error naming the file, the field and the fix.
// Not handled: errors of reading the files themselves (those are WordVectorsError and TokenizationError).

/// Why a static-vector initialisation cannot be built.
public enum StaticInitializationError: Error, CustomStringConvertible, Equatable, Sendable {
    /// Not one token got a static vector: neither a whole word nor a sub-word composition.
    /// `sampleTokens` are a few of the tokenizer's words, `sampleWords` a few of the file's.
    case emptyOverlap(vectors: String, vocabularySize: Int, vectorCount: Int, sampleTokens: [String], sampleWords: [String])
    /// The vectors' dimension cannot be mapped to the model width with the mapping asked for.
    case dimensionMismatch(vectors: String, dimension: Int, width: Int, mapping: String, fix: String)
    /// A vector of the file holds NaN or ±Inf.
    case nonFiniteVector(vectors: String, word: String)
    /// An argument does not fit the vocabulary or the model (a table of the wrong shape, a bad option).
    case invalidArgument(field: String, problem: String, fix: String)

    public var description: String {
        switch self {
        case let .emptyOverlap(vectors, vocabularySize, vectorCount, sampleTokens, sampleWords):
            let tokens = sampleTokens.map { "\"\($0)\"" }.joined(separator: ", ")
            let words = sampleWords.map { "\"\($0)\"" }.joined(separator: ", ")
            return "\(vectors): none of the tokenizer's \(vocabularySize) tokens found a vector among the file's \(vectorCount) words "
                + "(tokens such as \(tokens); words such as \(words)). Use vectors trained on text of the tokenizer's language with the "
                + "shared word rule (lowercase, split on non-word characters; `tinyencoder vectors-train` does this), or give a "
                + "corpus (--corpus) so that sub-word tokens can be composed"
        case let .dimensionMismatch(vectors, dimension, width, mapping, fix):
            return "\(vectors): the vectors have \(dimension) dimensions and the model is \(width) wide; the mapping \"\(mapping)\" cannot bridge that. \(fix)"
        case let .nonFiniteVector(vectors, word):
            return "\(vectors): the vector of \"\(word)\" holds NaN or Inf. Retrain or re-export the vectors (a diverged run writes such values)"
        case let .invalidArgument(field, problem, fix):
            return "\(field): \(problem). \(fix)"
        }
    }
}
