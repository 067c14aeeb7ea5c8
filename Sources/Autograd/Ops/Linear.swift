// Linear (affine) map with PyTorch's weight layout: y = x·Wᵀ + b, W: [out, in], b: [out].
// Forward is one transposed-B GEMM over all rows of x (any leading shape), with the bias
// written into C first so the GEMM accumulates onto it (β = 1).
// Backward: dX = dY·W, dW = dYᵀ·X, db = Σ_rows dY. Reference: any deep-learning text; llm.c
// `matmul_forward`/`matmul_backward` for the same three products.
// Not handled: weights stored [in, out] (load-time mapping keeps PyTorch's layout).

import TensorCore

/// y = x·Wᵀ + b over the last axis of x.
public enum LinearOp {
    /// What the backward needs: the input rows and the weight.
    public struct Cache {
        public let input: Tensor   // [N, in] (x flattened to rows)
        public let weight: Tensor  // [out, in]
        public let inputShape: [Int]
        public let hasBias: Bool
    }

    /// x: [..., in], W: [out, in], b: [out] or nil → y: [..., out].
    public static func forward(_ x: Tensor, weight: Tensor, bias: Tensor?) -> (output: Tensor, cache: Cache) {
        checkShape(weight.rank == 2 && x.rank >= 1 && x.shape.last == weight.shape[1], "linear",
                   "input \(x.shape) does not fit weight \(weight.shape) ([out, in])")
        let (outFeatures, inFeatures) = (weight.shape[0], weight.shape[1])
        if let bias { checkShape(bias.shape == [outFeatures], "linear", "bias \(bias.shape), expected [\(outFeatures)]") }
        let rows = x.count / max(inFeatures, 1)
        let input = x.reshaped([rows, inFeatures])                 // [N, in]
        var output = Tensor(uninitializedShape: [rows, outFeatures]) // [N, out]
        output.withUnsafeMutableBufferPointer { out in
            if let bias {
                bias.withUnsafeBufferPointer { b in
                    for row in 0..<rows { (out.baseAddress! + row * outFeatures).update(from: b.baseAddress!, count: outFeatures) }
                }
            }
            input.withUnsafeBufferPointer { xValues in
                weight.withUnsafeBufferPointer { w in
                    gemm(transposeA: false, transposeB: true, m: rows, n: outFeatures, k: inFeatures,
                         a: xValues.baseAddress!, lda: inFeatures, b: w.baseAddress!, ldb: inFeatures,
                         beta: bias == nil ? 0 : 1, c: out.baseAddress!, ldc: outFeatures)
                }
            }
        }
        let outputShape = Array(x.shape.dropLast()) + [outFeatures]
        return (output.reshaped(outputShape),
                Cache(input: input, weight: weight, inputShape: x.shape, hasBias: bias != nil))
    }

    /// Forward was y = x·Wᵀ + b; so
    ///   dX = dY·W        ([N, out]·[out, in] → [N, in])
    ///   dW = dYᵀ·X       ([out, N]·[N, in] → [out, in])
    ///   db = Σ_rows dY   (b was added to every row)
    public static func backward(_ dOut: Tensor, _ cache: Cache) -> (dX: Tensor, dWeight: Tensor, dBias: Tensor?) {
        let outFeatures = cache.weight.shape[0]
        let dY = dOut.reshaped([cache.input.shape[0], outFeatures])  // [N, out]
        let dX = matmul(dY, cache.weight).reshaped(cache.inputShape)  // [N, in]
        let dWeight = matmul(dY, cache.input, transposeA: true)       // [out, in]
        let dBias = cache.hasBias ? dY.sum(alongAxis: 0) : nil        // [out]
        return (dX, dWeight, dBias)
    }
}

/// y = x·Wᵀ + b, recorded on the tape when any input is tracked.
///
/// ```swift
/// let hidden = linear(x, weight: w, bias: b)   // x [B, T, 256], w [1024, 256] → [B, T, 1024]
/// ```
public func linear(_ x: Variable, weight: Variable, bias: Variable?) -> Variable {
    let (output, cache) = LinearOp.forward(x.value, weight: weight.value, bias: bias?.value)
    let inputs = [x, weight] + (bias.map { [$0] } ?? [])
    return Tape.record("linear", output: output, inputs: inputs) { dOut in
        let (dX, dWeight, dBias) = LinearOp.backward(dOut, cache)
        return [dX, dWeight] + (cache.hasBias ? [dBias] : [])
    }
}
