// Whitening: a DenseModule fitted to sentence vectors so that, over the sample it was fitted on,
// the output has mean zero and identity covariance (Su et al., 2021, "Whitening sentence
// representations"). With the sample mean μ and covariance Σ = U Λ Uᵀ (eigenvalues descending),
//     y = (x − μ) U_k Λ_k^(−1/2)    i.e.  W = (U_k Λ_k^(−1/2))ᵀ [k, C],  b = −W μ
// keeping the k leading directions. Why it helps: a trained encoder's pooled vectors crowd into a
// narrow cone (one direction dominates every vector), so cosines barely separate sentences and a
// regularised linear read-out sees the useful directions at a tiny scale; whitening puts every
// kept direction at unit variance. It is linear, so it is stored as a sentence-transformers Dense
// module and any tool that reads those folders applies it.
// Not handled: fitting on more than a few hundred thousand vectors at once (the sample is held in
// memory); per-task whitening (fit it on text like the text you will embed).

import Foundation
import TensorCore

extension DenseModule {
    /// The whitening map of `samples` (N vectors of width C), keeping `dimensions` directions; by
    /// default every direction whose variance exceeds 1e-6 of the largest (a post-LN encoder's
    /// pooled vectors satisfy one linear constraint, LayerNorm's zero mean, so one has none).
    ///
    /// - Returns: nil when fewer than two samples, or when a requested direction has (numerically) zero variance.
    /// - Complexity: O(N C²) for the covariance, O(C³) per Jacobi sweep.
    public static func whitening(samples: [[Float]], dimensions: Int? = nil) -> DenseModule? {
        guard samples.count >= 2, let width = samples.first?.count, width > 0 else { return nil }
        precondition(samples.allSatisfy { $0.count == width }, "whitening: vectors of different widths")
        var mean = [Double](repeating: 0, count: width)
        for sample in samples { for i in 0..<width { mean[i] += Double(sample[i]) } }
        for i in 0..<width { mean[i] /= Double(samples.count) }
        // Σ = (1/N) Σ_n (x_n − μ)(x_n − μ)ᵀ, upper triangle accumulated, then mirrored.
        var covariance = [Double](repeating: 0, count: width * width)
        var centred = [Double](repeating: 0, count: width)
        for sample in samples {
            for i in 0..<width { centred[i] = Double(sample[i]) - mean[i] }
            for i in 0..<width {
                let ci = centred[i]
                for j in i..<width { covariance[i * width + j] += ci * centred[j] }
            }
        }
        for i in 0..<width {
            for j in i..<width {
                covariance[i * width + j] /= Double(samples.count)
                covariance[j * width + i] = covariance[i * width + j]
            }
        }
        let (values, vectors) = symmetricEigen(covariance, size: width)
        let kept = min(dimensions ?? values.filter { $0 > 1e-6 * values[0] }.count, width)
        guard kept > 0 else { return nil }
        guard let smallest = values.prefix(kept).last, smallest > 1e-12 * max(values[0], 1e-30) else { return nil }
        var weight = [Float](repeating: 0, count: kept * width)
        var bias = [Float](repeating: 0, count: kept)
        for k in 0..<kept {
            let scale = 1 / values[k].squareRoot()
            var dot = 0.0
            for i in 0..<width {
                let w = vectors[i * width + k] * scale        // column k of U, over √λ_k
                weight[k * width + i] = Float(w)
                dot += w * mean[i]
            }
            bias[k] = Float(-dot)
        }
        return DenseModule(weight: Tensor(shape: [kept, width], scalars: weight), bias: Tensor(shape: [kept], scalars: bias))
    }
}
