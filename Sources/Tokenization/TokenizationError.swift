// TokenizationError: every way bad input can fail in this module, as one typed error whose
// message names the file (or input), the component and field, and says how to fix it.
// Follows the package's rule for bad input: a typed error naming the file, the field and the fix, never a trap.
// Not handled: programmer errors inside the library (those are preconditions).

/// A failure caused by input: a file, a configuration, a text or a corpus.
///
/// Each case carries what a user needs to find the problem; `description` turns it into one
/// sentence that also says how to fix it.
///
/// ```swift
/// do { _ = try Tokenizer(contentsOf: url) }
/// catch let error as TokenizationError { print(error) }   // names the file, the field and the fix
/// ```
public enum TokenizationError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The text is not JSON at all (or is cut short). `offset` is the byte where parsing stopped.
    case malformedJSON(source: String, line: Int, column: Int, reason: String)
    /// A required field is absent. `path` is a JSON path such as `model.vocab`.
    case missingField(source: String, path: String)
    /// A field has the wrong kind of value (for example a string where a number belongs).
    case invalidField(source: String, path: String, reason: String)
    /// A component (`normalizer`, `pre_tokenizer`, `model`, `post_processor`, `decoder`) names a
    /// `type` this module does not implement.
    case unsupportedComponent(source: String, path: String, type: String, supported: [String])
    /// A merge names a token (or produces one) that the vocabulary lacks.
    case mergeTokenMissing(source: String, mergeIndex: Int, token: String)
    /// A token id that is not in the vocabulary (decoding, or a reference inside a file).
    case unknownTokenID(Int)
    /// The bytes are not valid UTF-8. `byteOffset` is where the bad sequence starts.
    case invalidUTF8(source: String, byteOffset: Int, line: Int)
    /// Training saw no words at all.
    case emptyCorpus(source: String)
    /// The input contains the text of a special token and the tokenizer was told to refuse it.
    case specialTokenInInput(token: String, byteOffset: Int)
    /// A setting is out of its range (vocabulary size, truncation length, …).
    case invalidConfiguration(component: String, field: String, reason: String)
    /// Reading or writing a file failed.
    case fileSystem(path: String, reason: String)

    public var description: String {
        switch self {
        case let .malformedJSON(source, line, column, reason):
            return "\(source): not valid JSON at line \(line), column \(column): \(reason); "
                + "fix the file (a tokenizer.json written by HF tokenizers or by `tinyencoder bpe-train` is valid)"
        case let .missingField(source, path):
            return "\(source): the field \"\(path)\" is missing; add it (see Docs/Formats-Tokenizer.md for the layout)"
        case let .invalidField(source, path, reason):
            return "\(source): the field \"\(path)\" \(reason)"
        case let .unsupportedComponent(source, path, type, supported):
            return "\(source): \"\(path)\" has type \"\(type)\", which TinyEncoder does not implement; "
                + "supported: \(supported.joined(separator: ", ")) (or null)"
        case let .mergeTokenMissing(source, mergeIndex, token):
            return "\(source): merge #\(mergeIndex) names the token \"\(token)\", which is not in the vocabulary; "
                + "add it to the vocabulary or remove the merge"
        case let .unknownTokenID(id):
            return "token id \(id) is not in the vocabulary; decode only ids this tokenizer produced"
        case let .invalidUTF8(source, byteOffset, line):
            return "\(source): invalid UTF-8 at byte \(byteOffset) (line \(line)); convert the input to UTF-8 "
                + "(for example `iconv -f LATIN1 -t UTF-8`), or pass --invalid-utf8 replace to read bad bytes as U+FFFD"
        case let .emptyCorpus(source):
            return "\(source): the corpus holds no words, so there is nothing to learn merges from; "
                + "pass a non-empty UTF-8 text file"
        case let .specialTokenInInput(token, byteOffset):
            return "the input contains the special token text \"\(token)\" at byte \(byteOffset), and the "
                + "tokenizer is set to refuse it; remove it, or let it through as text or as the token "
                + "(Swift: specialTokenPolicy .treatAsText / .recognize; CLI: --special-text text / recognize)"
        case let .invalidConfiguration(component, field, reason):
            return "\(component): \(field) \(reason)"
        case let .fileSystem(path, reason):
            return "\(path): \(reason)"
        }
    }
}
