// Parameter: a trainable tensor, its accumulated gradient, and two flags the optimiser reads
// (is it frozen, does weight decay apply). Layers own Parameters; a ForwardContext binds them to
// a tape for one forward pass and adds the tape's gradients back into `gradient` afterwards.
// At inference a Linear layer's weight is used packed for the GEMM; the pack is kept here and
// dropped whenever `value` is assigned or mutated; so is its bfloat16 pack (Precision.bfloat16).
// Not handled: parameter groups with separate learning rates (the optimiser takes one rate).

import Foundation
import TensorCore

/// A trainable tensor with its gradient.
public final class Parameter {
    /// The current value. Optimisers update it in place.
    public var value: Tensor { didSet { packLock.lock(); packed = nil; packedBFloat16 = nil; packLock.unlock() } }
    /// The gradient accumulated since the last `zeroGradient()`, or nil if none arrived.
    public var gradient: Tensor?
    /// When false the parameter is frozen: no gradient is computed for it and optimisers skip it.
    public var requiresGradient: Bool
    /// Whether decoupled weight decay applies (false for biases and LayerNorm, as in BERT).
    public let decays: Bool

    public init(_ value: Tensor, decays: Bool = true, requiresGradient: Bool = true) {
        self.value = value
        self.decays = decays
        self.requiresGradient = requiresGradient
    }

    public var shape: [Int] { value.shape }

    /// The value packed as the Bᵀ operand of x·Wᵀ, made on first use and kept until `value`
    /// changes (or the kernel path does). Linear layers use it at inference.
    /// Safe to call from several threads embedding with one model at once (the pack is made under
    /// a lock, once).
    public func packedTransposed() -> PackedMatrix {
        packLock.lock()
        defer { packLock.unlock() }
        if let packed, packed.isCurrent { return packed }
        let made = PackedMatrix(transposedWeight: value)
        packed = made
        return made
    }

    /// The value rounded to bfloat16 and packed as the Bᵀ operand of x·Wᵀ for products on
    /// `kernelPath`, made on first use under the same lock and kept until `value` changes.
    public func packedTransposedBFloat16(kernelPath: String) -> PackedBFloat16Matrix {
        packLock.lock()
        defer { packLock.unlock() }
        if let packedBFloat16, packedBFloat16.kernelPath == kernelPath { return packedBFloat16 }
        let made = PackedBFloat16Matrix(transposedWeight: value, kernelPath: kernelPath)
        packedBFloat16 = made
        return made
    }

    private var packed: PackedMatrix?
    private var packedBFloat16: PackedBFloat16Matrix?
    private let packLock = NSLock()

    /// Forgets the accumulated gradient (explicit, once per optimiser step).
    public func zeroGradient() {
        gradient = nil
    }

    /// gradient += g (or gradient = g when none has arrived yet).
    public func accumulateGradient(_ g: Tensor) {
        precondition(g.shape == value.shape, "accumulateGradient: gradient \(g.shape) for a parameter of shape \(value.shape)")
        if var existing = gradient {
            gradient = nil
            existing.add(g)
            gradient = existing
        } else {
            gradient = g
        }
    }
}

/// A parameter with its dotted name, as `parameters(prefix:)` returns them.
public struct NamedParameter {
    /// For example "layers.0.attention.query.weight".
    public let name: String
    public let parameter: Parameter

    public init(name: String, parameter: Parameter) {
        self.name = name
        self.parameter = parameter
    }
}
