// Elementwise add, subtract and multiply of same-shape tensors, and scaling by a constant.
// Forward/backward pairs (z = f(x, y)):
//   z = x + y: dx = dz,      dy = dz
//   z = x − y: dx = dz,      dy = −dz
//   z = x ⊙ y: dx = dz ⊙ y,  dy = dz ⊙ x
//   z = s·x:   dx = s·dz
// Not handled: broadcasting (see AddBias for the one broadcast the encoder needs).

import TensorCore

/// z = x + y.
public func add(_ x: Variable, _ y: Variable) -> Variable {
    let output = x.value.adding(y.value)
    return Tape.record(.add, output: output, inputs: [x, y]) { dOut in
        [dOut, dOut]  // ∂z/∂x = ∂z/∂y = 1
    }
}

/// z = x − y.
public func subtract(_ x: Variable, _ y: Variable) -> Variable {
    let output = x.value.subtracting(y.value)
    return Tape.record(.subtract, output: output, inputs: [x, y]) { dOut in
        [dOut, dOut.scaled(by: -1)]  // ∂z/∂y = −1
    }
}

/// z = x ⊙ y (elementwise product).
public func multiply(_ x: Variable, _ y: Variable) -> Variable {
    let (a, b) = (x.value, y.value)
    let output = a.multiplying(b)
    return Tape.record(.multiply, output: output, inputs: [x, y]) { dOut in
        [dOut.multiplying(b), dOut.multiplying(a)]  // ∂(xy)/∂x = y, ∂(xy)/∂y = x
    }
}

/// z = s·x for a constant s.
public func scale(_ x: Variable, by factor: Float) -> Variable {
    let output = x.value.scaled(by: factor)
    return Tape.record(.scale, output: output, inputs: [x]) { dOut in
        [dOut.scaled(by: factor)]
    }
}

public func + (lhs: Variable, rhs: Variable) -> Variable { add(lhs, rhs) }
public func - (lhs: Variable, rhs: Variable) -> Variable { subtract(lhs, rhs) }
public func * (lhs: Variable, rhs: Variable) -> Variable { multiply(lhs, rhs) }
public func * (lhs: Float, rhs: Variable) -> Variable { scale(rhs, by: lhs) }
