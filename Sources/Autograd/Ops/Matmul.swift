// Matrix product with optional transposes, 2-D and batched over a leading axis.
// Forward: C = op(A)·op(B). Backward (the product rule on each entry Cᵢⱼ = Σₚ op(A)ᵢₚ op(B)ₚⱼ):
//   ∂L/∂op(A) = dC·op(B)ᵀ,  ∂L/∂op(B) = op(A)ᵀ·dC, then undo each op(·) by transposing back.
// Every case is again one GEMM with transposes, never an explicit transpose copy.
// Not handled: broadcasting a 2-D operand over a batch (use reshape to [N, k] first).

import TensorCore

/// C = op(A)·op(B) for matrices, or per batch for rank-3 operands.
public enum MatmulOp: Sendable {
    /// What the backward needs: both operands and which were transposed.
    public struct Cache: Sendable {
        public let a: Tensor
        public let b: Tensor
        public let transposeA: Bool
        public let transposeB: Bool
    }

    /// A: [m, k] (or [k, m] transposed), B: [k, n] (or [n, k]) → [m, n]; rank-3 operands are
    /// multiplied per leading batch index.
    public static func forward(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool) -> (output: Tensor, cache: Cache) {
        checkShape(a.rank == b.rank && (a.rank == 2 || a.rank == 3), "matmul",
                   "expected two matrices or two batches of matrices, got \(a.shape) and \(b.shape)")
        let output = a.rank == 2
            ? matmul(a, b, transposeA: transposeA, transposeB: transposeB)
            : batchedMatmul(a, b, transposeA: transposeA, transposeB: transposeB)
        return (output, Cache(a: a, b: b, transposeA: transposeA, transposeB: transposeB))
    }

    /// Forward was C = op(A)·op(B); so
    ///   A not transposed: dA = dC·op(B)ᵀ          A transposed: dA = (dC·op(B)ᵀ)ᵀ = op(B)·dCᵀ
    ///   B not transposed: dB = op(A)ᵀ·dC          B transposed: dB = (op(A)ᵀ·dC)ᵀ = dCᵀ·op(A)
    /// where op(B)ᵀ is B itself when B was transposed, and Bᵀ when not (likewise for A).
    public static func backward(_ dOut: Tensor, _ cache: Cache) -> (dA: Tensor, dB: Tensor) {
        let (a, b, tA, tB) = (cache.a, cache.b, cache.transposeA, cache.transposeB)
        let product = a.rank == 2 ? matmul : batchedMatmul
        let dA = tA
            ? product(b, dOut, tB, true)   // op(B)·dCᵀ
            : product(dOut, b, false, !tB) // dC·op(B)ᵀ
        let dB = tB
            ? product(dOut, a, true, tA)   // dCᵀ·op(A)
            : product(a, dOut, !tA, false) // op(A)ᵀ·dC
        return (dA, dB)
    }
}

/// op(A)·op(B), recorded on the tape when either operand is tracked.
///
/// ```swift
/// let scores = matmul(q, k, transposeB: true)   // [T, D]·[T, D]ᵀ → [T, T]
/// ```
public func matmul(_ a: Variable, _ b: Variable, transposeA: Bool = false, transposeB: Bool = false) -> Variable {
    let (output, cache) = MatmulOp.forward(a.value, b.value, transposeA: transposeA, transposeB: transposeB)
    return Tape.record(.matmul, output: output, inputs: [a, b]) { dOut in
        let (dA, dB) = MatmulOp.backward(dOut, cache)
        return [dA, dB]
    }
}
