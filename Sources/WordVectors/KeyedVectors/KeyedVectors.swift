// KeyedVectors: words with one vector each, the result of every trainer and of every file reader:
// lookup, cosine similarity and nearest neighbours through one GEMM against the unit-normalised
// matrix. Analogies, evaluation and sentence vectors are in the files beside this one.
// Reference: gensim.models.KeyedVectors (the API users know). Not handled: approximate
// nearest-neighbour indexes; adding words after construction.

import Foundation
import TensorCore
import TextInput

/// Words and their vectors, in a fixed order (for trained vectors: most frequent first).
///
/// Legend: V words, D dimension, Q queries.
///
/// ```swift
/// let vectors = try VectorFile.read(URL(fileURLWithPath: "vectors.bin"))
/// let similar = try vectors.mostSimilar(to: "paris", topN: 3)   // [(word, cosine)]
/// ```
///
/// Sendable: every property is a `let`, and the two lazily built matrices sit behind locks, so
/// one loaded instance can serve many threads or tasks at once.
public final class KeyedVectors: Sendable {
    /// The words, in row order.
    public let words: [String]
    /// One row per word, [V, D].
    public let vectors: Tensor
    /// Corpus counts when known (trainers set them; files do not carry them), for SIF weights.
    public let counts: [Int]?
    private let index: [String: Int]
    private let normalizedCache = Locked<Tensor?>(nil)  // built on first use
    private let transposedCache = Locked<Tensor?>(nil)
    /// For subword models (fastText): builds a vector for a word that has no row.
    public let outOfVocabularyVector: (@Sendable (String) -> [Float]?)?
    /// The fastText model these vectors come from (trained here or read from a .bin), with its
    /// n-gram rows: what `VectorFile.write(_:to:format: .fastTextBinary)` writes.
    public let fastTextModel: FastTextBinary?

    /// - Parameters:
    ///   - words: V words; when a word repeats, the first row wins (as in gensim).
    ///   - vectors: [V, D].
    ///   - counts: optional corpus counts, one per word.
    ///   - fastTextModel: the fastText model the vectors come from, if any.
    public init(words: [String], vectors: Tensor, counts: [Int]? = nil, fastTextModel: FastTextBinary? = nil,
                outOfVocabularyVector: (@Sendable (String) -> [Float]?)? = nil) {
        precondition(vectors.rank == 2 && vectors.shape[0] == words.count,
                     "KeyedVectors: \(words.count) words but vectors of shape \(vectors.shape)")
        precondition(counts == nil || counts!.count == words.count, "KeyedVectors: counts do not match words")
        self.words = words
        self.vectors = vectors
        self.counts = counts
        self.outOfVocabularyVector = outOfVocabularyVector
        self.fastTextModel = fastTextModel
        var map: [String: Int] = [:]
        map.reserveCapacity(words.count)
        for (position, word) in words.enumerated() where map[word] == nil { map[word] = position }
        index = map
    }

    /// The number of words, V.
    public var count: Int { words.count }
    /// The vector size, D.
    public var dimension: Int { vectors.shape[1] }

    /// The row of `word`, or nil.
    public func index(of word: String) -> Int? { index[word] }

    /// Whether `word` has a row.
    public func contains(_ word: String) -> Bool { index[word] != nil }

    /// The vector of `word`: its row, or for subword models a vector built from its n-grams.
    /// - Throws: `WordVectorsError.unknownWord` when neither exists.
    public func vector(for word: String) throws -> [Float] {
        if let position = index[word] { return row(position) }
        if let build = outOfVocabularyVector, let vector = build(word) { return vector }
        throw WordVectorsError.unknownWord(word)
    }

    /// Row `position` as an array.
    public func row(_ position: Int) -> [Float] {
        let D = dimension
        return vectors.withUnsafeBufferPointer { Array($0[(position * D)..<(position * D + D)]) }
    }

    // MARK: - Normalised rows

    /// Every row divided by its Euclidean norm (zero rows stay zero), [V, D]. Computed once.
    public var normalizedVectors: Tensor {
        normalizedCache.withLock { cache in
            if let cached = cache { return cached }
            let result = normalizedRows()
            cache = result
            return result
        }
    }

    private func normalizedRows() -> Tensor {
        var result = vectors
        let D = dimension
        result.withUnsafeMutableBufferPointer { values in
            let base = values.baseAddress!
            parallelFor(count, minimumChunk: 4096) { _, rows in
                for row in rows {
                    let pointer = base + row * D
                    let norm = dot(pointer, pointer, D).squareRoot()
                    if norm > 0 {
                        let scale = 1 / norm
                        for column in 0..<D { pointer[column] *= scale }
                    }
                }
            }
        }
        return result
    }

    /// `normalizedVectors` transposed, [D, V]: the right operand of the scoring GEMM (a
    /// non-transposed B is the faster case for the packed kernels).
    var normalizedTransposed: Tensor {
        let normalized = normalizedVectors
        return transposedCache.withLock { cache in
            if let cached = cache { return cached }
            let result = Self.transposed(normalized)
            cache = result
            return result
        }
    }

    private static func transposed(_ normalized: Tensor) -> Tensor {
        let V = normalized.shape[0], D = normalized.shape[1]
        var result = Tensor(zeros: [D, V])
        normalized.withUnsafeBufferPointer { source in
            result.withUnsafeMutableBufferPointer { target in
                for row in 0..<V { for column in 0..<D { target[column * V + row] = source[row * D + column] } }
            }
        }
        return result
    }

    /// cos(a, b) = a·b / (‖a‖‖b‖).
    public func similarity(_ first: String, _ second: String) throws -> Float {
        cosine(try vector(for: first), try vector(for: second))
    }

    // MARK: - Nearest neighbours

    /// The `topN` words whose vectors have the highest cosine with the mean of the unit vectors of
    /// `positive` minus those of `negative` (gensim's `most_similar`), excluding the query words.
    ///
    /// scores = normalizedVectors[0..<restrict] · q̂, one GEMM of [1, D] × [D, restrict].
    /// - Complexity: O(V·D).
    public func mostSimilar(
        positive: [String], negative: [String] = [], topN: Int = 10, restrictVocabulary: Int? = nil
    ) throws -> [(word: String, similarity: Float)] {
        var query = [Float](repeating: 0, count: dimension)
        var exclude: [Int] = []
        for (words, sign) in [(positive, Float(1)), (negative, Float(-1))] {
            for word in words {
                let vector = try vector(for: word)
                let norm = max(vector.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-12)
                for column in 0..<dimension { query[column] += sign * vector[column] / norm }
                if let row = index[word] { exclude.append(row) }
            }
        }
        return mostSimilar(toVector: query, topN: topN, excluding: exclude, restrictVocabulary: restrictVocabulary)
    }

    /// The `topN` nearest words to `word`.
    public func mostSimilar(to word: String, topN: Int = 10) throws -> [(word: String, similarity: Float)] {
        try mostSimilar(positive: [word], topN: topN)
    }

    /// The `topN` rows with the highest cosine to `vector`, skipping the rows in `excluding`.
    public func mostSimilar(
        toVector vector: [Float], topN: Int = 10, excluding: [Int] = [], restrictVocabulary: Int? = nil
    ) -> [(word: String, similarity: Float)] {
        precondition(vector.count == dimension, "mostSimilar: query has \(vector.count) values, vectors have \(dimension)")
        let norm = max(vector.reduce(0) { $0 + $1 * $1 }.squareRoot(), 1e-12)
        let unit = vector.map { $0 / norm }
        let limit = min(count, restrictVocabulary ?? count)
        let scores = scoreQueries(unit, queryCount: 1, limit: limit)
        return topIndices(scores, 0..<limit, count: topN, excluding: excluding).map { (words[$0], scores[$0]) }
    }

    /// Cosine scores of Q unit queries against the first `limit` rows: [Q, limit] = q · N[0..<limit]ᵀ,
    /// one GEMM with the transposed normalised matrix [D, V] (its first `limit` columns, ldb = V).
    func scoreQueries(_ queries: [Float], queryCount: Int, limit: Int) -> [Float] {
        let transposed = normalizedTransposed
        var scores = [Float](repeating: 0, count: queryCount * limit)
        guard limit > 0 else { return scores }
        transposed.withUnsafeBufferPointer { n in
            withPointers(reading: queries, writing: &scores) { read, s in
                // q · N[0..<limit]ᵀ: the first `limit` columns of Nᵀ [D, V]   [Q, D]·[D, limit] → [Q, limit]
                gemm(Rows(read[0], stride: dimension), times: Rows(n.baseAddress!, stride: count),
                     into: MutableRows(s, stride: limit), m: queryCount, n: limit, k: dimension)
            }
        }
        return scores
    }

    /// The indices of the `count` largest values of `scores[range]` not in `excluding`, best first
    /// (ties: lower index first).
    func topIndices(_ scores: [Float], _ range: Range<Int>, count: Int, excluding: [Int], offset: Int = 0) -> [Int] {
        var best: [(score: Float, index: Int)] = []
        best.reserveCapacity(count + 1)
        for position in range {
            let score = scores[offset + position]
            if best.count == count, let last = best.last, !(score > last.score) { continue }
            if excluding.contains(position) { continue }
            if best.count == count {
                guard let last = best.last, score > last.score else { continue }
                best.removeLast()
            }
            var insert = best.count
            while insert > 0 && best[insert - 1].score < score { insert -= 1 }
            best.insert((score, position), at: insert)
        }
        return best.map { $0.index }
    }
}
