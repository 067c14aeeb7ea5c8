// Splitting the model width into heads and merging them back:
//   split: [B, T, C] → reshape [B, T, H, D] → swap T and H → [B, H, T, D]   (D = C / H)
//   merge: [B, H, T, D] → swap H and T → [B, T, H, D] → reshape [B, T, C]
// Each is the other's inverse, so each one's backward is the other's forward.
// Not handled: grouped-query layouts (H_kv ≠ H).

import TensorCore

/// [B, T, C] → [B, H, T, D].
public func splitHeads(_ x: Variable, heads: Int) -> Variable {
    checkShape(x.value.rank == 3 && heads > 0 && x.shape[2] % heads == 0, "splitHeads",
               "expected [B, T, C] with C divisible by \(heads) heads, got \(x.shape)")
    let (b, t, c) = (x.shape[0], x.shape[1], x.shape[2])
    let output = TransposeOp.forward(x.value.reshaped([b, t, heads, c / heads]), 1, 2)  // [B, H, T, D]
    return Tape.record(.splitHeads, output: output, inputs: [x]) { dOut in
        [TransposeOp.forward(dOut, 1, 2).reshaped([b, t, c])]  // undo: swap back, then merge
    }
}

/// [B, H, T, D] → [B, T, C].
public func mergeHeads(_ x: Variable) -> Variable {
    checkShape(x.value.rank == 4, "mergeHeads", "expected [B, H, T, D], got \(x.shape)")
    let (b, h, t, d) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
    let output = TransposeOp.forward(x.value, 1, 2).reshaped([b, t, h * d])  // [B, T, C]
    return Tape.record(.mergeHeads, output: output, inputs: [x]) { dOut in
        [TransposeOp.forward(dOut.reshaped([b, t, h, d]), 1, 2)]  // undo: split, then swap back
    }
}
