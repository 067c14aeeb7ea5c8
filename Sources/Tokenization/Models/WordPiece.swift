// WordPiece: BERT's subword model. A word is cut from the left into the longest vocabulary
// entries; every piece after the first is looked up with the continuing-subword prefix ("##").
// If some position has no match, or the word has more than `max_input_chars_per_word`
// characters, the whole word becomes the unknown token. The longest match is found by walking a
// byte trie of the vocabulary (one trie for word starts, one for "##" continuations), so a word
// of n bytes costs O(n) per piece instead of HF's O(n²) substring look-ups.
// Reference: Schuster & Nakajima 2012 (the name); google-research/bert tokenization.py
// (WordpieceTokenizer, greedy longest-match-first); HF tokenizers models/wordpiece/mod.rs.
// Not handled: training WordPiece vocabularies (HF's WordPieceTrainer is BPE underneath).

/// A WordPiece model.
///
/// ```swift
/// let model = try WordPiece(vocabulary: ["[UNK]": 0, "un": 1, "##aff": 2, "##able": 3])
/// model.tokenize("unaffable").map(\.id)   // [1, 2, 3]
/// model.tokenize("xyz").map(\.id)         // [0]   (no piece matches "x": the whole word is unknown)
/// ```
public final class WordPiece: TokenizationModel, Sendable {
    // MARK: - Configuration (HF field names in comments)

    /// Token → id (`vocab`), for look-ups by the caller; encoding uses the byte trie.
    public let vocabulary: [String: Int]
    /// The token for words that cannot be split (`unk_token`); it must be in the vocabulary.
    public let unknownToken: String
    /// Prefix of pieces that continue a word (`continuing_subword_prefix`).
    public let continuingSubwordPrefix: String
    /// Longer words (in Unicode scalars) become the unknown token whole (`max_input_chars_per_word`).
    public let maxInputCharactersPerWord: Int

    // MARK: - Lookup tables

    /// id → token (nil where the id is unused).
    let tokensByID: [String?]
    let unknownID: Int
    /// Byte trie: (node, byte) → child node. Node 0 is the root of all tokens, node 1 the root
    /// of continuation tokens (spelled without their prefix).
    let children: PairTable
    /// The token id that ends at each node, or -1.
    let terminalIDs: [Int32]

    /// Builds the model from a token → id dictionary.
    /// - Throws: as `init(tokens:…)`.
    public convenience init(vocabulary: [String: Int], unknownToken: String = "[UNK]", continuingSubwordPrefix: String = "##",
                            maxInputCharactersPerWord: Int = 100, source: String = "WordPiece model") throws {
        try self.init(tokens: vocabulary.map { ($0.key, $0.value) }, unknownToken: unknownToken,
                      continuingSubwordPrefix: continuingSubwordPrefix, maxInputCharactersPerWord: maxInputCharactersPerWord, source: source)
    }

    /// Builds the model from (token, id) pairs, compared byte for byte. (A Swift dictionary would
    /// merge tokens that are canonically equivalent, such as "é" and "e\u{301}"; HF keeps both.)
    /// - Parameter source: names the input in error messages (a file path, usually).
    /// - Throws: `TokenizationError.invalidField` for ids outside 0..<`BPE.idLimit`, an unknown
    ///   token missing from the vocabulary, or a non-positive `max_input_chars_per_word`.
    public init(tokens: [(token: String, id: Int)], unknownToken: String = "[UNK]", continuingSubwordPrefix: String = "##",
                maxInputCharactersPerWord: Int = 100, source: String = "WordPiece model") throws {
        var vocabulary: [String: Int] = [:]
        vocabulary.reserveCapacity(tokens.count)
        for (token, id) in tokens { vocabulary[token] = id }
        self.vocabulary = vocabulary
        self.unknownToken = unknownToken
        self.continuingSubwordPrefix = continuingSubwordPrefix
        self.maxInputCharactersPerWord = maxInputCharactersPerWord
        let maximumID = tokens.map(\.id).max() ?? -1
        guard maximumID < BPE.idLimit, tokens.allSatisfy({ $0.id >= 0 }) else {
            throw TokenizationError.invalidField(source: source, path: "model.vocab",
                                                 reason: "has an id outside 0..<\(BPE.idLimit); ids must be small non-negative integers")
        }
        guard let unknown = tokens.last(where: { $0.token.utf8.elementsEqual(unknownToken.utf8) })?.id else {
            throw TokenizationError.invalidField(source: source, path: "model.unk_token",
                                                 reason: "names \"\(unknownToken)\", which is not in the vocabulary; WordPiece needs it for words it cannot split")
        }
        guard maxInputCharactersPerWord > 0 else {
            throw TokenizationError.invalidField(source: source, path: "model.max_input_chars_per_word",
                                                 reason: "is \(maxInputCharactersPerWord); it must be positive (BERT uses 100)")
        }
        unknownID = unknown
        var reverse = [String?](repeating: nil, count: maximumID + 1)
        for (token, id) in tokens { reverse[id] = token }
        tokensByID = reverse

        // The two tries, built token by token in the given order (a repeated token: the last id wins, as in HF's map).
        var table = PairTable(expected: vocabulary.count * 6)
        var terminals: [Int32] = [-1, -1]
        let prefix = Array(continuingSubwordPrefix.utf8)
        func insert(_ bytes: ArraySlice<UInt8>, root: Int32, id: Int) {
            var node = root
            for byte in bytes {
                let key = PairTable.key(node, Int32(byte))
                if let child = table.value(for: key) {
                    node = Int32(truncatingIfNeeded: child)
                } else {
                    let child = Int32(terminals.count)
                    terminals.append(-1)
                    table.set(UInt64(child), for: key)
                    node = child
                }
            }
            terminals[Int(node)] = Int32(id)
        }
        for (token, id) in tokens {
            let bytes = Array(token.utf8)
            insert(bytes[...], root: 0, id: id)
            if !prefix.isEmpty, bytes.count > prefix.count, bytes.starts(with: prefix) {
                insert(bytes[prefix.count...], root: 1, id: id)
            } else if prefix.isEmpty {
                insert(bytes[...], root: 1, id: id)
            }
        }
        children = table
        terminalIDs = terminals
    }

    // MARK: - Tokenising one word

    public func tokenize(word: UnsafeBufferPointer<UInt8>, isByteLevel: Bool, into output: inout [ModelToken], workspace: AnyObject) {
        guard !isByteLevel else {
            tokenizeByteLevel(word, into: &output)
            return
        }
        guard !word.isEmpty else { return }
        if UTF8Validation.scalarCount(word) > maxInputCharactersPerWord {
            output.append(ModelToken(id: unknownID, range: 0..<word.count))
            return
        }
        let first = output.count
        var start = 0
        while start < word.count {
            // Walk the trie as far as the word allows; remember the last node that ends a token.
            var node: Int32 = start == 0 ? 0 : 1
            var match: (end: Int, id: Int32)? = nil
            var position = start
            while position < word.count, let child = children.value(for: PairTable.key(node, Int32(word[position]))) {
                node = Int32(truncatingIfNeeded: child)
                position += 1
                let id = terminalIDs[Int(node)]
                if id >= 0 { match = (position, id) }
            }
            guard let found = match else {
                // HF: one unknown token for the whole word.
                output.removeSubrange(first...)
                output.append(ModelToken(id: unknownID, range: 0..<word.count))
                return
            }
            output.append(ModelToken(id: Int(found.id), range: start..<found.end))
            start = found.end
        }
    }

    /// A word of a byte-level pre-tokeniser: the model sees its bytes spelled in the byte-level
    /// alphabet (as in HF), and the pieces are mapped back to the word's bytes.
    private func tokenizeByteLevel(_ word: UnsafeBufferPointer<UInt8>, into output: inout [ModelToken]) {
        var spelled: [UInt8] = []
        var sourceByte: [Int] = []  // for each spelled byte, the word byte it spells
        for (index, byte) in word.enumerated() {
            for unit in ByteLevelAlphabet.utf8[Int(byte)] {
                spelled.append(unit)
                sourceByte.append(index)
            }
        }
        sourceByte.append(word.count)
        var pieces: [ModelToken] = []
        spelled.withUnsafeBufferPointer { tokenize(word: $0, isByteLevel: false, into: &pieces, workspace: self) }
        for piece in pieces {
            output.append(ModelToken(id: piece.id, range: sourceByte[piece.range.lowerBound]..<sourceByte[piece.range.upperBound]))
        }
    }

    // MARK: - TokenizationModel

    public var vocabularySize: Int { vocabulary.count }

    public func id(forToken token: String) -> Int? { vocabulary[token] }

    public func token(forID id: Int) -> String? {
        guard id >= 0, id < tokensByID.count else { return nil }
        return tokensByID[id]
    }

    /// WordPiece keeps no per-thread state: the trie is read-only.
    public func makeWorkspace() -> AnyObject { self }

    public var json: JSONValue {
        var vocabularyPairs: [(key: String, value: JSONValue)] = []
        vocabularyPairs.reserveCapacity(vocabulary.count)
        for (id, token) in tokensByID.enumerated() {
            if let token { vocabularyPairs.append((token, .integer(id))) }
        }
        return .object([
            ("type", .string("WordPiece")),
            ("unk_token", .string(unknownToken)),
            ("continuing_subword_prefix", .string(continuingSubwordPrefix)),
            ("max_input_chars_per_word", .integer(maxInputCharactersPerWord)),
            ("vocab", .object(vocabularyPairs)),
        ])
    }
}
