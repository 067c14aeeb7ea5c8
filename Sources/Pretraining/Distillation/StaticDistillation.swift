// StaticDistillation: a static model (one vector per token) from a contextual sentence encoder, the
// Model2Vec recipe (Tulkens & van Dongen, 2024):
//   1. every token t of the teacher's vocabulary goes through the teacher on its own, wrapped in
//      the tokenizer's special tokens ([CLS] t [SEP] for BERT); its vector vₜ ∈ ℝᶜ is the teacher's
//      sentence vector of that input before normalisation (its pooling and Dense modules);
//   2. PCA: the rows vₜ, less the placeholder tokens text never produces ("[unusedN]"), are centred
//      and projected on their top-D principal axes (StaticProjection);
//   3. frequency weighting (SIF, Arora et al., 2017): row t is scaled by a / (a + pₜ), where pₜ is
//      the token's probability, estimated from Zipf's law on the id (pₜ ∝ 1/(t + 2), for vocabularies
//      listed roughly by frequency, Model2Vec's default) or counted on a corpus.
// A text's vector is then the mean of its tokens' rows, normalised (StaticEmbedder). What is lost:
// context. "bank" has one vector whatever the sentence, and word order does not count at all.
// Not handled: adding whole words to the vocabulary (Model2Vec's custom vocabularies), teachers
// that add no special tokens around a single token (the bare token is used then).

import Autograd
import Encoder
import Foundation
import NeuralNetwork
import StaticVectorInitialization
import TensorCore
import Tokenization

/// The choices of a static distillation.
public struct StaticDistillationConfiguration: Codable, Equatable, Sendable {
    /// How token probabilities pₜ for the SIF weights are estimated.
    public enum Weighting: String, Codable, CaseIterable, Sendable {
        /// pₜ ∝ 1/(t + 2) by token id (Model2Vec's default).
        case zipf
        /// Counted on a corpus (+1 smoothing), tokenised with the teacher's tokenizer.
        case corpus
        /// No weighting.
        case none
    }

    /// D, the width of the static vectors (≤ the teacher's width); nil keeps the teacher's width
    /// (the PCA then only rotates and centres).
    public var dimension: Int? = 256
    public var weighting: Weighting = .zipf
    /// a in a / (a + pₜ). Model2Vec uses 1e-4 with Zipf estimates.
    public var sifCoefficient: Double = 1e-4
    /// Tokens per teacher pass.
    public var batchSize: Int = 512

    public init() {}
}

/// What a static distillation produced, besides the model.
public struct StaticDistillationReport: Sendable {
    /// Share of the token vectors' variance the kept principal axes explain.
    public var explainedVariance: Double
    /// Tokens left out of the PCA and given zero rows ("[unusedN]" placeholders).
    public var placeholderTokens: Int
    /// Corpus tokens counted for the weights (0 unless weighting is .corpus).
    public var countedTokens: Int
}

public enum StaticDistillation: Sendable {
    /// Distils a static model from `teacher`.
    ///
    /// - Parameters:
    ///   - corpusLines: the text whose token counts give pₜ (required for `.corpus`).
    ///   - progress: told the share done (0…1) of the teacher passes.
    /// - Throws: `DistillationError` for a dimension wider than the teacher's vectors.
    /// - Complexity: V/batchSize teacher passes on 3-token inputs, O(V·C²) for the PCA.
    ///   - basis: when given ([C, D]), the token vectors are projected on it (y = v·U, not centred)
    ///     instead of on their own principal axes: the basis static training uses (StaticTraining.swift).
    public static func distill(teacher: SentenceEmbedder, configuration: StaticDistillationConfiguration,
                               corpusLines: [String]? = nil, basis: Tensor? = nil, progress: (Double) -> Void = { _ in })
        throws -> (model: StaticEmbedder, report: StaticDistillationReport) {
        let width = teacher.dense.last?.outFeatures ?? teacher.config.width
        let dimension = configuration.dimension ?? width
        guard dimension > 0 && dimension <= width else {
            throw DistillationError.invalidOption(option: "--dim", problem: "is \(dimension) but the teacher's vectors are \(width) wide",
                                                  fix: "Choose a dimension from 1 to \(width)")
        }
        let vocabulary = teacher.tokenizer.vocabularySize
        let rows = try tokenVectors(teacher: teacher, batchSize: configuration.batchSize, progress: progress)  // [V, C]
        let placeholders = placeholderTokens(teacher.tokenizer)
        let kept = (0..<vocabulary).filter { !placeholders.contains($0) }
        var table: Tensor                                                                           // [V, D]
        var explained: Double
        if let basis {
            precondition(basis.shape == [width, dimension], "StaticDistillation: basis \(basis.shape), expected [\(width), \(dimension)]")
            table = matmul(rows, basis)
            // The share of the kept rows' squared length the basis keeps: Σ‖vU‖² / Σ‖v‖².
            let total = gather(rows, kept).scalars.reduce(0.0) { $0 + Double($1) * Double($1) }
            let inBasis = gather(table, kept).scalars.reduce(0.0) { $0 + Double($1) * Double($1) }
            explained = total > 0 ? inBasis / total : 1
        } else {
            let projection = try StaticProjection.fit(rows: gather(rows, kept), width: dimension, mapping: dimension == width ? .pca : .automatic,
                                                      source: "the teacher's token vectors")
            table = projection.apply(rows)
            explained = projection.explainedVariance ?? 1
        }
        var counted = 0
        let weights: [Double]
        switch configuration.weighting {
        case .none: weights = [Double](repeating: 1, count: vocabulary)
        case .zipf: weights = sifWeights(probabilities: zipfProbabilities(count: vocabulary), coefficient: configuration.sifCoefficient)
        case .corpus:
            guard let corpusLines else {
                throw DistillationError.invalidOption(option: "--weighting corpus", problem: "needs a corpus", fix: "Pass --corpus FILE, or use --weighting zipf")
            }
            let counts = try tokenCounts(corpusLines, tokenizer: teacher.tokenizer)
            counted = counts.reduce(0, +)
            weights = sifWeights(probabilities: smoothedProbabilities(counts), coefficient: configuration.sifCoefficient)
        }
        table.withUnsafeMutableBufferPointer { values in
            for token in 0..<vocabulary {
                let factor = placeholders.contains(token) ? 0 : Float(weights[token])
                for column in 0..<dimension { values[token * dimension + column] *= factor }
            }
        }
        let model = StaticEmbedder(table: table, tokenizer: teacher.tokenizer, normalize: true)
        return (model, StaticDistillationReport(explainedVariance: explained,
                                                placeholderTokens: placeholders.count, countedTokens: counted))
    }

    // MARK: - Steps

    /// Step 1: the teacher's pooled vector (pooling and Dense, no normalisation) of each token id
    /// wrapped in the tokenizer's special tokens, [V, C].
    static func tokenVectors(teacher: SentenceEmbedder, batchSize: Int, progress: (Double) -> Void) throws -> Tensor {
        let (prefix, suffix) = try specialTokensAround(teacher.tokenizer)
        let vocabulary = teacher.tokenizer.vocabularySize
        let sequences = (0..<vocabulary).map { prefix + [$0] + suffix }
        let vectors = try teacher.pooledVectors(sequences, normalize: false, batchSize: batchSize) { done in
            progress(Double(done) / Double(vocabulary))
        }
        let width = vectors.first?.count ?? 0
        return Tensor(shape: [vocabulary, width], scalars: vectors.flatMap { $0 })
    }

    /// The ids the tokenizer puts before and after a text's own tokens ([CLS] and [SEP] for BERT),
    /// found by encoding one character with and without them.
    public static func specialTokensAround(_ tokenizer: Tokenizer) throws -> (prefix: [Int], suffix: [Int]) {
        let bare = try tokenizer.encode("a", addSpecialTokens: false).ids
        let full = try tokenizer.encode("a", addSpecialTokens: true).ids
        guard !bare.isEmpty, let start = (0...(full.count - bare.count)).first(where: { Array(full[$0..<($0 + bare.count)]) == bare }) else {
            return ([], [])
        }
        return (Array(full[..<start]), Array(full[(start + bare.count)...]))
    }

    /// Ids of placeholder tokens ("[unused0]" …, "<unused12>"): reserved rows no text produces.
    static func placeholderTokens(_ tokenizer: Tokenizer) -> Set<Int> {
        var result: Set<Int> = []
        for id in 0..<tokenizer.vocabularySize {
            guard let token = tokenizer.token(forID: id) else { continue }
            let inner = token.dropFirst().dropLast()
            if ["[", "<"].contains(token.first), ["]", ">"].contains(token.last), inner.hasPrefix("unused"),
               inner.dropFirst(6).allSatisfy(\.isNumber) {
                result.insert(id)
            }
        }
        return result
    }

    /// pₜ ∝ 1/(t + 2), t = 0…V−1, normalised to sum to 1.
    static func zipfProbabilities(count: Int) -> [Double] {
        let raw = (0..<count).map { 1 / Double($0 + 2) }
        let total = raw.reduce(0, +)
        return raw.map { $0 / total }
    }

    /// (cₜ + 1) / Σ (c + 1).
    static func smoothedProbabilities(_ counts: [Int]) -> [Double] {
        let total = Double(counts.reduce(0, +) + counts.count)
        return counts.map { Double($0 + 1) / total }
    }

    /// a / (a + pₜ).
    static func sifWeights(probabilities: [Double], coefficient: Double) -> [Double] {
        probabilities.map { coefficient / (coefficient + $0) }
    }

    /// How often each id occurs in `lines` (no special tokens).
    static func tokenCounts(_ lines: [String], tokenizer: Tokenizer) throws -> [Int] {
        var counts = [Int](repeating: 0, count: tokenizer.vocabularySize)
        var start = 0
        while start < lines.count {
            let chunk = Array(lines[start..<min(start + 4096, lines.count)])
            for encoding in try tokenizer.encode(batch: chunk, addSpecialTokens: false, threads: Threads.count) {
                for id in encoding.ids where id >= 0 && id < counts.count { counts[id] += 1 }
            }
            start += chunk.count
        }
        return counts
    }

    /// rows[indices], [indices.count, C].
    static func gather(_ rows: Tensor, _ indices: [Int]) -> Tensor {
        let width = rows.shape[1]
        let values = rows.scalars
        var result = [Float](); result.reserveCapacity(indices.count * width)
        for index in indices { result.append(contentsOf: values[(index * width)..<((index + 1) * width)]) }
        return Tensor(shape: [indices.count, width], scalars: result)
    }
}
