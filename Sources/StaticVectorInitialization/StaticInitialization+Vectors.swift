// StaticVectors: the static vectors a token-embedding table is built from: any word-vector file
// (word2vec text or binary, GloVe text, fastText .vec) as KeyedVectors, or a fastText .bin model,
// which also holds the character n-gram rows. With those, any piece of a word gets fastText's
// composition: the mean of the rows of its n-grams, where the boundary marks "<" and ">" are
// added only on the sides where the piece touches a word boundary ("Ġinter" → "<inter", "ation" → "ation").
// Reference: Bojanowski et al. 2017; fastText src/dictionary.cc (computeSubwords), fasttext.cc (getWordVector).
// Not handled: quantised .ftz models; fastText's word n-grams (wordNgrams > 1 only matter for classification).

import Encoder
import Foundation
import TensorCore
import TextInput
import WordVectors

/// Static word vectors, with fastText's n-gram rows when read from a .bin model.
///
/// ```swift
/// let vectors = try StaticVectors.read(URL(fileURLWithPath: "vectors.bin"))   // fastText .bin or word2vec .bin
/// vectors.wordVector("house")                                    // [Float]? (D values)
/// vectors.ngramComposition(of: "inter", beginsWord: true, endsWord: false)  // fastText .bin only
/// ```
public final class StaticVectors {
    /// The path or name the vectors came from (used in messages).
    public let source: String
    /// One vector per word (for a fastText model: its dictionary words, as getWordVector gives them).
    public let keyed: KeyedVectors
    /// The fastText model, when the vectors came from a .bin model.
    public let fastText: FastTextBinary?

    public init(_ vectors: KeyedVectors, source: String) {
        self.keyed = vectors
        self.source = source
        self.fastText = nil
    }

    public init(fastText model: FastTextBinary, source: String) {
        self.keyed = model.keyedVectors
        self.source = source
        self.fastText = model
    }

    /// D, the vectors' dimension.
    public var dimension: Int { keyed.dimension }
    /// The number of words with a vector of their own.
    public var count: Int { keyed.count }

    /// Reads a vector file. Without `format`, its first bytes decide (`VectorFile.detectFormat`);
    /// a fastText .bin is read as a model, with its n-gram rows.
    ///
    /// - Throws: the reader's `WordVectorsError`; `StaticInitializationError.nonFiniteVector`.
    public static func read(_ url: URL, format: VectorFileFormat? = nil) throws -> StaticVectors {
        let vectors: StaticVectors
        if try (format ?? VectorFile.detectFormat(of: url)) == .fastTextBinary {
            vectors = StaticVectors(fastText: try FastTextBinary.read(url), source: url.path)
        } else {
            vectors = StaticVectors(try VectorFile.read(url, format: format), source: url.path)
        }
        try vectors.checkFinite()
        return vectors
    }

    /// Throws for the first word whose vector holds NaN or ±Inf.
    func checkFinite() throws {
        let D = dimension
        let bad: Int? = keyed.vectors.withUnsafeBufferPointer { values in
            for row in 0..<keyed.count {
                for column in 0..<D where !values[row * D + column].isFinite { return row }
            }
            return nil
        }
        if let bad { throw StaticInitializationError.nonFiniteVector(vectors: source, word: keyed.words[bad]) }
    }

    // MARK: - Look-ups

    /// The vector of the word `text` exactly as written, else of its lowercase form `word`
    /// (the shared word rule lowercases, so our files hold lowercase words).
    /// - Returns: the vector and the word that matched.
    public func wordVector(text: String, word: String) -> (word: String, vector: [Float])? {
        if let row = keyed.index(of: text) { return (text, keyed.row(row)) }
        if word != text, let row = keyed.index(of: word) { return (word, keyed.row(row)) }
        return nil
    }

    /// The vector of a word that has a row of its own (no n-gram guess for unknown words).
    public func wordVector(_ word: String) -> [Float]? {
        keyed.index(of: word).map { keyed.row($0) }
    }

    // MARK: - fastText composition

    /// The n-grams fastText forms for a piece of a word: "<" before it if it begins a word, ">"
    /// after it if it ends one, then every run of minn…maxn characters, except the marks alone.
    ///
    /// `ngrams(of: "inter", beginsWord: true, endsWord: false, minn: 3, maxn: 4)` →
    /// ["<in", "<int", "int", "inte", "nte", "nter", "ter"].
    public static func ngrams(of piece: String, beginsWord: Bool, endsWord: Bool, minn: Int, maxn: Int) -> [String] {
        let characters = (beginsWord ? ["<"] : []) + piece.unicodeScalars.map { String($0) } + (endsWord ? [">"] : [])
        guard minn >= 1, maxn >= minn else { return [] }
        var result: [String] = []
        for start in characters.indices {
            var ngram = ""
            for (length, end) in (start..<min(characters.count, start + maxn)).enumerated() {
                ngram += characters[end]
                let n = length + 1
                // fastText skips one-character n-grams that are a boundary mark.
                let isMark = n == 1 && ((beginsWord && start == 0) || (endsWord && end == characters.count - 1))
                if n >= minn && !isMark { result.append(ngram) }
            }
        }
        return result
    }

    /// The input-matrix rows of `piece`'s n-grams (fastText's hash, bucket and pruning rules).
    public func ngramRows(of piece: String, beginsWord: Bool, endsWord: Bool) -> [Int] {
        guard let model = fastText, model.bucket > 0, model.maxn > 0 else { return [] }
        if model.isPruned && model.prunedBuckets.isEmpty { return [] }
        var rows: [Int] = []
        for ngram in StaticVectors.ngrams(of: piece, beginsWord: beginsWord, endsWord: endsWord, minn: model.minn, maxn: model.maxn) {
            let bucketIndex = Int(CharacterNgrams.hash(ngram.utf8) % UInt32(truncatingIfNeeded: model.bucket))
            if model.isPruned {
                if let mapped = model.prunedBuckets[bucketIndex] { rows.append(model.words.count + mapped) }
            } else {
                rows.append(model.words.count + bucketIndex)
            }
        }
        return rows
    }

    /// fastText's vector of a piece of a word: (1/n) Σ over its n n-gram rows; nil without a
    /// fastText model or when the piece has no n-gram (shorter than minn).
    public func ngramComposition(of piece: String, beginsWord: Bool, endsWord: Bool) -> [Float]? {
        guard let model = fastText else { return nil }
        return model.meanOfRows(ngramRows(of: piece, beginsWord: beginsWord, endsWord: endsWord))
    }
}
