// Layer normalisation (Ba, Kiros & Hinton, 2016) over the last axis, C features per row:
//   μ = (1/C) Σ xᵢ,  σ² = (1/C) Σ (xᵢ − μ)²,  rstd = 1/√(σ² + ε),  x̂ = (x − μ)·rstd,  y = γ ⊙ x̂ + β.
// Backward (derived in Docs/LayerNorm.md; llm.c's layernorm_backward is the same algebra):
//   dβ = Σ_rows dy,  dγ = Σ_rows dy ⊙ x̂,  dx̂ = dy ⊙ γ,
//   dx = rstd · (dx̂ − mean(dx̂) − x̂ · mean(dx̂ ⊙ x̂)).
// Not handled: normalising over several trailing axes; RMSNorm.

import CKernels
import TensorCore

/// LayerNorm over the last axis.
public enum LayerNormOp: Sendable {
    /// What the backward needs per row: the mean and 1/σ; and γ for dx̂ = dy ⊙ γ.
    public struct Cache: Sendable {
        public let input: Tensor   // [N, C]
        public let mean: Tensor    // [N]
        public let rstd: Tensor    // [N]
        public let gamma: Tensor   // [C]
    }

    /// x: [..., C], γ and β: [C] → y: [..., C].
    public static func forward(_ x: Tensor, gamma: Tensor, beta: Tensor, epsilon: Float) -> (output: Tensor, cache: Cache) {
        let columns = x.shape.last ?? 0
        checkShape(gamma.shape == [columns] && beta.shape == [columns], "layerNorm",
                   "γ \(gamma.shape) and β \(beta.shape) must both be [\(columns)] for input \(x.shape)")
        let rows = x.count / max(columns, 1)
        var output = Tensor(uninitializedShape: x.shape)
        var mean = Tensor(uninitializedShape: [rows]), rstd = Tensor(uninitializedShape: [rows])
        withPointers(reading: x, gamma, beta, writing: &output, &mean, &rstd) { read, y, means, rstds in
            let (x, gamma, beta) = (read[0], read[1], read[2])
            // Each chunk of rows: μ, σ², rstd, then y = (x − μ)·rstd·γ + β (te_layernorm_rows).
            parallelFor(rows, minimumChunk: 32) { _, range in
                let offset = range.lowerBound * columns
                te_layernorm_rows(x + offset, gamma, beta, y + offset, means + range.lowerBound,
                                  rstds + range.lowerBound, range.count, columns, epsilon)
            }
        }
        return (output, Cache(input: x.reshaped([rows, columns]), mean: mean, rstd: rstd, gamma: gamma))
    }

    /// Forward was x̂ = (x − μ)·rstd, y = γ ⊙ x̂ + β; so, undoing it:
    ///   dβ += Σ dy; dγ += Σ dy ⊙ x̂; dx̂ = dy ⊙ γ;
    ///   dx = rstd · (dx̂ − mean(dx̂) − x̂ · mean(dx̂ ⊙ x̂))   (μ and σ depend on every xᵢ).
    public static func backward(_ dOut: Tensor, _ cache: Cache) -> (dX: Tensor, dGamma: Tensor, dBeta: Tensor) {
        let (rows, columns) = (cache.input.shape[0], cache.input.shape[1])
        var dX = Tensor(uninitializedShape: dOut.shape)
        // dγ and dβ are sums over rows: each thread sums its chunk, then chunks add in order.
        let chunks = chunkCount(for: rows, minimumChunk: 32)
        var partialGamma = Tensor(zeros: [chunks, columns]), partialBeta = Tensor(zeros: [chunks, columns])
        withPointers(reading: cache.input, dOut, cache.mean, cache.rstd, cache.gamma,
                     writing: &dX, &partialGamma, &partialBeta) { read, dx, gammaSums, betaSums in
            let (x, dy, means, rstds, gamma) = (read[0], read[1], read[2], read[3], read[4])
            parallelFor(rows, minimumChunk: 32) { chunk, range in
                // dx for the chunk's rows; dγ and dβ summed into this chunk's own row.
                let offset = range.lowerBound * columns
                te_layernorm_rows_backward(x + offset, gamma, means + range.lowerBound, rstds + range.lowerBound,
                                           dy + offset, dx + offset, gammaSums + chunk * columns,
                                           betaSums + chunk * columns, range.count, columns, 0)
            }
        }
        return (dX, partialGamma.sum(alongAxis: 0), partialBeta.sum(alongAxis: 0))
    }
}

/// y = LayerNorm(x)·γ + β over the last axis.
///
/// ```swift
/// let normalised = layerNorm(x, gamma: g, beta: b, epsilon: 1e-12)   // BERT's ε
/// ```
public func layerNorm(_ x: Variable, gamma: Variable, beta: Variable, epsilon: Float) -> Variable {
    let (output, cache) = LayerNormOp.forward(x.value, gamma: gamma.value, beta: beta.value, epsilon: epsilon)
    return Tape.record(.layerNorm, output: output, inputs: [x, gamma, beta]) { dOut in
        let (dX, dGamma, dBeta) = LayerNormOp.backward(dOut, cache)
        return [dX, dGamma, dBeta]
    }
}
