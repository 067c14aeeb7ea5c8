// Agreement between two embedders: how alike two models judge the same sentence pairs. Each model
// gives the cosine of every pair; the figures are Spearman's ρ between the two lists of cosines
// (how alike they order the pairs, whatever the scale of their cosines) and Pearson's r beside it.
// It is `tinyencoder agreement`, and the held-out figure of a distillation (student vs teacher).
// Reference: the STS evaluation of SentEval and sentence-transformers (Spearman of cosines against
// gold scores; here the "gold" is the other model). scipy.stats.spearmanr for ties (average ranks).
// Not handled: gold similarity scores from a file (a reference model stands in for them).

import Encoder
import TensorCore

/// Spearman's ρ and Pearson's r between two models' cosines over pairs of texts.
///
/// ```swift
/// let texts = ["A man plays a guitar.", "Someone plays music.", "A cat sleeps.", "The stock fell."]
/// let agreement = try PairAgreement(texts: texts, scored: student, reference: teacher)
/// print(agreement.spearman)   // 1 when the student orders the pairs as the teacher does
/// ```
public struct PairAgreement: Equatable, Sendable {
    public var spearman: Double
    public var pearson: Double
    public var pairs: Int

    /// Rows 2k and 2k+1 of each set of vectors form pair k; `a` and `b` are two models' vectors of
    /// the same texts. Fewer than two pairs give NaN correlations.
    public init(_ a: [[Float]], _ b: [[Float]]) {
        precondition(a.count == b.count, "PairAgreement: \(a.count) and \(b.count) vectors")
        pairs = a.count / 2
        let x = (0..<pairs).map { Double(a[2 * $0].cosineSimilarity(to: a[2 * $0 + 1])) }
        let y = (0..<pairs).map { Double(b[2 * $0].cosineSimilarity(to: b[2 * $0 + 1])) }
        pearson = pearsonCorrelation(x, y)
        spearman = spearmanCorrelation(x, y)
    }

    /// Texts 2k and 2k+1 form pair k (an odd last text is left out); both embedders embed every
    /// text (unnormalised: the cosine does not need it).
    public init(texts: [String], scored: any TextEmbedding, reference: any TextEmbedding) throws {
        let used = Array(texts.prefix(texts.count / 2 * 2))
        self.init(try scored.embed(used, normalize: false), try reference.embed(used, normalize: false))
    }
}
