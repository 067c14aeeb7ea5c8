// BPE: the byte-pair-encoding model: a vocabulary and an ordered list of merges. A word starts as
// one symbol per character (per byte, for byte-level words) and the merge with the lowest rank
// among adjacent pairs is applied until none applies. This file holds the model's data and
// construction; the encoder is in BPE+Encode.swift and the naive reference in BPEReference.swift.
// Reference: Sennrich et al. 2016, "Neural Machine Translation of Rare Words with Subword Units";
// HF tokenizers models/bpe/model.rs (field names and options follow it).
// Not handled: BPE-dropout (a file with `dropout` above 0 is refused by the loader).

/// A byte-pair-encoding model.
///
/// ```swift
/// let bpe = try BPE(vocabulary: ["a": 0, "b": 1, "ab": 2], merges: [("a", "b")])
/// bpe.tokenize("abab").map(\.id)   // [2, 2]
/// ```
public final class BPE: TokenizationModel, Sendable {
    // MARK: - Configuration (HF field names in comments)

    /// Token → id (`vocab`).
    public let vocabulary: [String: Int]
    /// The merges in rank order (`merges`); rank = position. Duplicates are kept as given.
    public let merges: [(String, String)]
    /// Token for characters missing from the vocabulary (`unk_token`); nil drops them, as HF does.
    public let unknownToken: String?
    /// Prefix of tokens that continue a word (`continuing_subword_prefix`, e.g. "##").
    public let continuingSubwordPrefix: String?
    /// Suffix of tokens that end a word (`end_of_word_suffix`, e.g. "</w>").
    public let endOfWordSuffix: String?
    /// Fuse consecutive unknown characters into one unknown token (`fuse_unk`).
    public let fuseUnknown: Bool
    /// Spell unknown characters as `<0xXX>` byte tokens when the vocabulary has them (`byte_fallback`).
    public let byteFallback: Bool
    /// Return a word whole when it is in the vocabulary, before any merge (`ignore_merges`).
    public let ignoreMerges: Bool

    // MARK: - Lookup tables

    /// id → token (nil where the id is unused).
    let tokensByID: [String?]
    /// (left id, right id) → rank << 32 | merged id; when a pair repeats, the last rank wins (as HF).
    let mergeTable: PairTable
    /// Merged id of each rank.
    let mergedIDs: [Int32]
    /// Id of each byte's byte-level character, or -1.
    let byteLevelIDs: [Int32]
    /// Id of single-scalar tokens, for words that are not byte-level.
    let scalarIDs: [UInt32: Int32]
    let unknownID: Int32?

    /// Builds the model and checks that every merge names tokens of the vocabulary.
    /// - Parameter source: names the input in error messages (a file path, usually).
    /// - Throws: `TokenizationError.mergeTokenMissing` for a merge whose parts or result are not
    ///   in the vocabulary; `.invalidField` for negative or huge ids or an unknown `unk_token`.
    public init(vocabulary: [String: Int], merges: [(String, String)], unknownToken: String? = nil,
                continuingSubwordPrefix: String? = nil, endOfWordSuffix: String? = nil,
                fuseUnknown: Bool = false, byteFallback: Bool = false, ignoreMerges: Bool = false,
                source: String = "BPE model") throws {
        self.vocabulary = vocabulary
        self.merges = merges
        self.unknownToken = unknownToken
        self.continuingSubwordPrefix = continuingSubwordPrefix
        self.endOfWordSuffix = endOfWordSuffix
        self.fuseUnknown = fuseUnknown
        self.byteFallback = byteFallback
        self.ignoreMerges = ignoreMerges

        let maximumID = vocabulary.values.max() ?? -1
        guard maximumID < BPE.idLimit, vocabulary.values.allSatisfy({ $0 >= 0 }) else {
            throw TokenizationError.invalidField(source: source, path: "model.vocab",
                                                 reason: "has an id outside 0..<\(BPE.idLimit); ids must be small non-negative integers")
        }
        var reverse = [String?](repeating: nil, count: maximumID + 1)
        for (token, id) in vocabulary { reverse[id] = token }
        tokensByID = reverse

        if let unknownToken {
            guard let id = vocabulary[unknownToken] else {
                throw TokenizationError.invalidField(source: source, path: "model.unk_token",
                                                     reason: "names \"\(unknownToken)\", which is not in the vocabulary; add it or set unk_token to null")
            }
            unknownID = Int32(id)
        } else {
            unknownID = nil
        }

        var table = PairTable(expected: merges.count)
        var merged: [Int32] = []
        merged.reserveCapacity(merges.count)
        for (rank, merge) in merges.enumerated() {
            guard let left = vocabulary[merge.0] else {
                throw TokenizationError.mergeTokenMissing(source: source, mergeIndex: rank, token: merge.0)
            }
            guard let right = vocabulary[merge.1] else {
                throw TokenizationError.mergeTokenMissing(source: source, mergeIndex: rank, token: merge.1)
            }
            var rightPart = merge.1
            if let prefix = continuingSubwordPrefix, rightPart.hasPrefix(prefix) { rightPart.removeFirst(prefix.count) }
            let result = merge.0 + rightPart
            guard let resultID = vocabulary[result] else {
                throw TokenizationError.mergeTokenMissing(source: source, mergeIndex: rank, token: result)
            }
            table.set(UInt64(rank) << 32 | UInt64(resultID), for: PairTable.key(Int32(left), Int32(right)))
            merged.append(Int32(resultID))
        }
        mergeTable = table
        mergedIDs = merged

        byteLevelIDs = ByteLevelAlphabet.strings.map { vocabulary[$0].map(Int32.init) ?? -1 }
        var scalars: [UInt32: Int32] = [:]
        for (token, id) in vocabulary {
            let units = token.unicodeScalars
            if units.count == 1, let scalar = units.first { scalars[scalar.value] = Int32(id) }
        }
        scalarIDs = scalars
    }

    /// Ids must be below this (16.7 million; the largest public vocabularies hold about 260 thousand).
    public static let idLimit = 1 << 24

    // MARK: - TokenizationModel

    public var vocabularySize: Int { vocabulary.count }

    public func id(forToken token: String) -> Int? { vocabulary[token] }

    public func token(forID id: Int) -> String? {
        guard id >= 0, id < tokensByID.count else { return nil }
        return tokensByID[id]
    }

    public func makeWorkspace() -> AnyObject { BPEWorkspace() }

    public var json: JSONValue {
        var vocabularyPairs: [(key: String, value: JSONValue)] = []
        vocabularyPairs.reserveCapacity(vocabulary.count)
        for (id, token) in tokensByID.enumerated() {
            if let token { vocabularyPairs.append((token, .integer(id))) }
        }
        return .object([
            ("type", .string("BPE")),
            ("dropout", .null),
            ("unk_token", unknownToken.map(JSONValue.string) ?? .null),
            ("continuing_subword_prefix", continuingSubwordPrefix.map(JSONValue.string) ?? .null),
            ("end_of_word_suffix", endOfWordSuffix.map(JSONValue.string) ?? .null),
            ("fuse_unk", .bool(fuseUnknown)),
            ("byte_fallback", .bool(byteFallback)),
            ("ignore_merges", .bool(ignoreMerges)),
            ("vocab", .object(vocabularyPairs)),
            ("merges", .array(savedMerges.map { .array([.string($0.0), .string($0.1)]) })),
        ])
    }

    /// The merges as HF writes them: one per distinct pair, in the order of the rank that is used
    /// (a repeated pair keeps only its last rank, exactly as HF's loader and writer do).
    var savedMerges: [(String, String)] {
        var ranks: [Int] = []
        mergeTable.forEach { _, value in ranks.append(Int(value >> 32)) }
        ranks.sort()
        return ranks.map { merges[$0] }
    }
}

/// Per-thread state of the BPE encoder: the word cache and the scratch arrays of one word.
final class BPEWorkspace {
    /// Taken out while words are encoded and put back after; nil only in between.
    var state: BPEState? = BPEState()

    /// The state, uniquely owned by the caller until it is put back (no copy-on-write).
    func takeState() -> BPEState? {
        let taken = state
        state = nil
        return taken
    }
}

/// The word cache and the scratch of one thread.
struct BPEState {
    var cache = WordCache()
    var scratch = BPEScratch()
}

/// The symbol list of one word (a doubly linked list in arrays) and the merge heap.
struct BPEScratch {
    var symbolIDs: [Int32] = []
    var symbolStarts: [Int32] = []
    var symbolLengths: [Int32] = []
    var previous: [Int32] = []
    var next: [Int32] = []
    var heap = MinHeap(storage: [])
    /// (id, length) pairs of the word, interleaved (what the cache stores).
    var pairs: [Int32] = []
}
