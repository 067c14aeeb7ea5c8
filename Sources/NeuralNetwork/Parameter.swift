// Parameter: a trainable tensor, its accumulated gradient, and two flags the optimiser reads
// (is it frozen, does weight decay apply). Layers own Parameters; a ForwardContext binds them to
// a tape for one forward pass and adds the tape's gradients back into `gradient` afterwards.
// At inference a Linear layer's weight is used packed for the GEMM; the pack is kept here and
// dropped whenever `value` is assigned or mutated; so is its bfloat16 pack (Precision.bfloat16).
// All of it sits behind one lock (Sendable).
// Not handled: parameter groups with separate learning rates (the optimiser takes one rate).

import Foundation
import TensorCore
import TextInput

/// A trainable tensor with its gradient.
///
/// Sendable: the value, the gradient, the flag and the pack live behind one lock, so a loaded
/// model can embed on many threads at once while nothing writes it. Training writes it from one
/// thread between passes, as before; the lock only makes each read and write whole.
public final class Parameter: Sendable {
    /// The current value. Optimisers update it in place (`updateValue`).
    public var value: Tensor {
        get { state.withLock { $0.value } }
        set { state.withLock { $0.value = newValue; $0.packed = nil; $0.packedBFloat16 = nil } }
    }
    /// The gradient accumulated since the last `zeroGradient()`, or nil if none arrived.
    public var gradient: Tensor? {
        get { state.withLock { $0.gradient } }
        set { state.withLock { $0.gradient = newValue } }
    }
    /// When false the parameter is frozen: no gradient is computed for it and optimisers skip it.
    public var requiresGradient: Bool {
        get { state.withLock { $0.requiresGradient } }
        set { state.withLock { $0.requiresGradient = newValue } }
    }
    /// Whether decoupled weight decay applies (false for biases and LayerNorm, as in BERT).
    public let decays: Bool

    private struct State: Sendable {
        var value: Tensor
        var gradient: Tensor?
        var requiresGradient: Bool
        var packed: PackedMatrix?  // the pack of `value`, made on first use
        var packedBFloat16: PackedBFloat16Matrix?  // its bfloat16 pack, likewise
    }
    private let state: Locked<State>

    public init(_ value: Tensor, decays: Bool = true, requiresGradient: Bool = true) {
        self.decays = decays
        state = Locked(State(value: value, gradient: nil, requiresGradient: requiresGradient, packed: nil, packedBFloat16: nil))
    }

    public var shape: [Int] { value.shape }

    /// Changes the value in place (no copy when nothing else holds it), holding the lock; the pack
    /// is dropped. `body` must not read or write this parameter itself.
    public func updateValue<Result>(_ body: (inout Tensor) throws -> Result) rethrows -> Result {
        try state.withLock { state in
            state.packed = nil
            state.packedBFloat16 = nil
            return try body(&state.value)
        }
    }

    /// The value packed as the Bᵀ operand of x·Wᵀ, made on first use and kept until `value`
    /// changes (or the kernel path does). Linear layers use it at inference.
    /// Safe to call from several threads embedding with one model at once (the pack is made under
    /// the lock, once).
    public func packedTransposed() -> PackedMatrix {
        state.withLock { state in
            if let packed = state.packed, packed.isCurrent { return packed }
            let made = PackedMatrix(transposedWeight: state.value)
            state.packed = made
            return made
        }
    }

    /// The value rounded to bfloat16 and packed as the Bᵀ operand of x·Wᵀ for products on
    /// `kernelPath`, made on first use under the same lock and kept until `value` changes.
    public func packedTransposedBFloat16(kernelPath: String) -> PackedBFloat16Matrix {
        state.withLock { state in
            if let packed = state.packedBFloat16, packed.kernelPath == kernelPath { return packed }
            let made = PackedBFloat16Matrix(transposedWeight: state.value, kernelPath: kernelPath)
            state.packedBFloat16 = made
            return made
        }
    }

    /// Forgets the accumulated gradient (explicit, once per optimiser step).
    public func zeroGradient() {
        gradient = nil
    }

    /// gradient += g (or gradient = g when none has arrived yet).
    public func accumulateGradient(_ g: Tensor) {
        state.withLock { state in
            precondition(g.shape == state.value.shape,
                         "accumulateGradient: gradient \(g.shape) for a parameter of shape \(state.value.shape)")
            if state.gradient == nil {
                state.gradient = g
            } else {
                state.gradient!.add(g)  // in place: the lock's copy is the only one
            }
        }
    }
}

/// A parameter with its dotted name, as `parameters(prefix:)` returns them.
public struct NamedParameter: Sendable {
    /// For example "layers.0.attention.query.weight".
    public let name: String
    public let parameter: Parameter

    public init(name: String, parameter: Parameter) {
        self.name = name
        self.parameter = parameter
    }
}
