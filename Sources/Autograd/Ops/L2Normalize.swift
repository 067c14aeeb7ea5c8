// L2 normalisation of each row: y = x / max(‖x‖₂, ε) (PyTorch's F.normalize with ε = 1e-12).
// Backward, for rows with ‖x‖ > ε: ∂yᵢ/∂xⱼ = (δᵢⱼ − yᵢyⱼ)/‖x‖, so dx = (dy − y⟨y, dy⟩)/‖x‖.
// For rows at or below ε the map is x/ε, linear, so dx = dy/ε.
// Not handled: other norms.

import CKernels
import TensorCore

/// Row-wise L2 normalisation over the last axis.
public enum L2NormalizeOp: Sendable {
    /// The backward needs the output and each row's (clamped) norm.
    public struct Cache: Sendable {
        public let output: Tensor
        public let norms: [Float]
        public let clamped: [Bool]
    }

    public static func forward(_ x: Tensor, epsilon: Float = 1e-12) -> (output: Tensor, cache: Cache) {
        let columns = x.shape.last ?? 1
        let rows = x.count / max(columns, 1)
        var output = x
        var norms = [Float](repeating: 0, count: rows), clamped = [Bool](repeating: false, count: rows)
        output.withUnsafeMutableBufferPointer { values in
            for row in 0..<rows {
                let line = values.baseAddress! + row * columns
                let norm = te_dot(line, line, columns).squareRoot()
                let divisor = max(norm, epsilon)
                norms[row] = divisor
                clamped[row] = norm <= epsilon
                for column in 0..<columns { line[column] /= divisor }
            }
        }
        return (output, Cache(output: output, norms: norms, clamped: clamped))
    }

    /// Forward was y = x/‖x‖; so dx = (dy − y⟨y, dy⟩)/‖x‖ (or dy/ε where the norm was clamped).
    public static func backward(_ dOut: Tensor, _ cache: Cache) -> Tensor {
        let columns = dOut.shape.last ?? 1
        var dX = dOut
        dX.withUnsafeMutableBufferPointer { dxv in
            cache.output.withUnsafeBufferPointer { yv in
                for row in 0..<cache.norms.count {
                    let dx = dxv.baseAddress! + row * columns, y = yv.baseAddress! + row * columns
                    let inner = cache.clamped[row] ? 0 : te_dot(y, dx, columns)
                    for column in 0..<columns { dx[column] = (dx[column] - y[column] * inner) / cache.norms[row] }
                }
            }
        }
        return dX
    }
}

/// Each row divided by its L2 norm.
public func l2Normalize(_ x: Variable, epsilon: Float = 1e-12) -> Variable {
    let (output, cache) = L2NormalizeOp.forward(x.value, epsilon: epsilon)
    return Tape.record(.l2Normalize, output: output, inputs: [x]) { dOut in
        [L2NormalizeOp.backward(dOut, cache)]
    }
}
