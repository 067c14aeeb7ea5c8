// VectorSimilarity: cosine similarity and its friends on plain [Float] vectors, where a user of
// `SentenceEmbedder.embed` or `KeyedVectors.vector(for:)` looks for them: `a.cosineSimilarity(to: b)`,
// `a.dot(b)`, `a.norm`, `a.normalized()`, `a.euclideanDistance(to: b)`, and for lists of vectors the
// cosine matrix and the nearest vectors to a query (sentence-transformers' util.cos_sim and
// util.semantic_search). Sums run in Double, so the result does not depend on the vector length's rounding.
// Not handled: approximate nearest-neighbour indexes; batched GEMM scoring (KeyedVectors does that).

extension Array where Element == Float {
    /// a·b = Σ aᵢbᵢ.
    public func dot(_ other: [Float]) -> Float {
        precondition(count == other.count, "dot: \(count) vs \(other.count) values")
        var sum: Double = 0
        for index in indices { sum += Double(self[index]) * Double(other[index]) }
        return Float(sum)
    }

    /// The Euclidean norm ‖a‖₂ = √(a·a).
    public var norm: Float {
        var sum: Double = 0
        for value in self { sum += Double(value) * Double(value) }
        return Float(sum.squareRoot())
    }

    /// a / ‖a‖₂ (unit length); the zero vector stays zero.
    public func normalized() -> [Float] {
        var sum: Double = 0
        for value in self { sum += Double(value) * Double(value) }
        guard sum > 0 else { return self }
        let scale = 1 / sum.squareRoot()
        return map { Float(Double($0) * scale) }
    }

    /// cos(a, b) = a·b / (‖a‖‖b‖), in [−1, 1]; 0 when either vector is zero.
    ///
    /// ```swift
    /// let vectors = try embedder.embed(["A man plays a guitar.", "Someone plays an instrument."])
    /// let similarity = vectors[0].cosineSimilarity(to: vectors[1])
    /// ```
    public func cosineSimilarity(to other: [Float]) -> Float {
        precondition(count == other.count, "cosineSimilarity: \(count) vs \(other.count) values")
        var ab: Double = 0, aa: Double = 0, bb: Double = 0
        for index in indices {
            let a = Double(self[index]), b = Double(other[index])
            ab += a * b
            aa += a * a
            bb += b * b
        }
        guard aa > 0, bb > 0 else { return 0 }
        return Float(ab / (aa.squareRoot() * bb.squareRoot()))
    }

    /// ‖a − b‖₂.
    public func euclideanDistance(to other: [Float]) -> Float {
        precondition(count == other.count, "euclideanDistance: \(count) vs \(other.count) values")
        var sum: Double = 0
        for index in indices {
            let difference = Double(self[index]) - Double(other[index])
            sum += difference * difference
        }
        return Float(sum.squareRoot())
    }
}

extension Array where Element == [Float] {
    /// The cosine of every vector here with every vector of `others`: [count][others.count]
    /// (sentence-transformers' `util.cos_sim`).
    public func cosineSimilarities(to others: [[Float]]) -> [[Float]] {
        let left = map { $0.normalized() }, right = others.map { $0.normalized() }
        return left.map { a in right.map { b in a.dot(b) } }
    }

    /// The `topN` vectors here with the highest cosine to `query`, best first (ties: lower index
    /// first), as (index, similarity) (sentence-transformers' `util.semantic_search` for one query).
    public func mostSimilar(to query: [Float], topN: Int = 10) -> [(index: Int, similarity: Float)] {
        let scored = enumerated().map { (index: $0.offset, similarity: $0.element.cosineSimilarity(to: query)) }
        let ranked = scored.sorted { $0.similarity != $1.similarity ? $0.similarity > $1.similarity : $0.index < $1.index }
        return [(index: Int, similarity: Float)](ranked.prefix(Swift.max(0, topN)))
    }
}

/// cos(a, b) = a·b / (‖a‖‖b‖); 0 when either vector is zero. The same as `a.cosineSimilarity(to: b)`.
public func cosine(_ a: [Float], _ b: [Float]) -> Float {
    a.cosineSimilarity(to: b)
}
