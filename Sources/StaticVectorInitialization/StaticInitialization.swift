// StaticInitialization: static word vectors (word2vec, GloVe, fastText) → the [V, C] token-embedding
// table of an encoder, with a coverage report. Token by token:
//   1. special tokens keep the model's random row;
//   2. a whole-word token takes its word's vector: its text without the boundary mark (Ġ, ▁) is
//      one word by the shared word rule, looked up as written, then lowercased (our vectors are
//      lowercase, the tokenizer is cased: "ĠThe" and "Ġthe" both get "the"). A token "stands for a
//      whole word" when, in the corpus, it is a whole pre-token in at least half of its
//      occurrences ("The" at a line start yes, "Ġinter" no); without a corpus, when it has the mark;
//   3. a sub-word token takes fastText's n-gram composition when the vectors are a fastText model
//      (marks "<" / ">" where the corpus says it mostly begins / ends words), else the frequency-
//      weighted mean of the vectors of the corpus words it occurs in, Σ c(w)·v(w) / Σ c(w);
//   4. anything else keeps its random row.
// The static rows are centred, mapped from D to C (StaticProjection), and scaled by one factor so
// that their RMS row norm equals that of the model's random rows (BERT: σ = 0.02 → ≈ 0.02·√(0.77·C)).
// Reference: Kocmi & Bojar 2017 ("An exploration of word embedding initialization"); Bojanowski et al. 2017.
// Not handled: vectors for special tokens; aligning two vocabularies by translation.

import Encoder
import Foundation
import TensorCore
import TextInput
import Tokenization
import WordVectors

// V vocabulary, C model width, D static dimension, n covered rows.

/// The choices of a static initialisation.
public struct StaticInitializationOptions: Sendable {
    /// How D becomes C (see `StaticProjection`).
    public var mapping: DimensionMapping = .automatic
    /// Subtract the static rows' mean before mapping (word2vec and GloVe rows share a large common direction).
    public var center = true
    /// Scale the rows to the random rows' RMS norm; false keeps the vectors' own scale (after mapping).
    public var rescale = true
    /// The random projection's seed.
    public var projectionSeed: UInt64 = 0
    /// With a corpus: the share of a token's occurrences in which it must be a whole word (or begin
    /// or end one) to count as such.
    public var wordShare = 0.5

    public init(mapping: DimensionMapping = .automatic) {
        self.mapping = mapping
    }
}

/// A token-embedding table built from static vectors.
///
/// ```swift
/// let vectors = try StaticVectors.read(URL(fileURLWithPath: "vectors.bin"))
/// let statistics = try TokenCorpusStatistics.count(files: [corpusURL], tokenizer: tokenizer)
/// let model = MaskedLanguageModel(config: .tiny(vocabularySize: tokenizer.vocabularySize), seed: 0)
/// let bridge = try StaticInitialization(tokenizer: tokenizer, vectors: vectors, statistics: statistics,
///                                       random: model.encoder.embeddings.token.weight.value)
/// model.encoder.embeddings.token.weight.value = bridge.table
/// print(bridge.report.text)
/// ```
public struct StaticInitialization: Sendable {
    /// [V, C]: the rows to install.
    public let table: Tensor
    /// [V, D]: each covered token's static row minus μ (zeros for random rows): S of the static layer.
    public let staticRows: Tensor
    /// [D, C]: scale · M, so that a covered row of `table` is staticRows[i] · projection.
    public let projection: Tensor
    /// The fitted map and the scale that make `projection`.
    public let map: StaticProjection
    public let scale: Float
    /// Per id, where its row came from.
    public let sources: [TokenRowSource]
    public let report: CoverageReport

    /// Builds the table for `tokenizer`'s vocabulary (its special added tokens stay random).
    public init(tokenizer: Tokenizer, vectors: StaticVectors, statistics: TokenCorpusStatistics?, random: Tensor,
                options: StaticInitializationOptions = StaticInitializationOptions()) throws {
        let vocabulary = (0..<tokenizer.vocabularySize).map { tokenizer.token(forID: $0) ?? "" }
        let special = Set(tokenizer.addedVocabulary.tokens.filter(\.special).map(\.id))
        try self.init(vocabulary: vocabulary, special: special, vectors: vectors, statistics: statistics, random: random, options: options)
    }

    /// Builds the table for a vocabulary given as token text by id.
    ///
    /// - Parameters:
    ///   - vocabulary: V token strings ("" for unused ids).
    ///   - special: ids that keep their random rows.
    ///   - statistics: corpus counts of the same tokenizer, or nil (then sub-words are composed
    ///     only by fastText, and whole words are recognised by their mark alone).
    ///   - random: the model's freshly initialised table [V, C]; its rows fill what is not covered.
    /// - Throws: `StaticInitializationError` (empty overlap, dimensions, non-finite values, shapes).
    /// - Complexity: O(V·D + Σ token–word pairs · D) for the rows, O(n·D·C) for the map (+ O(D³) for PCA).
    public init(vocabulary: [String], special: Set<Int>, vectors: StaticVectors, statistics: TokenCorpusStatistics?,
                random: Tensor, options: StaticInitializationOptions = StaticInitializationOptions()) throws {
        let V = vocabulary.count, D = vectors.dimension
        guard random.rank == 2, random.shape[0] == V, random.shape[1] > 0 else {
            throw StaticInitializationError.invalidArgument(field: "random table", problem: "has shape \(random.shape) for a vocabulary of \(V) ids",
                                                            fix: "Pass the model's token-embedding weight [vocab_size, hidden_size] with vocab_size = the tokenizer's size")
        }
        if let statistics, statistics.tokenCounts.count != V {
            throw StaticInitializationError.invalidArgument(field: "corpus statistics", problem: "count \(statistics.tokenCounts.count) ids but the vocabulary has \(V)",
                                                            fix: "Count the corpus with the same tokenizer")
        }
        guard options.wordShare > 0 && options.wordShare <= 1 else {
            throw StaticInitializationError.invalidArgument(field: "wordShare", problem: "is \(options.wordShare)", fix: "Use a share in (0, 1], e.g. 0.5")
        }
        let C = random.shape[1]
        let spelling = TokenSpelling.detect(vocabulary: vocabulary, special: special)

        // MARK: 1–4, the static row of each token
        var sources = [TokenRowSource](repeating: .random, count: V)
        var rows = [Float](repeating: 0, count: V * D)                   // [V, D], raw
        var covered: [Int] = []
        for id in 0..<V {
            if special.contains(id) { sources[id] = .special; continue }
            guard !vocabulary[id].isEmpty, let (text, marked) = spelling.text(of: vocabulary[id]) else { continue }
            let (source, vector) = StaticInitialization.row(id: id, text: text, marked: marked, vectors: vectors,
                                                            statistics: statistics, wordShare: options.wordShare)
            guard let vector else { continue }
            guard vector.allSatisfy(\.isFinite) else {
                throw StaticInitializationError.nonFiniteVector(vectors: vectors.source, word: vocabulary[id])
            }
            sources[id] = source
            rows.replaceSubrange((id * D)..<((id + 1) * D), with: vector)
            covered.append(id)
        }
        guard !covered.isEmpty else {
            throw StaticInitializationError.emptyOverlap(
                vectors: vectors.source, vocabularySize: V, vectorCount: vectors.count,
                sampleTokens: Array(vocabulary.enumerated().filter { !special.contains($0.offset) && $0.element.count > 2 }.map(\.element).prefix(5)),
                sampleWords: Array(vectors.keyed.words.prefix(5)))
        }

        // MARK: Map D → C and scale
        var coveredRows = [Float](repeating: 0, count: covered.count * D)
        for (position, id) in covered.enumerated() {
            coveredRows.replaceSubrange((position * D)..<((position + 1) * D), with: rows[(id * D)..<((id + 1) * D)])
        }
        let coveredTensor = Tensor(shape: [covered.count, D], scalars: coveredRows)
        let map = try StaticProjection.fit(rows: coveredTensor, width: C, mapping: options.mapping, center: options.center,
                                           seed: options.projectionSeed, source: vectors.source)
        let mapped = map.apply(coveredTensor)                                  // [n, C]
        let targetNorm = StaticInitialization.rmsRowNorm(random, rows: (0..<V).filter { sources[$0].category == .random })
        let mappedNorm = StaticInitialization.rmsRowNorm(mapped, rows: Array(0..<covered.count))
        let scale: Float = options.rescale && mappedNorm > 0 && targetNorm > 0 ? targetNorm / mappedNorm : 1

        var table = random
        var centred = [Float](repeating: 0, count: V * D)
        mapped.withUnsafeBufferPointer { mappedValues in
            table.withUnsafeMutableBufferPointer { tableValues in
                for (position, id) in covered.enumerated() {
                    for column in 0..<C { tableValues[id * C + column] = scale * mappedValues[position * C + column] }
                    for column in 0..<D { centred[id * D + column] = rows[id * D + column] - map.mean[column] }
                }
            }
        }
        var projection = map.matrix
        projection.withUnsafeMutableBufferPointer { values in for index in values.indices { values[index] *= scale } }

        self.table = table
        self.staticRows = Tensor(shape: [V, D], scalars: centred)
        self.projection = projection
        self.map = map
        self.scale = scale
        self.sources = sources
        self.report = StaticInitialization.report(vocabulary: vocabulary, sources: sources, vectors: vectors, statistics: statistics,
                                                  spelling: spelling, width: C, map: map, scale: scale, targetNorm: targetNorm,
                                                  coveredCount: covered.count)
    }

    // MARK: - One token

    /// The static row of one (non-special) token and where it came from; nil vector = stays random.
    static func row(id: Int, text: String, marked: Bool, vectors: StaticVectors, statistics: TokenCorpusStatistics?,
                    wordShare: Double) -> (TokenRowSource, [Float]?) {
        let occurrences = statistics?.tokenCounts[id] ?? 0
        func mostly(_ counts: [Int]?) -> Bool? {
            guard let counts, occurrences > 0 else { return nil }
            return Double(counts[id]) >= wordShare * Double(occurrences)
        }
        let word = TokenSpelling.singleWord(text)
        let standsAlone = mostly(statistics?.wholeWordCounts) ?? marked
        if let word, standsAlone, let match = vectors.wordVector(text: text, word: word) {
            return (.exactWord(match.word), match.vector)
        }
        if let word, vectors.fastText != nil {
            let begins = mostly(statistics?.wordStartCounts) ?? marked
            let ends = mostly(statistics?.wordEndCounts) ?? false
            let rows = vectors.ngramRows(of: word, beginsWord: begins, endsWord: ends)
            if let vector = vectors.fastText?.meanOfRows(rows) { return (.fastTextNgrams(rows.count), vector) }
        }
        if let statistics {
            var sum = [Double](repeating: 0, count: vectors.dimension)
            var weight = 0, distinct = 0
            for (word, count) in statistics.words(containing: id) {
                guard let vector = vectors.wordVector(word) else { continue }
                for column in sum.indices { sum[column] += Double(count) * Double(vector[column]) }
                weight += count
                distinct += 1
            }
            if weight > 0 { return (.wordMean(distinct), sum.map { Float($0 / Double(weight)) }) }
        }
        return (.random, nil)
    }

    /// √(mean over `rows` of ‖row‖²), ignoring all-zero rows (BERT's zero [PAD] row).
    static func rmsRowNorm(_ matrix: Tensor, rows: [Int]) -> Float {
        let C = matrix.shape[1]
        var sum = 0.0, count = 0
        matrix.withUnsafeBufferPointer { values in
            for row in rows {
                var squares = 0.0
                for column in 0..<C { squares += Double(values[row * C + column]) * Double(values[row * C + column]) }
                if squares > 0 { sum += squares; count += 1 }
            }
        }
        return count > 0 ? Float((sum / Double(count)).squareRoot()) : 0
    }

    // MARK: - Report

    static func report(vocabulary: [String], sources: [TokenRowSource], vectors: StaticVectors, statistics: TokenCorpusStatistics?,
                       spelling: TokenSpelling, width: Int, map: StaticProjection, scale: Float, targetNorm: Float,
                       coveredCount: Int) -> CoverageReport {
        let V = vocabulary.count
        let totalTokens = statistics?.totalTokens ?? 0
        func figures(_ category: CoverageReport.Category) -> CoverageReport.Figures {
            let ids = (0..<V).filter { sources[$0].category == category }
            let corpusShare: Double? = statistics.map { statistics in
                totalTokens > 0 ? Double(ids.reduce(0) { $0 + statistics.tokenCounts[$1] }) / Double(totalTokens) : 0
            }
            return .init(tokens: ids.count, vocabularyShare: V > 0 ? Double(ids.count) / Double(V) : 0, corpusShare: corpusShare)
        }
        // Examples: the most frequent tokens of each category (by corpus count, else by id).
        var examples: [CoverageReport.Category: [String]] = [:]
        let order = (0..<V).sorted { (statistics?.tokenCounts[$0] ?? 0, -$0) > (statistics?.tokenCounts[$1] ?? 0, -$1) }
        for id in order where (examples[sources[id].category]?.count ?? 0) < 6 {
            let example: String
            switch sources[id] {
            case let .exactWord(word): example = "\(vocabulary[id]) → \(word)"
            case let .fastTextNgrams(count): example = "\(vocabulary[id]) (\(count) n-grams)"
            case let .wordMean(words): example = "\(vocabulary[id]) (mean of \(words) words)"
            case .special, .random: example = vocabulary[id]
            }
            examples[sources[id].category, default: []].append(example)
        }
        var report = CoverageReport(
            vectors: vectors.source, vectorCount: vectors.count, dimension: vectors.dimension, hasNgrams: vectors.fastText != nil,
            width: width, vocabularySize: V, spelling: spelling,
            exact: figures(.exact), composed: figures(.composed), random: figures(.random),
            fastTextComposed: sources.filter { if case .fastTextNgrams = $0 { return true } else { return false } }.count,
            meanComposed: sources.filter { if case .wordMean = $0 { return true } else { return false } }.count,
            specialTokens: sources.filter { $0 == .special }.count, corpus: statistics?.source, corpusTokens: totalTokens,
            mapping: map.mapping, explainedVariance: map.explainedVariance, scale: scale, targetNorm: targetNorm,
            examples: examples, warnings: [])
        if statistics == nil {
            report.warnings.append(vectors.fastText == nil
                ? "no corpus: sub-word tokens keep their random rows (give a corpus for the frequency-weighted word mean)"
                : "no corpus: whole words and word starts are read from the Ġ/▁ mark alone, and no piece gets the end mark \">\"")
        }
        let coveredShare = report.exact.vocabularyShare + report.composed.vocabularyShare
        if coveredShare < 0.2 {
            report.warnings.append(String(format: "only %.1f%% of the vocabulary got a static vector: check that the vectors and the tokenizer share a language and a casing", 100 * coveredShare))
        }
        if let exactShare = report.exact.corpusShare, let composedShare = report.composed.corpusShare, exactShare + composedShare < 0.5 {
            report.warnings.append(String(format: "only %.1f%% of the corpus tokens are covered", 100 * (exactShare + composedShare)))
        }
        if map.mapping == .pca && coveredCount <= width {
            report.warnings.append("PCA from \(coveredCount) covered rows to \(width) components: at most \(max(coveredCount - 1, 0)) carry variance, the rest are zero")
        }
        return report
    }
}
