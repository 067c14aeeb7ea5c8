// Reshape: the same elements in the same order under another shape. Backward reshapes the
// gradient back (∂ of a relabelling is the inverse relabelling). No copy either way.
// Not handled: -1 wildcards (spell the shape out).

import TensorCore

/// x seen with shape `shape` (same element count).
public func reshape(_ x: Variable, _ shape: [Int]) -> Variable {
    let originalShape = x.shape
    let output = x.value.reshaped(shape)
    return Tape.record(.reshape, output: output, inputs: [x]) { dOut in
        [dOut.reshaped(originalShape)]
    }
}
