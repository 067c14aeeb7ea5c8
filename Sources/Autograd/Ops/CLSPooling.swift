// CLS pooling: the sentence vector is the first token's final hidden state, y_b = x_{b,0}
// (BERT puts [CLS] there). Backward: dx_{b,0} = dy_b, every other position 0. It is a slice
// plus a reshape, so it is built from those two ops and inherits their backward.
// Not handled: a pooler dense + tanh on top (BERT's next-sentence pooler).

import TensorCore

/// The first token of each sequence: x [B, T, C] → [B, C].
public func clsPooling(_ x: Variable) -> Variable {
    checkShape(x.value.rank == 3 && x.shape[1] > 0, "clsPooling", "expected x [B, T, C] with T > 0, got \(x.shape)")
    let first = slice(x, axis: 1, range: 0..<1)          // [B, 1, C]
    return reshape(first, [x.shape[0], x.shape[2]])       // [B, C]
}
