// Elementwise power with a constant exponent: y = xᵖ, and adding a constant: y = x + s.
// Backward: dx = dy · p·xᵖ⁻¹ for the power, dx = dy for the shift. With them (and matmul by
// constant matrices for broadcasting) LayerNorm can be composed from primitives, which is how
// the fused LayerNorm is checked (Tests/AutogradTests/CompositionTests.swift).
// Not handled: negative bases with non-integer exponents (NaN, as in PyTorch).

import Foundation
import TensorCore

/// y = xᵖ elementwise, for a constant p.
public func power(_ x: Variable, _ exponent: Float) -> Variable {
    let input = x.value
    let output = input.map { Foundation.pow($0, exponent) }
    return Tape.record(.power, output: output, inputs: [x]) { dOut in
        // Forward was y = xᵖ; so dx = dy · p · xᵖ⁻¹.
        [dOut.multiplying(input.map { exponent * Foundation.pow($0, exponent - 1) })]
    }
}

/// y = x + s elementwise, for a constant s.
public func shift(_ x: Variable, by constant: Float) -> Variable {
    let output = x.value.map { $0 + constant }
    return Tape.record(.shift, output: output, inputs: [x]) { dOut in
        [dOut]  // ∂(x + s)/∂x = 1
    }
}
