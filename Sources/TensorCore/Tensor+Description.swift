// How a Tensor prints: the shape first, then the values nested by axis, numpy-style, with long
// axes elided in the middle ("…") so that a [32, 128, 256] tensor still prints in a few lines.
// Not handled: configurable precision or line width.

extension Tensor: CustomStringConvertible {
    /// For example `Tensor [2, 3]\n[[1, 2, 3],\n [4, 5, 6]]`.
    public var description: String {
        "Tensor \(shape)\n" + formatted(edgeItems: 3)
    }

    /// The values nested by axis, showing at most `edgeItems` at each end of a long axis.
    public func formatted(edgeItems: Int = 3) -> String {
        if rank == 0 { return Tensor.format(storage.pointer[0]) }
        var result = ""
        appendAxis(0, offset: 0, indent: 1, edgeItems: edgeItems, into: &result)
        return result
    }

    private func appendAxis(_ axis: Int, offset: Int, indent: Int, edgeItems: Int, into result: inout String) {
        let extent = shape[axis]
        let stride = shape[(axis + 1)...].reduce(1, *)
        let shown: [Int?] =
            extent > 2 * edgeItems
            ? Array(0..<edgeItems) + [nil] + Array((extent - edgeItems)..<extent)
            : Array(0..<extent)
        result += "["
        for (position, index) in shown.enumerated() {
            if position > 0 {
                result += axis == rank - 1 ? ", " : ",\n" + String(repeating: " ", count: indent)
            }
            guard let index else {
                result += "…"
                continue
            }
            if axis == rank - 1 {
                result += Tensor.format(storage.pointer[offset + index])
            } else {
                appendAxis(axis + 1, offset: offset + index * stride, indent: indent + 1,
                           edgeItems: edgeItems, into: &result)
            }
        }
        result += "]"
    }

    static func format(_ value: Float) -> String {
        if value == value.rounded() && abs(value) < 1e7 { return String(Int(value)) }
        let text = "\(value)"
        return text
    }
}
