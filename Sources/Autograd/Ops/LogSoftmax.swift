// Log-softmax over the last axis: yᵢ = xᵢ − log Σⱼ exp(xⱼ), computed as (xᵢ − m) − log Σⱼ exp(xⱼ − m).
// Backward: ∂yᵢ/∂xⱼ = δᵢⱼ − softmax(x)ⱼ, so dxⱼ = dyⱼ − softmax(x)ⱼ · Σᵢ dyᵢ, and
// softmax(x) = exp(y) is recovered from the cached output.
// Not handled: other axes.

import TensorCore

/// y = log softmax(x) over the last axis: x [..., C] → y [..., C] (TensorCore's
/// `logSoftmaxRows`, CKernels' te_log_softmax_rows).
public func logSoftmax(_ x: Variable) -> Variable {
    let output = logSoftmaxRows(x.value)
    return Tape.record(.logSoftmax, output: output, inputs: [x]) { dOut in
        // Forward was y = x − logsumexp(x); so dx = dy − exp(y)·Σ dy row by row (softmax(x) =
        // exp(y) comes from the kept output).
        [logSoftmaxRowsBackward(dOut, output: output)]
    }
}
