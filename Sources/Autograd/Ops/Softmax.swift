// Softmax over the last axis: yᵢ = exp(xᵢ − m) / Σⱼ exp(xⱼ − m), m = maxⱼ xⱼ (subtracting the
// max changes nothing mathematically and keeps exp from overflowing).
// Backward: the Jacobian is ∂yᵢ/∂xⱼ = yᵢ(δᵢⱼ − yⱼ), so dxᵢ = Σⱼ dyⱼ yⱼ(δᵢⱼ − yᵢ)
//           = yᵢ(dyᵢ − Σⱼ dyⱼyⱼ): one dot product per row, never the T×T Jacobian.
// Not handled: other axes (transpose first), masking (see ScaledDotProductAttention).

import TensorCore

/// y = softmax(x) over the last axis: x [..., C] → y [..., C], each row summing to 1
/// (TensorCore's `softmaxRows`, CKernels' te_softmax_rows over chunks of rows).
public func softmax(_ x: Variable) -> Variable {
    let output = softmaxRows(x.value)
    return Tape.record(.softmax, output: output, inputs: [x]) { dOut in
        // Forward was y = softmax(x); so dx = y ⊙ (dy − ⟨dy, y⟩) row by row (the backward
        // needs only y, which the closure keeps).
        [softmaxRowsBackward(dOut, output: output)]
    }
}
