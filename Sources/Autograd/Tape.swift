// The tape (Wengert list) of reverse-mode automatic differentiation. Every op run on tracked
// variables appends one record: the ids of its inputs, the id of its output, and a closure that
// holds the op's Cache and its hand-written backward. `backward(from:)` walks the records in
// reverse and accumulates (+=) each input's gradient. Reference: Griewank & Walther,
// "Evaluating Derivatives" (2008), ch. 3; micrograd's `backward` for the shape of the idea.
// Not handled: higher-order derivatives (backward runs on plain tensors, not on the tape).

import TensorCore

/// A recording of one forward pass, which `backward(from:)` walks in reverse.
///
/// ```swift
/// let tape = Tape()
/// let w = tape.variable(weight)                  // a leaf whose gradient we want
/// let x = Variable(constant: input)              // not tracked
/// let loss = linear(x, weight: w, bias: nil).sum()
/// tape.backward(from: loss)
/// let dW = tape.gradient(of: w)                  // ∂loss/∂w, same shape as w
/// ```
public final class Tape {
    /// One op application: which nodes it read, which it wrote, and how to send a gradient back.
    struct Record {
        /// The op's name, for error messages and traces.
        let name: String
        /// Node ids of the inputs, in the order `backward` returns their gradients.
        let inputs: [Int]
        /// Node id of the output.
        let output: Int
        /// Given ∂L/∂output, returns ∂L/∂input for each input (nil where an input needs none).
        var backward: ((Tensor) -> [Tensor?])?
    }

    private(set) var records: [Record] = []
    /// Per node: its shape (to check gradients), and whether a gradient must flow to it.
    private var shapes: [[Int]] = []
    private var needsGradient: [Bool] = []
    private var isLeaf: [Bool] = []
    private var retained: Set<Int> = []
    private var gradients: [Int: Tensor] = [:]
    private var hasRunBackward = false

    public init() {}

    /// The number of nodes recorded so far (leaves and op outputs).
    public var nodeCount: Int { shapes.count }
    /// The names of the ops recorded so far, in order.
    public var opNames: [String] { records.map(\.name) }

    // MARK: - Leaves

    /// A leaf variable: its gradient is kept after `backward` (parameters, inputs being probed).
    public func variable(_ value: Tensor) -> Variable {
        let id = newNode(shape: value.shape, needsGradient: true, leaf: true)
        return Variable(value: value, node: id, tape: self)
    }

    /// Keep the gradient of an intermediate variable after `backward` (for traces and teaching);
    /// by default intermediate gradients are freed as soon as they have been sent back.
    public func retainGradient(of variable: Variable) {
        guard let node = variable.node, variable.tape === self else { return }
        retained.insert(node)
    }

    // MARK: - Recording (used by the ops)

    /// Records an op's output. If no input is tracked on this tape, nothing is recorded and the
    /// output is a constant. `op` names the record (one `OpKind` per op). `backward` receives ∂L/∂output and returns one gradient per input.
    static func record(
        _ op: OpKind, output value: Tensor, inputs: [Variable],
        backward: @escaping (Tensor) -> [Tensor?]
    ) -> Variable {
        let name = op.rawValue
        guard let tape = inputs.lazy.compactMap({ $0.tape }).first else {
            return Variable(constant: value)
        }
        for input in inputs where input.tape != nil {
            precondition(input.tape === tape, "\(name): inputs come from two different tapes")
        }
        let needs = inputs.contains { $0.node.map { tape.needsGradient[$0] } ?? false }
        guard needs else { return Variable(constant: value) }
        precondition(!tape.hasRunBackward, "\(name): this tape has already run backward; start a new Tape")
        let output = tape.newNode(shape: value.shape, needsGradient: true, leaf: false)
        tape.records.append(Record(name: name, inputs: inputs.map { $0.node ?? -1 }, output: output, backward: backward))
        return Variable(value: value, node: output, tape: tape)
    }

    private func newNode(shape: [Int], needsGradient: Bool, leaf: Bool) -> Int {
        shapes.append(shape)
        self.needsGradient.append(needsGradient)
        isLeaf.append(leaf)
        return shapes.count - 1
    }

    // MARK: - Backward

    /// Sends gradients from `output` back through every record, accumulating into each input.
    ///
    /// - Parameters:
    ///   - output: usually a scalar loss; its gradient starts as `seed`, or 1 everywhere.
    ///   - seed: ∂L/∂output when `output` is not the loss itself (same shape as `output`).
    /// - Complexity: one backward per record, each about twice its forward's cost.
    public func backward(from output: Variable, seed: Tensor? = nil) {
        guard let start = output.node, output.tape === self else {
            preconditionFailure("backward(from:): the output is not recorded on this tape")
        }
        precondition(!hasRunBackward, "backward(from:): this tape has already run backward")
        hasRunBackward = true
        let initial = seed ?? Tensor(shape: output.value.shape, repeating: 1)
        precondition(initial.shape == output.value.shape,
                     "backward(from:): seed \(initial.shape) does not match the output \(output.value.shape)")
        gradients[start] = initial
        for index in records.indices.reversed() {
            let record = records[index]
            guard let gradOutput = gradients[record.output], let backward = record.backward else { continue }
            if !isLeaf[record.output] && !retained.contains(record.output) {
                gradients[record.output] = nil  // sent back below; nobody reads it again
            }
            records[index].backward = nil  // frees the op's cache
            let inputGradients = backward(gradOutput)
            precondition(inputGradients.count == record.inputs.count,
                         "\(record.name): backward returned \(inputGradients.count) gradients for \(record.inputs.count) inputs")
            for (input, gradient) in zip(record.inputs, inputGradients) {
                guard input >= 0, needsGradient[input], let gradient else { continue }
                precondition(gradient.shape == shapes[input],
                             "\(record.name): gradient \(gradient.shape) for an input of shape \(shapes[input])")
                accumulate(gradient, into: input)
            }
        }
    }

    /// Gradients accumulate: a value used twice receives the sum of both uses' gradients.
    private func accumulate(_ gradient: Tensor, into node: Int) {
        if var existing = gradients[node] {
            gradients[node] = nil  // keep the storage uniquely referenced, so += works in place
            existing.add(gradient)
            gradients[node] = existing
        } else {
            gradients[node] = gradient
        }
    }

    /// ∂L/∂variable after `backward`, or nil if no gradient reached it (or it was freed).
    public func gradient(of variable: Variable) -> Tensor? {
        guard let node = variable.node, variable.tape === self else { return nil }
        return gradients[node]
    }
}
