// Analogies: "a is to b as c is to ?" answered by 3CosAdd (Mikolov et al. 2013: the word nearest
// to b − a + c, over unit vectors) or 3CosMul (Levy & Goldberg 2014: the word maximising
// cos'(d,b)·cos'(d,c) / (cos'(d,a) + ε), with cos' = (cos + 1)/2; ε = 10⁻⁶ as gensim uses, where
// the paper has 0.001).
// Reference: gensim most_similar / most_similar_cosmul. Not handled: set-based methods (3CosAvg).

import Foundation
import TensorCore

/// How an analogy is solved.
public enum AnalogyMethod: String, Codable, Sendable, CaseIterable {
    /// argmax_d cos(d, b − a + c) over unit vectors (gensim's default, word2vec.c's compute-accuracy).
    case add = "3cosadd"
    /// argmax_d cos'(d,b)·cos'(d,c) / (cos'(d,a) + 10⁻⁶), cos' = (cos + 1)/2 (gensim's most_similar_cosmul).
    case multiply = "3cosmul"
}

extension KeyedVectors {
    /// The `topN` answers to "a is to b as c is to ?", excluding a, b and c, with their scores: for
    /// 3CosAdd the cosine with b̂ + ĉ − â (gensim's most_similar(positive=[b, c], negative=[a])).
    ///
    /// ```swift
    /// try vectors.analogy(a: "man", b: "king", c: "woman").first?.word   // "queen", with luck
    /// ```
    public func analogy(
        a: String, b: String, c: String, method: AnalogyMethod = .add, topN: Int = 1,
        restrictVocabulary: Int? = nil
    ) throws -> [(word: String, score: Float)] {
        let rows = try [a, b, c].map { word -> Int in
            guard let row = index(of: word) else { throw WordVectorsError.unknownWord(word) }
            return row
        }
        let limit = min(count, restrictVocabulary ?? count)
        let (scores, stride) = analogyScores(questions: [(rows[0], rows[1], rows[2])], method: method, limit: limit)
        let best = topIndices(scores, 0..<limit, count: topN, excluding: rows, offset: 0)
        _ = stride
        // 3CosAdd scores against b̂ + ĉ − â; dividing by its norm makes them cosines, as gensim
        // reports them (the order does not change).
        var scale: Float = 1
        if method == .add {
            let unit = [a, b, c].map { row(index(of: $0)!).normalized() }
            let query = (0..<dimension).map { unit[1][$0] + unit[2][$0] - unit[0][$0] }
            scale = query.norm > 0 ? 1 / query.norm : 1
        }
        return best.map { (words[$0], scores[$0] * scale) }
    }

    /// Scores of every candidate d < limit for each question (a, b, c) given as row indices:
    /// [questions, limit], row-major. 3CosAdd: N·(b̂ + ĉ − â); 3CosMul: the ratio above.
    func analogyScores(questions: [(Int, Int, Int)], method: AnalogyMethod, limit: Int) -> ([Float], Int) {
        let D = dimension
        let normalized = normalizedVectors
        let unit: (Int) -> ArraySlice<Float> = { row in
            normalized.withUnsafeBufferPointer { ArraySlice($0[(row * D)..<(row * D + D)]) }
        }
        switch method {
        case .add:
            var queries = [Float](repeating: 0, count: questions.count * D)
            for (q, question) in questions.enumerated() {
                let a = unit(question.0), b = unit(question.1), c = unit(question.2)
                for column in 0..<D {
                    queries[q * D + column] = b[b.startIndex + column] + c[c.startIndex + column] - a[a.startIndex + column]
                }
            }
            return (scoreQueries(queries, queryCount: questions.count, limit: limit), limit)
        case .multiply:
            var queries = [Float](repeating: 0, count: questions.count * 3 * D)
            for (q, question) in questions.enumerated() {
                for (slot, row) in [question.0, question.1, question.2].enumerated() {
                    let values = unit(row)
                    for column in 0..<D { queries[(q * 3 + slot) * D + column] = values[values.startIndex + column] }
                }
            }
            let cosines = scoreQueries(queries, queryCount: questions.count * 3, limit: limit)
            var scores = [Float](repeating: 0, count: questions.count * limit)
            let epsilon: Float = 1e-6
            for q in 0..<questions.count {
                for d in 0..<limit {
                    let toA = (cosines[(q * 3) * limit + d] + 1) / 2
                    let toB = (cosines[(q * 3 + 1) * limit + d] + 1) / 2
                    let toC = (cosines[(q * 3 + 2) * limit + d] + 1) / 2
                    scores[q * limit + d] = toB * toC / (toA + epsilon)
                }
            }
            return (scores, limit)
        }
    }
}
