// Layer: the small explicit protocol every building block follows. A layer lists the parameters
// it holds itself and its child layers, each under a local name; dotted names, parameter counts
// and the printed tree all follow from those two lists. No reflection, no property wrappers.
// Forward is `callAsFunction` on each concrete layer (its inputs differ: masks, positions).
// Not handled: hooks, buffers that are saved but not trained (they are plain stored properties).

import TensorCore

/// A building block with named parameters and named sub-layers.
///
/// Sendable: layers hold their parameters in `let`s, and `Parameter` guards its state with a
/// lock, so one loaded model can serve concurrent forward passes.
public protocol Layer: AnyObject, Sendable {
    /// Parameters held directly by this layer, by local name: `[("weight", w), ("bias", b)]`.
    var localParameters: [(name: String, parameter: Parameter)] { get }
    /// Sub-layers by local name: `[("query", query), ("key", key)]`.
    var children: [(name: String, layer: any Layer)] { get }
    /// A short summary for the printed tree, e.g. "Linear(256 → 1024)".
    var summary: String { get }
}

extension Layer {
    public var localParameters: [(name: String, parameter: Parameter)] { [] }
    public var children: [(name: String, layer: any Layer)] { [] }

    /// Every parameter in this layer and below, named with dots from `prefix`
    /// (`"layers.0.attention.query.weight"`), in a stable order: own parameters, then children.
    public func parameters(prefix: String = "") -> [NamedParameter] {
        let head = prefix.isEmpty ? "" : prefix + "."
        var result = localParameters.map { NamedParameter(name: head + $0.name, parameter: $0.parameter) }
        for (name, child) in children {
            result += child.parameters(prefix: head + name)
        }
        return result
    }

    /// The number of scalar parameters, counting a shared (tied) parameter once.
    public var parameterCount: Int {
        var seen = Set<ObjectIdentifier>()
        var total = 0
        for named in parameters() where seen.insert(ObjectIdentifier(named.parameter)).inserted {
            total += named.parameter.value.count
        }
        return total
    }

    /// The layer tree with parameter counts, one line per layer:
    /// ```
    /// TransformerEncoder  (1,234,560 parameters)
    ///   embeddings: Embeddings(8000 tokens, 256 wide)  (2,182,400)
    ///   ...
    /// ```
    public func treeDescription(name: String = "", indent: Int = 0) -> String {
        let label = name.isEmpty ? summary : "\(name): \(summary)"
        var text = String(repeating: "  ", count: indent) + label + "  (\(parameterCount.formatted()) parameters)\n"
        for (childName, child) in children {
            text += child.treeDescription(name: childName, indent: indent + 1)
        }
        return text
    }
}

extension Int {
    /// 1234567 → "1,234,567".
    public func formatted() -> String {
        let digits = String(abs(self))
        var grouped = ""
        for (index, character) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped += "," }
            grouped.append(character)
        }
        return (self < 0 ? "-" : "") + grouped
    }
}
