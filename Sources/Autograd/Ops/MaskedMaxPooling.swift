// Masked max pooling: each feature's largest value over the real tokens,
//   y_bc = max_{t : m_bt = 1} x_btc
// (sentence-transformers sets padded positions to −1e9 before the max, which is the same as
// skipping them while a sentence has at least one real token).
// Backward: the whole gradient goes to the position that won, dx_{b,t*,c} = dy_bc (ties: the first).
// Not handled: a sentence with no real token (its output is 0 and no gradient flows).

import TensorCore

/// Max over the real tokens, per feature.
public enum MaskedMaxPoolingOp: Sendable {
    /// The backward needs which token won each (b, c).
    public struct Cache: Sendable {
        public let winners: [Int]   // [B·C], token index or −1
        public let inputShape: [Int]
    }

    /// x: [B, T, C], mask: [B, T] → [B, C].
    public static func forward(_ x: Tensor, mask: Tensor) -> (output: Tensor, cache: Cache) {
        checkShape(x.rank == 3 && mask.shape == [x.shape[0], x.shape[1]], "maxPooling",
                   "expected x [B, T, C] and mask [B, T], got \(x.shape) and \(mask.shape)")
        let (b, t, c) = (x.shape[0], x.shape[1], x.shape[2])
        let m = mask.scalars
        var winners = [Int](repeating: -1, count: b * c)
        var output = Tensor(zeros: [b, c])
        x.withUnsafeBufferPointer { xv in
            output.withUnsafeMutableBufferPointer { yv in
                for batch in 0..<b {
                    for column in 0..<c {
                        var best = -Float.infinity, winner = -1
                        for token in 0..<t where m[batch * t + token] != 0 {
                            let value = xv[(batch * t + token) * c + column]
                            if value > best { best = value; winner = token }
                        }
                        winners[batch * c + column] = winner
                        yv[batch * c + column] = winner < 0 ? 0 : best
                    }
                }
            }
        }
        return (output, Cache(winners: winners, inputShape: x.shape))
    }

    /// Forward was y_bc = x_{b,t*,c}; so dx_{b,t*,c} = dy_bc and every other position gets 0.
    public static func backward(_ dOut: Tensor, _ cache: Cache) -> Tensor {
        let (b, t, c) = (cache.inputShape[0], cache.inputShape[1], cache.inputShape[2])
        var dX = Tensor(zeros: cache.inputShape)
        dOut.withUnsafeBufferPointer { dyv in
            dX.withUnsafeMutableBufferPointer { dxv in
                for batch in 0..<b {
                    for column in 0..<c {
                        let winner = cache.winners[batch * c + column]
                        if winner >= 0 { dxv[(batch * t + winner) * c + column] = dyv[batch * c + column] }
                    }
                }
            }
        }
        return dX
    }
}

/// The per-feature max over the real tokens: x [B, T, C], mask [B, T] → [B, C].
public func maskedMaxPooling(_ x: Variable, mask: Tensor) -> Variable {
    let (output, cache) = MaskedMaxPoolingOp.forward(x.value, mask: mask)
    return Tape.record(.maxPooling, output: output, inputs: [x]) { dOut in
        [MaskedMaxPoolingOp.backward(dOut, cache)]
    }
}
