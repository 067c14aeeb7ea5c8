// Masked mean pooling, sentence-transformers' default: the average of the real tokens' vectors,
//   y_b = Σ_t m_bt x_bt / max(Σ_t m_bt, 1e-9)         (m = attention mask, 1 real, 0 padding)
// Backward: every real token receives an equal share, dx_bt = m_bt · dy_b / max(Σ_t m_bt, 1e-9).
// Not handled: weighted (e.g. SIF) pooling of contextual vectors.

import TensorCore

/// Mean over the real (unmasked) tokens.
public enum MaskedMeanPoolingOp: Sendable {
    /// The backward needs the mask and each row's token count.
    public struct Cache: Sendable {
        public let mask: Tensor     // [B, T]
        public let counts: [Float]  // [B]
        public let inputShape: [Int]
    }

    /// x: [B, T, C], mask: [B, T] → [B, C].
    public static func forward(_ x: Tensor, mask: Tensor) -> (output: Tensor, cache: Cache) {
        checkShape(x.rank == 3 && mask.shape == [x.shape[0], x.shape[1]], "meanPooling",
                   "expected x [B, T, C] and mask [B, T], got \(x.shape) and \(mask.shape)")
        let (b, t, c) = (x.shape[0], x.shape[1], x.shape[2])
        let m = mask.scalars
        let counts = (0..<b).map { batch in max(m[(batch * t)..<((batch + 1) * t)].reduce(0, +), 1e-9) }
        var output = Tensor(zeros: [b, c])
        x.withUnsafeBufferPointer { xv in
            output.withUnsafeMutableBufferPointer { yv in
                for batch in 0..<b {
                    let row = yv.baseAddress! + batch * c
                    for token in 0..<t where m[batch * t + token] != 0 {
                        let weight = m[batch * t + token]
                        let line = xv.baseAddress! + (batch * t + token) * c
                        for column in 0..<c { row[column] += weight * line[column] }
                    }
                    for column in 0..<c { row[column] /= counts[batch] }
                }
            }
        }
        return (output, Cache(mask: mask, counts: counts, inputShape: x.shape))
    }

    /// Forward was y_b = Σ_t m_bt x_bt / n_b; so dx_bt = m_bt dy_b / n_b.
    public static func backward(_ dOut: Tensor, _ cache: Cache) -> Tensor {
        let (b, t, c) = (cache.inputShape[0], cache.inputShape[1], cache.inputShape[2])
        let m = cache.mask.scalars
        var dX = Tensor(zeros: cache.inputShape)
        dOut.withUnsafeBufferPointer { dyv in
            dX.withUnsafeMutableBufferPointer { dxv in
                for batch in 0..<b {
                    for token in 0..<t where m[batch * t + token] != 0 {
                        let weight = m[batch * t + token] / cache.counts[batch]
                        let source = dyv.baseAddress! + batch * c, target = dxv.baseAddress! + (batch * t + token) * c
                        for column in 0..<c { target[column] = weight * source[column] }
                    }
                }
            }
        }
        return dX
    }
}

/// The mean of the real tokens' vectors: x [B, T, C], mask [B, T] → [B, C].
public func maskedMeanPooling(_ x: Variable, mask: Tensor) -> Variable {
    let (output, cache) = MaskedMeanPoolingOp.forward(x.value, mask: mask)
    return Tape.record(.meanPooling, output: output, inputs: [x]) { dOut in
        [MaskedMeanPoolingOp.backward(dOut, cache)]
    }
}
