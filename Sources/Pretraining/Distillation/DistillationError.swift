// DistillationError: what stops `distill` and `distill-static` before or during their work. Each
// case names what was wrong and how to fix it; file problems are `FileError`s instead.
// Not handled: errors of the teacher's own files (ModelFolder and the tokenizer report those).

import Foundation

public enum DistillationError: Error, CustomStringConvertible, Equatable, Sendable {
    /// An option or configuration field with a value that cannot work.
    case invalidOption(option: String, problem: String, fix: String)
    /// The corpus gave no line the teacher and the student can both use.
    case noUsableLines(corpus: String, reason: String)
    /// A teacher-vector cache that belongs to another teacher, corpus or recipe.
    case cacheMismatch(cache: String, field: String, expected: String, found: String)
    /// A loss or gradient that is not finite (nothing was updated).
    case nonFinite(step: Int, what: String)

    public var description: String {
        switch self {
        case let .invalidOption(option, problem, fix):
            return "\(option) \(problem). \(fix)"
        case let .noUsableLines(corpus, reason):
            return "\(corpus): no usable line (\(reason)). Give a text file with one sentence or paragraph per line"
        case let .cacheMismatch(cache, field, expected, found):
            return "\(cache): \(field) is \(found), but this run needs \(expected). The cache belongs to another teacher or corpus; delete it or pass another --teacher-cache"
        case let .nonFinite(step, what):
            return "step \(step): \(what) is not finite; nothing was updated. Lower --lr, or check the teacher vectors"
        }
    }
}
