// TokenizationModel: the stage that turns one pre-tokenised word into tokens (BPE, WordPiece),
// and the per-thread workspace a model may keep between words (caches, scratch buffers).
// Reference: HF tokenizers tokenizer/mod.rs (trait Model).
// Not handled: Unigram and WordLevel models (loading them gives `unsupportedComponent`).

import Foundation

/// One token produced by a model for one word: its id and the bytes of the word it covers.
public struct ModelToken: Equatable, Sendable {
    public var id: Int
    /// Byte range within the word (for byte-level words, one byte per byte-level character).
    public var range: Range<Int>

    public init(id: Int, range: Range<Int>) {
        self.id = id
        self.range = range
    }
}

/// A vocabulary plus the rule that splits a word into vocabulary entries.
public protocol TokenizationModel: AnyObject, Sendable {
    /// Appends the tokens of `word` to `output`.
    /// - Parameters:
    ///   - word: the word's UTF-8 bytes (well-formed, unless `isByteLevel`: then any bytes).
    ///   - isByteLevel: read each byte as its `ByteLevelAlphabet` character.
    ///   - workspace: an object from `makeWorkspace()`, used by one thread at a time.
    func tokenize(word: UnsafeBufferPointer<UInt8>, isByteLevel: Bool, into output: inout [ModelToken], workspace: AnyObject)
    /// A fresh per-thread workspace.
    func makeWorkspace() -> AnyObject
    /// The id of `token`, if it is in the vocabulary.
    func id(forToken token: String) -> Int?
    /// The token with id `id`, if any.
    func token(forID id: Int) -> String?
    /// The number of entries in the vocabulary.
    var vocabularySize: Int { get }
    /// The whole vocabulary.
    var vocabulary: [String: Int] { get }
    /// The HF tokenizer.json object for this model (with its `"type"`).
    var json: JSONValue { get }
}

extension TokenizationModel {
    /// The tokens of one word given as a string (for tests and teaching).
    public func tokenize(_ word: String, isByteLevel: Bool = false) -> [ModelToken] {
        var bytes = Array(word.utf8)
        var output: [ModelToken] = []
        let workspace = makeWorkspace()
        bytes.withUnsafeMutableBufferPointer { buffer in
            tokenize(word: UnsafeBufferPointer(buffer), isByteLevel: isByteLevel, into: &output, workspace: workspace)
        }
        return output
    }
}

/// Workspaces for one model, lent to one thread at a time and returned, so that `encode` calls in
/// a loop keep their caches warm without any thread ever waiting on another's cache.
final class WorkspacePool: @unchecked Sendable {
    // @unchecked: `idle` is touched only under `lock`, and a lent workspace (a non-Sendable
    // scratch class) belongs to the one thread that borrowed it until `with` returns.
    private let lock = NSLock()
    private var idle: [EncodeWorkspace] = []
    private let make: () -> EncodeWorkspace

    init(model: any TokenizationModel) {
        make = { [model] in EncodeWorkspace(model: model.makeWorkspace(), bpe: model as? BPE) }
    }

    /// Runs `body` with a workspace that no other thread is using.
    func with<Result>(_ body: (EncodeWorkspace) throws -> Result) rethrows -> Result {
        lock.lock()
        let workspace = idle.popLast() ?? make()
        lock.unlock()
        defer {
            lock.lock()
            idle.append(workspace)
            lock.unlock()
        }
        return try body(workspace)
    }
}
