// The static-vector bridge: hand-derived rows on a tiny byte-level tokenizer and corpus (whole
// words, the frequency-weighted mean, centring, padding, scaling, PCA), corpus counts, fastText
// compositions against Facebook fastText's own n-gram rows (golden.json, made by
// Scripts/static-init/make_fixtures.py), and the coverage report's numbers.
import Encoder
import Foundation
import StaticVectorInitialization
import TensorCore
import TestSupport
import Testing
import Tokenization
import WordVectors

// MARK: - The tiny tokenizer and corpus

/// Byte-level BPE with the words the, cat, sat, ran, dog and their Ġ forms; "The" from T+h+e.
/// V = 5 special + 13 characters + 17 merges = 35.
func tinyTokenizer() throws -> Tokenizer {
    let specials = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
    let characters = ["T", "h", "e", "t", "c", "a", "s", "r", "n", "d", "o", "g", "\u{0120}"]
    let merges: [(String, String)] = [
        ("t", "h"), ("T", "h"), ("th", "e"), ("Th", "e"), ("\u{0120}", "the"), ("c", "a"), ("ca", "t"), ("\u{0120}", "cat"),
        ("r", "a"), ("ra", "n"), ("\u{0120}", "ran"), ("s", "a"), ("sa", "t"), ("\u{0120}", "sat"), ("d", "o"), ("do", "g"),
        ("\u{0120}", "dog"),
    ]
    var vocabulary: [String: Int] = [:]
    for token in specials + characters + merges.map({ $0.0 + $0.1 }) where vocabulary[token] == nil { vocabulary[token] = vocabulary.count }
    let model = try BPE(vocabulary: vocabulary, merges: merges)
    return Tokenizer(model: model, preTokenizer: ByteLevelPreTokenizer(),
                     addedTokens: specials.enumerated().map { AddedToken(content: $1, id: $0, special: true) })
}

/// Tokens: [The][Ġcat][Ġsat] · [the][Ġcat][s][Ġran] · [cat][s][Ġsat] · [the][Ġdog][s][Ġran] (14).
let tinyCorpus = ["The cat sat", "the cats ran", "cats sat", "the dogs ran"]

/// the, cat, sat, cats, dogs, dog (no "ran": Ġran stays random).
func tinyVectors() -> StaticVectors {
    let words = ["the", "cat", "sat", "cats", "dogs", "dog"]
    let rows: [[Float]] = [[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 2], [0, 1, 1, 0], [0, 0, 1, 1], [0, 0, 5, 0]]
    return StaticVectors(KeyedVectors(words: words, vectors: Tensor(shape: [6, 4], scalars: rows.flatMap { $0 })), source: "tiny-vectors")
}

func row(_ table: Tensor, _ id: Int) -> [Float] {
    let C = table.shape[1]
    return Array(table.scalars[(id * C)..<((id + 1) * C)])
}

func id(_ tokenizer: Tokenizer, _ token: String) throws -> Int {
    try #require(tokenizer.id(forToken: token), "no token \(token)")
}

@Suite struct StaticInitializationTests {
    // MARK: - Corpus counts

    @Test func corpusCountsPerToken() throws {
        let tokenizer = try tinyTokenizer()
        #expect(tokenizer.vocabularySize == 35)
        let statistics = try TokenCorpusStatistics.count(texts: tinyCorpus, tokenizer: tokenizer)
        func counts(_ token: String) throws -> [Int] {
            let i = try id(tokenizer, token)
            return [statistics.tokenCounts[i], statistics.wholeWordCounts[i], statistics.wordStartCounts[i], statistics.wordEndCounts[i]]
        }
        // [occurrences, whole pre-token, first of a word, last of a word], read off the token lists above.
        #expect(try counts("The") == [1, 1, 1, 1])
        #expect(try counts("the") == [2, 2, 2, 2])
        #expect(try counts("\u{0120}cat") == [2, 1, 2, 1])   // " cat" whole; " cats" = Ġcat + s
        #expect(try counts("cat") == [1, 0, 1, 0])           // "cats" at a line start
        #expect(try counts("s") == [3, 0, 0, 3])
        #expect(try counts("\u{0120}dog") == [1, 0, 1, 0])
        #expect(try counts("\u{0120}sat") == [2, 2, 2, 2])
        #expect(statistics.totalTokens == 14 && statistics.lineCount == 4)
        let sWords = Dictionary(uniqueKeysWithValues: statistics.words(containing: try id(tokenizer, "s")).map { ($0.word, $0.count) })
        #expect(sWords == ["cats": 2, "dogs": 1])
    }

    // MARK: - Rows, hand-derived

    /// No centring, no scaling, D = C: every covered row is the static row itself.
    @Test func rowsFollowTheTokenRules() throws {
        let tokenizer = try tinyTokenizer()
        let statistics = try TokenCorpusStatistics.count(texts: tinyCorpus, tokenizer: tokenizer)
        var options = StaticInitializationOptions(mapping: .none)
        options.center = false
        options.rescale = false
        let random = Tensor(shape: [35, 4], repeating: 0.5)
        let bridge = try StaticInitialization(tokenizer: tokenizer, vectors: tinyVectors(), statistics: statistics, random: random, options: options)
        let table = bridge.table
        // Whole words (whole pre-token in ≥ half of their occurrences), case folded: The, the → "the".
        #expect(row(table, try id(tokenizer, "The")) == [1, 0, 0, 0])
        #expect(row(table, try id(tokenizer, "the")) == [1, 0, 0, 0])
        #expect(row(table, try id(tokenizer, "\u{0120}the")) == [1, 0, 0, 0])   // unseen: its Ġ mark decides
        #expect(row(table, try id(tokenizer, "\u{0120}cat")) == [0, 1, 0, 0])   // whole in 1 of 2 = ½ ≥ ½
        #expect(row(table, try id(tokenizer, "\u{0120}sat")) == [0, 0, 0, 2])
        // Sub-words: the frequency-weighted mean of the words they occur in.
        // s: cats ×2, dogs ×1 → (2·(0,1,1,0) + (0,0,1,1)) / 3 = (0, 2/3, 1, 1/3).
        let s = row(table, try id(tokenizer, "s"))
        #expect(maxRelativeError(s, [0, 2.0 / 3, 1, 1.0 / 3]).error < 1e-6)
        #expect(row(table, try id(tokenizer, "cat")) == [0, 1, 1, 0])            // only in "cats"
        #expect(row(table, try id(tokenizer, "\u{0120}dog")) == [0, 0, 1, 1])    // "dog" has a vector, but Ġdog is only ever part of "dogs"
        // No vector for "ran"; special tokens; unseen pieces: random rows.
        for token in ["\u{0120}ran", "[CLS]", "[PAD]", "sat", "T", "\u{0120}"] {
            #expect(row(table, try id(tokenizer, token)) == [0.5, 0.5, 0.5, 0.5], "\(token)")
        }
        let report = bridge.report
        #expect(report.exact.tokens == 5 && report.composed.tokens == 3 && report.random.tokens == 27)
        #expect(report.meanComposed == 3 && report.specialTokens == 5)
        // Corpus shares: exact The 1 + the 2 + Ġcat 2 + Ġsat 2 = 7 of 14; composed cat 1 + s 3 + Ġdog 1 = 5; random Ġran 2.
        #expect(report.exact.corpusShare == 0.5 && report.composed.corpusShare == 5.0 / 14 && report.random.corpusShare == 2.0 / 14)
        #expect(abs(report.exact.vocabularyShare - 5.0 / 35) < 1e-12)
    }

    @Test func withoutACorpusTheMarkDecidesAndSubwordsStayRandom() throws {
        let tokenizer = try tinyTokenizer()
        var options = StaticInitializationOptions(mapping: .none)
        options.center = false
        options.rescale = false
        let bridge = try StaticInitialization(tokenizer: tokenizer, vectors: tinyVectors(), statistics: nil,
                                              random: Tensor(shape: [35, 4], repeating: 0.5), options: options)
        #expect(row(bridge.table, try id(tokenizer, "\u{0120}dog")) == [0, 0, 5, 0])   // marked: a whole word
        #expect(row(bridge.table, try id(tokenizer, "The")) == [0.5, 0.5, 0.5, 0.5])   // unmarked: not a word on its own
        #expect(row(bridge.table, try id(tokenizer, "s")) == [0.5, 0.5, 0.5, 0.5])
        #expect(bridge.report.exact.corpusShare == nil)
        #expect(bridge.report.warnings.contains { $0.hasPrefix("no corpus") })
    }

    /// Centred, zero-padded from 4 to 6, scaled to the random rows' RMS norm (1 here):
    /// the whole-word row of Ġcat is scale·(v_cat − μ) followed by two zeros.
    @Test func wholeWordRowAfterCentringPaddingAndScaling() throws {
        let tokenizer = try tinyTokenizer()
        let statistics = try TokenCorpusStatistics.count(texts: tinyCorpus, tokenizer: tokenizer)
        let random = Tensor(shape: [35, 6], repeating: 1 / Float(6).squareRoot())   // every row has norm 1
        let bridge = try StaticInitialization(tokenizer: tokenizer, vectors: tinyVectors(), statistics: statistics, random: random)
        // The 8 covered rows: the ×3 (The, the, Ġthe), cat, sat, cats (token "cat"), s, dogs (Ġdog).
        let covered: [[Double]] = [[1, 0, 0, 0], [1, 0, 0, 0], [1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 2], [0, 1, 1, 0],
                                   [0, 2.0 / 3, 1, 1.0 / 3], [0, 0, 1, 1]]
        let mean = [3.0 / 8, 1.0 / 3, 3.0 / 8, 5.0 / 12]                          // column sums 3, 8/3, 3, 10/3 over 8
        var meanSquaredNorm = 0.0
        for r in covered { for c in 0..<4 { meanSquaredNorm += (r[c] - mean[c]) * (r[c] - mean[c]) / 8 } }
        let scale = 1 / meanSquaredNorm.squareRoot()
        let expected = zip([0, 1, 0, 0], mean).map { Float(scale * ($0 - $1)) } + [0, 0]
        #expect(bridge.map.mapping == .zeroPad)
        #expect(maxScaledError(row(bridge.table, try id(tokenizer, "\u{0120}cat")), expected) < 1e-6)
        #expect(abs(Double(bridge.scale) - scale) < 1e-5 * scale)
        // Random rows are untouched.
        #expect(row(bridge.table, try id(tokenizer, "[CLS]")) == row(random, 2))
        // staticRows · projection gives the covered rows back (what the static layer starts from).
        let rebuilt = matmul(bridge.staticRows, bridge.projection)
        #expect(maxScaledError(row(rebuilt, try id(tokenizer, "s")), row(bridge.table, try id(tokenizer, "s"))) < 1e-6)
    }

    /// PCA from 4 to 2: M's columns are unit eigenvectors of the covariance of the centred rows,
    /// and the whole-word row is scale·(v − μ)·M.
    @Test func wholeWordRowAfterPCA() throws {
        let tokenizer = try tinyTokenizer()
        let statistics = try TokenCorpusStatistics.count(texts: tinyCorpus, tokenizer: tokenizer)
        var generator = SeededGenerator(seed: 1)
        let random = generator.truncatedNormal(shape: [35, 2], standardDeviation: 0.02)
        let bridge = try StaticInitialization(tokenizer: tokenizer, vectors: tinyVectors(), statistics: statistics, random: random)
        #expect(bridge.map.mapping == .pca)
        let M = bridge.map.matrix.scalars.map { Double($0) }                       // [4, 2]
        let mean = [3.0 / 8, 1.0 / 3, 3.0 / 8, 5.0 / 12]
        #expect(maxRelativeError(bridge.map.mean, mean.map { Float($0) }).error < 1e-6)
        let raw: [[Double]] = [[1, 0, 0, 0], [1, 0, 0, 0], [1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 0, 2], [0, 1, 1, 0],
                               [0, 2.0 / 3, 1, 1.0 / 3], [0, 0, 1, 1]]
        let covered: [[Double]] = raw.map { r in (0..<4).map { r[$0] - mean[$0] } }
        var sigma = [Double](repeating: 0, count: 16)                              // Σ = XᵀX / 8
        for r in covered { for i in 0..<4 { for j in 0..<4 { sigma[i * 4 + j] += r[i] * r[j] / 8 } } }
        for column in 0..<2 {
            let m = (0..<4).map { M[$0 * 2 + column] }
            let sm = (0..<4).map { i in (0..<4).reduce(0.0) { $0 + sigma[i * 4 + $1] * m[$1] } }
            let lambda = zip(m, sm).map { $0 * $1 }.reduce(0, +)                  // Rayleigh quotient
            #expect(abs(m.map { $0 * $0 }.reduce(0, +) - 1) < 1e-5)
            #expect(zip(sm, m).map { abs($0 - lambda * $1) }.max()! < 1e-5, "column \(column) is not an eigenvector")
        }
        let v = zip([0.0, 1, 0, 0], mean).map { $0 - $1 }
        let expected = (0..<2).map { c in Float(Double(bridge.scale) * (0..<4).reduce(0.0) { $0 + v[$1] * M[$1 * 2 + c] }) }
        #expect(maxScaledError(row(bridge.table, try id(tokenizer, "\u{0120}cat")), expected) < 1e-5)
    }

    /// A fixed random projection widening 4 → 6 (no centring, no scaling): M [4, 6] has orthonormal
    /// rows, M·Mᵀ = I, so a whole-word row r = v·M gives v back as r·Mᵀ, and dot products survive:
    /// ⟨r_Ġcat, r_s⟩ = ⟨v_cat, v_s⟩ = (0,1,0,0)·(0, 2/3, 1, 1/3) = 2/3, ‖r_s‖² = 4/9 + 1 + 1/9 = 14/9.
    @Test func wholeWordRowAfterARandomProjection() throws {
        let tokenizer = try tinyTokenizer()
        let statistics = try TokenCorpusStatistics.count(texts: tinyCorpus, tokenizer: tokenizer)
        var options = StaticInitializationOptions(mapping: .randomProjection)
        options.center = false
        options.rescale = false
        options.projectionSeed = 7
        let bridge = try StaticInitialization(tokenizer: tokenizer, vectors: tinyVectors(), statistics: statistics,
                                              random: Tensor(shape: [35, 6], repeating: 0.5), options: options)
        #expect(bridge.map.mapping == .randomProjection && bridge.scale == 1)
        let M: [Double] = bridge.map.matrix.scalars.map { Double($0) }                // [4, 6]
        func back(_ r: [Float]) -> [Double] {                                          // r·Mᵀ, [4]
            var result = [Double](repeating: 0, count: 4)
            for i in 0..<4 { for c in 0..<6 { result[i] += Double(r[c]) * M[i * 6 + c] } }
            return result
        }
        func dot(_ a: [Float], _ b: [Float]) -> Double {
            var sum = 0.0
            for c in a.indices { sum += Double(a[c]) * Double(b[c]) }
            return sum
        }
        func distance(_ a: [Double], _ b: [Double]) -> Double {
            var largest = 0.0
            for i in a.indices { largest = max(largest, abs(a[i] - b[i])) }
            return largest
        }
        let cat: [Float] = row(bridge.table, try id(tokenizer, "\u{0120}cat"))
        let s: [Float] = row(bridge.table, try id(tokenizer, "s"))
        let expectedS: [Double] = [0, 2.0 / 3, 1, 1.0 / 3]
        #expect(distance(back(cat), [0, 1, 0, 0]) < 1e-5)
        #expect(distance(back(s), expectedS) < 1e-5)
        let catDotS: Double = dot(cat, s), sNormSquared: Double = dot(s, s)
        #expect(abs(catDotS - 2.0 / 3) < 1e-5)
        #expect(abs(sNormSquared - 14.0 / 9) < 1e-5)
        #expect(cat.filter { $0 != 0 }.count > 1)                                      // spread over the width, not padded
    }

    // MARK: - Scaling to the random rows

    @Test func scaledRowsMatchTheRandomRowsRMSNorm() throws {
        let tokenizer = try tinyTokenizer()
        let statistics = try TokenCorpusStatistics.count(texts: tinyCorpus, tokenizer: tokenizer)
        var generator = SeededGenerator(seed: 5)
        var random = generator.truncatedNormal(shape: [35, 16], standardDeviation: 0.02)
        random.withUnsafeMutableBufferPointer { values in for c in 0..<16 { values[c] = 0 } }   // a zero [PAD] row is ignored
        let bridge = try StaticInitialization(tokenizer: tokenizer, vectors: tinyVectors(), statistics: statistics, random: random)
        func rms(_ ids: [Int]) -> Double {
            (ids.map { i in row(bridge.table, i).reduce(0.0) { $0 + Double($1) * Double($1) } }.reduce(0, +) / Double(ids.count)).squareRoot()
        }
        let covered = (0..<35).filter { bridge.sources[$0].category != .random }
        let randomRows = (1..<35).filter { bridge.sources[$0].category == .random }
        #expect(covered.count == 8)
        #expect(abs(rms(covered) - rms(randomRows)) < 1e-5 * rms(randomRows))
    }
}
