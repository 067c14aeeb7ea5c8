// Sentence vectors from word vectors: the mean of the vectors of a text's known words (the classic
// averaged-word-vector embedding, and the baseline the encoder is compared with), optionally
// SIF-weighted: w ↦ a / (a + p(w)), and for a batch the first principal component removed.
// Reference: Arora, Liang, Ma 2017, "A Simple but Tough-to-Beat Baseline for Sentence Embeddings".
// Not handled: word-order information (by design: these are bags of words).

import Foundation

/// How the word vectors of a sentence are combined.
public enum SentenceWeighting: Sendable, Equatable {
    /// Plain mean.
    case mean
    /// Smooth inverse frequency: weight a / (a + p(w)), p(w) = count(w) / Σ counts (a ≈ 1e-3).
    case sif(a: Double)
}

extension KeyedVectors {
    /// The combined vector of the known words of `text` (tokenised by `WordTokenizer`), or nil when
    /// no word is known. Subword models also use out-of-vocabulary words.
    ///
    /// v(s) = Σ_w α_w v_w / Σ_w α_w, α_w = 1 (mean) or a / (a + p(w)) (SIF).
    /// - Throws: `WordVectorsError.invalidOption` for SIF without word counts.
    public func sentenceVector(for text: String, weighting: SentenceWeighting = .mean) throws -> [Float]? {
        var sum = [Double](repeating: 0, count: dimension)
        var weightSum = 0.0
        var total = 0.0
        if case .sif = weighting {
            guard let counts else {
                throw WordVectorsError.invalidOption(name: "weighting", detail: "SIF needs word counts, and these vectors have none (vectors read from a file carry no counts); use .mean")
            }
            total = Double(counts.reduce(0, +))
        }
        for word in WordTokenizer.words(in: text) {
            let row = index(of: word)
            let vector: [Float]
            if let row { vector = self.row(row) } else if let build = outOfVocabularyVector, let built = build(word) { vector = built } else { continue }
            var weight = 1.0
            if case let .sif(a) = weighting {
                let probability = row.map { Double(counts![$0]) / total } ?? 0
                weight = a / (a + probability)
            }
            for column in 0..<dimension { sum[column] += weight * Double(vector[column]) }
            weightSum += weight
        }
        guard weightSum > 0 else { return nil }
        return sum.map { Float($0 / weightSum) }
    }
}

/// SIF's second step: removes from each vector its projection on the batch's first principal
/// direction u (the top right singular vector of the stacked vectors, found by power iteration):
/// v ← v − (u·v) u.
public func removingCommonComponent(_ vectors: [[Float]], iterations: Int = 50) -> [[Float]] {
    guard let dimension = vectors.first?.count, vectors.count > 1 else { return vectors }
    var direction = [Double](repeating: 1 / Double(dimension).squareRoot(), count: dimension)
    for _ in 0..<iterations {
        // direction ← XᵀX direction, normalised.
        var next = [Double](repeating: 0, count: dimension)
        for vector in vectors {
            var projection = 0.0
            for column in 0..<dimension { projection += Double(vector[column]) * direction[column] }
            for column in 0..<dimension { next[column] += projection * Double(vector[column]) }
        }
        let norm = next.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard norm > 0 else { return vectors }
        direction = next.map { $0 / norm }
    }
    return vectors.map { vector in
        var projection = 0.0
        for column in 0..<dimension { projection += Double(vector[column]) * direction[column] }
        return (0..<dimension).map { Float(Double(vector[$0]) - projection * direction[$0]) }
    }
}
