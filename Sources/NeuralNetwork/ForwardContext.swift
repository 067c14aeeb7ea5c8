// ForwardContext: everything one forward pass needs besides its inputs: the tape (nil for
// inference), whether dropout is active, the generator dropout draws from, and the bindings
// from Parameters to tape leaves (one leaf per parameter per pass, so a tied parameter used twice
// accumulates both uses on the tape). After `tape.backward`, `accumulateGradients()` adds each
// leaf's gradient into its Parameter. It also carries the optional activation recorder (traces).
// Not handled: several tapes in one pass; mixed precision.

import Autograd
import TensorCore

/// The state of one forward pass: training or inference, the tape, dropout's generator, and traces.
public final class ForwardContext {
    /// The tape gradients are recorded on, or nil for inference (nothing is recorded).
    public let tape: Tape?
    /// Training mode turns dropout on.
    public let isTraining: Bool
    /// Dropout masks come from here.
    public var generator: SeededGenerator
    /// When set, layers hand it their named intermediate values (see `record`).
    public var recorder: ActivationRecorder?

    private var bindings: [ObjectIdentifier: (parameter: Parameter, variable: Variable)] = [:]
    private var bindingOrder: [ObjectIdentifier] = []

    /// Inference: no tape, no dropout.
    public static func inference() -> ForwardContext {
        ForwardContext(tape: nil, isTraining: false, generator: SeededGenerator(seed: 0))
    }

    /// Training: a fresh tape, dropout on, masks from `generator`.
    public static func training(generator: SeededGenerator) -> ForwardContext {
        ForwardContext(tape: Tape(), isTraining: true, generator: generator)
    }

    public init(tape: Tape?, isTraining: Bool, generator: SeededGenerator) {
        self.tape = tape
        self.isTraining = isTraining
        self.generator = generator
    }

    /// The variable standing for `parameter` in this pass: a tape leaf if there is a tape and the
    /// parameter is trainable, a constant otherwise. The same parameter always gets the same leaf.
    public func variable(for parameter: Parameter) -> Variable {
        let key = ObjectIdentifier(parameter)
        if let bound = bindings[key] { return bound.variable }
        let variable: Variable
        if let tape, parameter.requiresGradient {
            variable = tape.variable(parameter.value)
        } else {
            variable = Variable(constant: parameter.value)
        }
        bindings[key] = (parameter, variable)
        bindingOrder.append(key)
        return variable
    }

    /// Whether `parameter` already has a variable in this pass.
    public func isBound(_ parameter: Parameter) -> Bool { bindings[ObjectIdentifier(parameter)] != nil }

    /// Inference with nothing attached: no tape, no dropout, no recorder, no bound parameters.
    /// Such a pass over one sequence does not depend on the rest of the batch, so it may be split
    /// by sequences and run as independent passes.
    public var isPlainInference: Bool { tape == nil && !isTraining && recorder == nil && bindings.isEmpty }

    /// Makes `variable` stand for `parameter` in this pass (for gradient checks and probes that
    /// supply their own leaves). Must be called before the parameter is first used.
    public func bind(_ parameter: Parameter, to variable: Variable) {
        let key = ObjectIdentifier(parameter)
        precondition(bindings[key] == nil, "bind: the parameter is already bound in this pass")
        bindings[key] = (parameter, variable)
        bindingOrder.append(key)
    }

    /// After `tape.backward(from:)`: parameter.gradient += ∂L/∂leaf for every bound parameter.
    public func accumulateGradients() {
        guard let tape else { return }
        for key in bindingOrder {
            guard let bound = bindings[key], let gradient = tape.gradient(of: bound.variable) else { continue }
            bound.parameter.accumulateGradient(gradient)
        }
    }

    /// Hands a named intermediate value to the recorder, if any (traces and teaching views).
    public func record(_ name: String, _ value: Variable) {
        guard let recorder else { return }
        recorder.values.append((name, value))
        tape?.retainGradient(of: value)
    }

    /// Records a plain tensor (for values that are not variables, such as probabilities).
    public func record(_ name: String, tensor: Tensor) {
        recorder?.values.append((name, Variable(constant: tensor)))
    }
}

/// Collects named intermediate values during a forward pass, in order.
public final class ActivationRecorder {
    public var values: [(name: String, variable: Variable)] = []
    public init() {}
}
