// Adding a bias vector b [C] to every row of x [..., C]: the one broadcast the encoder uses,
// spelled out. Forward: yᵢ = xᵢ + b for every row i. Backward: dx = dy, db = Σᵢ dyᵢ.
// Not handled: broadcasting over any axis but the last.

import TensorCore

/// y = x + b, with b [C] broadcast over the rows of x [..., C].
public func addBias(_ x: Variable, _ bias: Variable) -> Variable {
    checkShape(bias.shape == [x.shape.last ?? 0], "addBias", "bias \(bias.shape) does not fit \(x.shape)")
    let output = x.value.addingBias(bias.value)
    let columns = bias.shape[0]
    return Tape.record(.addBias, output: output, inputs: [x, bias]) { dOut in
        // b was added to every row, so its gradient is the sum of the rows of dy.
        let dBias = dOut.reshaped([dOut.count / max(columns, 1), columns]).sum(alongAxis: 0)
        return [dOut, dBias]
    }
}
