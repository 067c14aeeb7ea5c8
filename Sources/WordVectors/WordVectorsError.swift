// WordVectorsError: every way that input from outside (a corpus, a vector file, an option, an
// evaluation file) can be wrong, each naming the file, the field and the fix.
// Reference: the package's rule for bad input: a typed error naming the file, the field and the fix.
// Not handled: programmer errors inside the library (those are preconditions).

import Foundation

/// A problem with something the caller gave us. `description` is one sentence that names the
/// file (when there is one), what was wrong, and how to fix it.
public enum WordVectorsError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file could not be opened, read or written.
    case io(path: String, reason: String)
    /// The file ended before a field it promised (e.g. a header announcing more rows than present).
    case truncated(path: String, field: String, detail: String)
    /// A field holds a value that cannot be right (a negative count, a dimension of zero, garbage).
    case malformed(path: String, field: String, detail: String)
    /// A word is not valid UTF-8.
    case invalidUTF8(path: String, field: String, byteOffset: Int)
    /// A configuration value outside its allowed range.
    case invalidOption(name: String, detail: String)
    /// The corpus has no word that survives `minCount` (or no words at all).
    case emptyCorpus(path: String, detail: String)
    /// A word was asked for that the vectors do not hold.
    case unknownWord(String)
    /// No format was given and the file's first bytes do not tell which one it is.
    case unknownFormat(path: String, detail: String)

    public var description: String {
        switch self {
        case let .io(path, reason):
            return "\(path): \(reason)"
        case let .truncated(path, field, detail):
            return "\(path): the file ends inside \(field): \(detail). The file is truncated or not in the "
                + "format given; re-export it or pick the right --in-format."
        case let .malformed(path, field, detail):
            return "\(path): bad \(field): \(detail)"
        case let .invalidUTF8(path, field, offset):
            return "\(path): \(field) at byte \(offset) is not valid UTF-8. Convert the file to UTF-8 "
                + "(for example with iconv) or load it with replaceInvalidUTF8 (--invalid-utf8 replace on the command line)."
        case let .invalidOption(name, detail):
            return "option \(name): \(detail)"
        case let .emptyCorpus(path, detail):
            return "\(path): \(detail)"
        case let .unknownWord(word):
            return "the vectors have no entry for \"\(word)\"; check the spelling and the lowercasing rule"
        case let .unknownFormat(path, detail):
            return "\(path): cannot tell the vector format: \(detail). Name it with --format F on the command line "
                + "(format: in Swift), one of \(VectorFileFormat.names)."
        }
    }
}
