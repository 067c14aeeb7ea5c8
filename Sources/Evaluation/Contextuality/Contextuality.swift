// Contextuality: Ethayarajh's measures of how contextual a model's word vectors are, per layer,
// on a ContextualitySample. With f(s, i) the vector of word i of sentence s at one layer:
//   self-similarity of word w  = mean cos(f(sⱼ, iⱼ), f(sₖ, iₖ)) over pairs j ≠ k of its n contexts
//   intra-sentence similarity  = mean over words i of s of cos(f(s, i), s⃗), s⃗ = mean of s's vectors
//   anisotropy (the baseline)  = mean cos between two occurrences of different sentences
//   MEV of word w              = σ₁² / Σσᵢ² of its n×C context matrix (MaximumExplainableVariance)
// Self-similarity and MEV average over the words with ≥ K contexts (one occurrence per sentence:
// the first), intra-sentence similarity over sentences of ≥ 2 words; "adjusted" subtracts the
// layer's anisotropy. The anisotropy here is exact: the mean over every pair of occurrences from
// different sentences, which is what the paper's 1,000 random pairs estimate.
// Reference: Ethayarajh (2019), "How contextual are contextualized word representations?", §3–4.
// Not handled: the anisotropy-adjusted MEV; static-embedding baselines from the first principal
// component (Ethayarajh §4.3).

import Foundation

/// The measures of one layer.
public struct ContextualityMeasures: Sendable, Equatable {
    /// Index into HF's `hidden_states` (0 is the embedding output).
    public var layer: Int
    /// Mean over the measured words of their self-similarity.
    public var selfSimilarity: Double
    /// Mean over sentences of ≥ 2 words of their intra-sentence similarity.
    public var intraSentenceSimilarity: Double
    /// Mean cosine between occurrences of different sentences.
    public var anisotropy: Double
    /// Mean over the measured words of their maximum explainable variance.
    public var maximumExplainableVariance: Double

    public init(layer: Int, selfSimilarity: Double, intraSentenceSimilarity: Double, anisotropy: Double, maximumExplainableVariance: Double) {
        self.layer = layer
        self.selfSimilarity = selfSimilarity
        self.intraSentenceSimilarity = intraSentenceSimilarity
        self.anisotropy = anisotropy
        self.maximumExplainableVariance = maximumExplainableVariance
    }

    /// Self-similarity minus the layer's anisotropy.
    public var adjustedSelfSimilarity: Double { selfSimilarity - anisotropy }
    /// Intra-sentence similarity minus the layer's anisotropy.
    public var adjustedIntraSentenceSimilarity: Double { intraSentenceSimilarity - anisotropy }
}

/// The measures of every layer of a sample, and what they were computed on.
public struct ContextualityReport: Sendable {
    /// One row per layer of the sample, in its order.
    public var layers: [ContextualityMeasures]
    /// The words with at least `minimumContexts` contexts, most contexts first (ties by word).
    public var measuredWords: [(word: String, contexts: Int)]
    public var minimumContexts: Int
    public var sentenceCount: Int
    /// Sentences with ≥ 2 words (those intra-sentence similarity averages over).
    public var intraSentenceCount: Int
    /// Occurrences in the sample (words with a letter or digit).
    public var occurrenceCount: Int

    public init(layers: [ContextualityMeasures], measuredWords: [(word: String, contexts: Int)], minimumContexts: Int,
                sentenceCount: Int, intraSentenceCount: Int, occurrenceCount: Int) {
        self.layers = layers
        self.measuredWords = measuredWords
        self.minimumContexts = minimumContexts
        self.sentenceCount = sentenceCount
        self.intraSentenceCount = intraSentenceCount
        self.occurrenceCount = occurrenceCount
    }
}

public enum Contextuality {
    /// Every measure at every layer of `sample`, on the words with at least `minimumContexts`
    /// contexts.
    ///
    /// - Throws: `ContextualityError.noWordInEnoughContexts` when no word has that many contexts.
    /// - Complexity: O(occurrences × C) per layer, plus the MEV Gram matrices.
    ///
    /// ```swift
    /// let report = try Contextuality.measure(sample, minimumContexts: 5)
    /// for row in report.layers { print(row.layer, row.selfSimilarity, row.anisotropy) }
    /// ```
    public static func measure(_ sample: ContextualitySample, minimumContexts: Int) throws -> ContextualityReport {
        let contexts = contextsByWord(sample)
        let measured = contexts.filter { $0.value.count >= max(minimumContexts, 1) }
            .sorted { ($0.value.count, $1.key) > ($1.value.count, $0.key) }
        guard !measured.isEmpty else {
            throw ContextualityError.noWordInEnoughContexts(minimum: minimumContexts, sentences: sample.sentenceCount,
                                                         mostContexts: contexts.values.map(\.count).max() ?? 0)
        }
        let sentences = occurrencesBySentence(sample)
        let wide = sentences.filter { $0.count >= 2 }
        var rows: [ContextualityMeasures] = []
        for (position, layer) in sample.layers.enumerated() {
            let vector = { (index: Int) in sample.vector(position: position, occurrence: index) }
            let selfSimilarities = measured.map { selfSimilarity($0.value.map(vector)) }
            let explained = measured.map { MaximumExplainableVariance.of($0.value.map(vector)) }
            let intra = wide.map { intraSentenceSimilarity($0.map(vector)) }
            rows.append(ContextualityMeasures(
                layer: layer, selfSimilarity: mean(selfSimilarities), intraSentenceSimilarity: mean(intra),
                anisotropy: anisotropy(sentences.map { $0.map(vector) }), maximumExplainableVariance: mean(explained)))
        }
        return ContextualityReport(layers: rows, measuredWords: measured.map { ($0.key, $0.value.count) },
                                   minimumContexts: minimumContexts, sentenceCount: sample.sentenceCount,
                                   intraSentenceCount: wide.count, occurrenceCount: sample.count)
    }

    // MARK: - The measures

    /// Mean cosine over ordered pairs j ≠ k of `vectors` (n ≥ 2):
    /// with uⱼ = vⱼ/‖vⱼ‖, Σ_{j≠k} uⱼ·uₖ = ‖Σⱼ uⱼ‖² − Σⱼ ‖uⱼ‖², divided by n(n − 1).
    public static func selfSimilarity(_ vectors: [ArraySlice<Float>]) -> Double {
        let n = vectors.count
        guard n >= 2 else { return .nan }
        let units = vectors.map(unit)
        let sum = elementwiseSum(units)
        let squares = units.reduce(0.0) { $0 + dot($1, $1) }                 // n, less any zero vectors
        return (dot(sum, sum) - squares) / Double(n * (n - 1))
    }

    /// (1/m) Σᵢ cos(vᵢ, s⃗) with s⃗ = (1/m) Σᵢ vᵢ, for one sentence's m word vectors.
    public static func intraSentenceSimilarity(_ vectors: [ArraySlice<Float>]) -> Double {
        guard !vectors.isEmpty else { return .nan }
        let centre = unit(elementwiseSum(vectors.map { $0.map(Double.init) })[...])   // cos ignores the 1/m
        return vectors.reduce(0.0) { $0 + dot(unit($1), centre) } / Double(vectors.count)
    }

    /// Mean cosine over ordered pairs of vectors from different sentences: with uᵢ unit vectors,
    /// U = Σ_all uᵢ and Uₛ = Σ_{i∈s} uᵢ, Σ_{pairs} uᵢ·uⱼ = ‖U‖² − Σₛ ‖Uₛ‖², over N² − Σₛ mₛ² pairs.
    public static func anisotropy(_ sentences: [[ArraySlice<Float>]]) -> Double {
        let total = sentences.reduce(0) { $0 + $1.count }
        let pairs = total * total - sentences.reduce(0) { $0 + $1.count * $1.count }
        guard pairs > 0 else { return .nan }
        var all: [Double] = []
        var within = 0.0
        for sentence in sentences where !sentence.isEmpty {
            let sum = elementwiseSum(sentence.map(unit))
            within += dot(sum, sum)
            all = all.isEmpty ? sum : zip(all, sum).map(+)
        }
        return (dot(all, all) - within) / Double(pairs)
    }

    // MARK: - Bookkeeping

    /// Each word's contexts: the first occurrence in each sentence that holds it, in sentence order.
    static func contextsByWord(_ sample: ContextualitySample) -> [String: [Int]] {
        var result: [String: [Int]] = [:]
        for index in 0..<sample.count {
            let word = sample.words[index]
            if let last = result[word]?.last, sample.sentenceOf[last] == sample.sentenceOf[index] { continue }
            result[word, default: []].append(index)
        }
        return result
    }

    /// The occurrences of each sentence (empty for sentences without one).
    static func occurrencesBySentence(_ sample: ContextualitySample) -> [[Int]] {
        var result = [[Int]](repeating: [], count: sample.sentenceCount)
        for index in 0..<sample.count { result[sample.sentenceOf[index]].append(index) }
        return result
    }

    static func mean(_ values: [Double]) -> Double {
        values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
    }

    static func unit(_ vector: ArraySlice<Float>) -> [Double] {
        unit(vector.map(Double.init)[...])
    }

    static func unit(_ vector: ArraySlice<Double>) -> [Double] {
        let norm = vector.reduce(0.0) { $0 + $1 * $1 }.squareRoot()
        return norm > 0 ? vector.map { $0 / norm } : Array(repeating: 0, count: vector.count)
    }

    static func elementwiseSum(_ vectors: [[Double]]) -> [Double] {
        guard var sum = vectors.first else { return [] }
        for vector in vectors.dropFirst() { for index in sum.indices { sum[index] += vector[index] } }
        return sum
    }

    static func dot(_ a: [Double], _ b: [Double]) -> Double {
        zip(a, b).reduce(0.0) { $0 + $1.0 * $1.1 }
    }
}
