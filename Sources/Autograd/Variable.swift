// Variable: a tensor value plus, when it is tracked, its node on a Tape. Ops take Variables and
// return Variables; when none of an op's inputs is tracked, nothing is recorded, so inference
// runs the same code with no tape and keeps no caches.
// Not handled: in-place mutation of a recorded value (values are immutable once recorded).

import TensorCore

/// A value in a computation, tracked on a tape (for gradients) or constant.
public struct Variable {
    /// The forward value.
    public let value: Tensor
    /// The node id on `tape`, or nil for a constant.
    public let node: Int?
    /// The tape this variable is recorded on, or nil for a constant.
    public let tape: Tape?

    init(value: Tensor, node: Int, tape: Tape) {
        self.value = value
        self.node = node
        self.tape = tape
    }

    /// An untracked value: no gradient flows to it, and ops on constants only record nothing.
    public init(constant value: Tensor) {
        self.value = value
        self.node = nil
        self.tape = nil
    }

    /// The shape of the value.
    public var shape: [Int] { value.shape }
    /// Whether gradients flow to this variable.
    public var isTracked: Bool { tape != nil }
}

extension Variable: CustomStringConvertible {
    public var description: String {
        (node.map { "Variable #\($0) " } ?? "Constant ") + value.description
    }
}

/// Checks that a shape is what an op expects, printing what arrived.
@inline(__always)
func checkShape(_ condition: Bool, _ op: String, _ message: @autoclosure () -> String) {
    precondition(condition, "\(op): \(message())")
}
