// Markup: the few pieces every SVG and HTML writer here needs — escaping text for XML, printing
// numbers compactly and deterministically, and an append-only SVG buffer with element helpers.
// Output is well-formed XML (the tests parse it with Foundation's XMLParser).
// Reference: the SVG 1.1 specification (elements rect, line, path, text, g, linearGradient).
// Not handled: CSS beyond inline attributes, text measurement (label widths are estimated from
// character counts with `Markup.textWidth`).

import Foundation

/// XML escaping and number formatting.
public enum Markup: Sendable {
    /// Escapes &, <, >, " and ' so `text` can go into element content or a quoted attribute.
    /// Control characters other than tab, newline and carriage return are dropped (XML forbids them).
    public static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || (scalar.value >= 0xFFFE && scalar.value <= 0xFFFF) { continue }
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    /// A coordinate or size with at most two decimals and no trailing zeros ("12", "3.5", "0.25").
    public static func number(_ value: Double) -> String {
        guard value.isFinite else { return "0" }
        let rounded = (value * 100).rounded() / 100
        if rounded == rounded.rounded() && abs(rounded) < 1e15 { return String(Int(rounded)) }
        var text = String(format: "%.2f", rounded)
        while text.hasSuffix("0") { text.removeLast() }
        return text
    }

    /// A data value for a tooltip or label, with `digits` significant digits ("0.0123", "1.5e-05").
    public static func value(_ value: Double, digits: Int = 3) -> String {
        guard value.isFinite else { return value.isNaN ? "NaN" : (value > 0 ? "∞" : "−∞") }
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e-3 && magnitude < 1e6 {
            let decimals = max(0, digits - 1 - Int(floor(log10(magnitude))))
            var text = String(format: "%.\(decimals)f", value)
            if text.contains(".") {
                while text.hasSuffix("0") { text.removeLast() }
                if text.hasSuffix(".") { text.removeLast() }
            }
            return text
        }
        return String(format: "%.\(max(digits - 1, 0))e", value)
    }

    /// An estimate of a text's width in pixels at `fontSize` in a sans-serif font (0.6 em per
    /// character, the average of Latin text; wide scripts count double).
    public static func textWidth(_ text: String, fontSize: Double) -> Double {
        var units = 0.0
        for scalar in text.unicodeScalars { units += scalar.value >= 0x1100 ? 1.0 : 0.6 }
        return units * fontSize
    }

    /// `text` cut to at most `limit` characters, with "…" marking the cut.
    public static func shortened(_ text: String, to limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(max(limit - 1, 1))) + "…"
    }
}

/// An SVG document being written: elements are appended in drawing order.
///
/// ```swift
/// var svg = SVGCanvas(width: 200, height: 100)
/// svg.rect(x: 10, y: 10, width: 50, height: 20, fill: "#3366cc")
/// svg.text("hello", x: 10, y: 60)
/// let text = svg.finished()      // "<?xml …><svg …>…</svg>"
/// ```
public struct SVGCanvas: Sendable {
    public let width: Double
    public let height: Double
    private var body: String = ""
    private var definitions: String = ""

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// Appends raw, already well-formed markup.
    public mutating func raw(_ markup: String) { body += markup }

    /// Appends a definition (gradients, markers) to `<defs>`.
    public mutating func define(_ markup: String) { definitions += markup }

    public mutating func rect(x: Double, y: Double, width: Double, height: Double, fill: String,
                              stroke: String? = nil, attributes: String = "", title: String? = nil) {
        body += "<rect x=\"\(Markup.number(x))\" y=\"\(Markup.number(y))\" width=\"\(Markup.number(width))\" height=\"\(Markup.number(height))\" fill=\"\(fill)\""
        if let stroke { body += " stroke=\"\(stroke)\"" }
        if !attributes.isEmpty { body += " " + attributes }
        if let title { body += "><title>\(Markup.escape(title))</title></rect>" } else { body += "/>" }
    }

    public mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1, attributes: String = "") {
        body += "<line x1=\"\(Markup.number(x1))\" y1=\"\(Markup.number(y1))\" x2=\"\(Markup.number(x2))\" y2=\"\(Markup.number(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(Markup.number(width))\"\(attributes.isEmpty ? "" : " " + attributes)/>"
    }

    /// A polyline through `points` (nothing for fewer than two).
    public mutating func polyline(_ points: [(x: Double, y: Double)], stroke: String, width: Double = 1.5, dashed: Bool = false) {
        guard points.count >= 2 else { return }
        let coordinates = points.map { "\(Markup.number($0.x)),\(Markup.number($0.y))" }.joined(separator: " ")
        body += "<polyline points=\"\(coordinates)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(Markup.number(width))\" stroke-linejoin=\"round\"\(dashed ? " stroke-dasharray=\"6 4\"" : "")/>"
    }

    public mutating func circle(x: Double, y: Double, radius: Double, fill: String) {
        body += "<circle cx=\"\(Markup.number(x))\" cy=\"\(Markup.number(y))\" r=\"\(Markup.number(radius))\" fill=\"\(fill)\"/>"
    }

    /// Text at (x, y) (the baseline); `anchor` is start, middle or end; `rotation` in degrees about (x, y).
    public mutating func text(_ content: String, x: Double, y: Double, size: Double = 12, anchor: String = "start",
                              rotation: Double = 0, weight: String? = nil, fill: String = "#222", attributes: String = "") {
        body += "<text x=\"\(Markup.number(x))\" y=\"\(Markup.number(y))\" font-size=\"\(Markup.number(size))\" text-anchor=\"\(anchor)\" fill=\"\(fill)\""
        if rotation != 0 { body += " transform=\"rotate(\(Markup.number(rotation)) \(Markup.number(x)) \(Markup.number(y)))\"" }
        if let weight { body += " font-weight=\"\(weight)\"" }
        if !attributes.isEmpty { body += " " + attributes }
        body += ">\(Markup.escape(content))</text>"
    }

    /// The complete document.
    public func finished() -> String {
        var result = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        result += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Markup.number(width))\" height=\"\(Markup.number(height))\" viewBox=\"0 0 \(Markup.number(width)) \(Markup.number(height))\" font-family=\"DejaVu Sans, Helvetica, Arial, sans-serif\">\n"
        if !definitions.isEmpty { result += "<defs>\(definitions)</defs>\n" }
        result += "<rect x=\"0\" y=\"0\" width=\"\(Markup.number(width))\" height=\"\(Markup.number(height))\" fill=\"#ffffff\"/>\n"
        result += body
        result += "\n</svg>\n"
        return result
    }
}
