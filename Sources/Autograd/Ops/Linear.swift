// Linear (affine) map with PyTorch's weight layout: y = x·Wᵀ + b, W: [out, in], b: [out].
// Forward is one transposed-B GEMM over all rows of x (any leading shape). With a bias, W is
// packed for the call and the bias goes into each tile of C just before the kernel adds onto it
// (β = 1), so C gets no pass of its own; at inference the weight comes packed once for good
// (`PackedMatrix`, kept by the Parameter), which saves even that packing.
// Backward: dX = dY·W, dW = dYᵀ·X, db = Σ_rows dY. Reference: any deep-learning text; llm.c
// `matmul_forward`/`matmul_backward` for the same three products.
// Under `Precision.bfloat16` inference multiplies a bfloat16 pack instead (`gemmBFloat16`).
// Not handled: weights stored [in, out] (load-time mapping keeps PyTorch's layout).

import TensorCore

/// y = x·Wᵀ + b over the last axis of x.
public enum LinearOp: Sendable {
    /// What the backward needs: the input rows and the weight.
    public struct Cache: Sendable {
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
        let outputShape = Array(x.shape.dropLast()) + [outFeatures]
        let cache = Cache(input: input, weight: weight, inputShape: x.shape, hasBias: bias != nil)
        if let bias {
            // W packed for this call, the bias written into each tile just before the kernel adds
            // onto it (the inference path below): no pass over the output first.
            return (forward(input, packedWeight: PackedMatrix(transposedWeight: weight), bias: bias).reshaped(outputShape), cache)
        }
        var output = Tensor(uninitializedShape: [rows, outFeatures])
        withPointers(reading: input, weight, writing: &output) { read, out in
            // y = x·Wᵀ                                              [N, in]·[in, out] → [N, out]
            gemm(Rows(read[0], stride: inFeatures), times: Rows(read[1], stride: inFeatures), transposeB: true,
                 into: MutableRows(out, stride: outFeatures), m: rows, n: outFeatures, k: inFeatures)
        }
        return (output.reshaped(outputShape), cache)
    }

    /// Inference: the same y = x·Wᵀ + b with W packed beforehand (`PackedMatrix(transposedWeight:)`,
    /// bit-identical to `forward`), and nothing kept for a backward pass.
    public static func forward(_ x: Tensor, packedWeight: PackedMatrix, bias: Tensor?) -> Tensor {
        // The bias is copied into each block of rows by the thread that multiplies it.
        packedProduct(x, outFeatures: packedWeight.n, inFeatures: packedWeight.k, bias: bias) { rows, xValues, b, out in
            gemm(transposeA: false, m: rows, a: xValues, lda: packedWeight.k, packedB: packedWeight,
                 rowBias: b, c: out, ldc: packedWeight.n)
        }
    }

    /// Inference in bfloat16: y = bf16(x)·bf16(W)ᵀ + b, summed in float32
    /// (`gemmBFloat16`; W rounded and packed once, x rounded per call).
    public static func forward(_ x: Tensor, packedBFloat16 packedWeight: PackedBFloat16Matrix, bias: Tensor?) -> Tensor {
        packedProduct(x, outFeatures: packedWeight.n, inFeatures: packedWeight.k, bias: bias) { rows, xValues, b, out in
            gemmBFloat16(m: rows, a: xValues, lda: packedWeight.k, packedB: packedWeight,
                         rowBias: b, c: out, ldc: packedWeight.n)
        }
    }

    /// The shape checks and pointers both packed forwards share: `multiply(rows, x, bias?, y)`
    /// writes y = x·Wᵀ (+ b) for x [rows, in] into y [rows, out].
    private static func packedProduct(
        _ x: Tensor, outFeatures: Int, inFeatures: Int, bias: Tensor?,
        multiply: (Int, UnsafePointer<Float>, UnsafePointer<Float>?, UnsafeMutablePointer<Float>) -> Void
    ) -> Tensor {
        checkShape(x.rank >= 1 && x.shape.last == inFeatures, "linear",
                   "input \(x.shape) does not fit the packed weight [\(outFeatures), \(inFeatures)]")
        if let bias { checkShape(bias.shape == [outFeatures], "linear", "bias \(bias.shape), expected [\(outFeatures)]") }
        let rows = x.count / max(inFeatures, 1)
        var output = Tensor(uninitializedShape: [rows, outFeatures])
        output.withUnsafeMutableBufferPointer { out in
            x.withUnsafeBufferPointer { xValues in
                if let bias {
                    bias.withUnsafeBufferPointer { b in multiply(rows, xValues.baseAddress!, b.baseAddress!, out.baseAddress!) }
                } else {
                    multiply(rows, xValues.baseAddress!, nil, out.baseAddress!)
                }
            }
        }
        return output.reshaped(Array(x.shape.dropLast()) + [outFeatures])
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
    return Tape.record(.linear, output: output, inputs: inputs) { dOut in
        let (dX, dWeight, dBias) = LinearOp.backward(dOut, cache)
        return [dX, dWeight] + (cache.hasBias ? [dBias] : [])
    }
}
