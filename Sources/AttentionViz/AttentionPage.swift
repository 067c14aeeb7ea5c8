// AttentionPage: one self-contained HTML file for exploring attention in a browser, offline: the
// data, CSS and script are inline (no external scripts, fonts or images). It offers a layer and
// head selector (or the mean of the heads), three views — bertviz-style lines between a query
// column and a key column, the T × T matrix on a canvas, and the tokens laid out as text — where
// hovering (or clicking, to pin) a token shows what it attends to, a per-head entropy table, and
// with masked positions the gradients ∂L/∂P and ∂L/∂S. The URL fragment
// (#layer=1&head=2&view=matrix&token=3&show=p) selects the state and is kept up to date.
// Long inputs stay usable: views scroll, lines below a threshold are hidden, the matrix is one
// canvas, and probabilities travel as √p quantised to 16 (or, above 4M values, 8) bits.
// The file is also well-formed XML (scripts in CDATA), which the structural tests check.
// Reference: Vig (2019), bertviz's head view, for the lines view.
// Not handled: comparing two texts side by side; neuron (query/key vector) views.

import Encoder
import Foundation
import TensorCore

/// A self-contained interactive HTML page of a text's attention.
///
/// ```swift
/// let internals = try AttentionInternals.capture(embedder: embedder, text: "The cat sat on the mat.")
/// try AttentionPage(internals, title: "tinyencoder-small").write(to: URL(fileURLWithPath: "attention.html"))
/// ```
public struct AttentionPage: Sendable {
    public let internals: AttentionInternals
    /// Shown in the header (for example the model folder's name).
    public var title: String
    /// The text the tokens came from, when known.
    public var text: String?
    /// The view and head the page opens with (the URL fragment overrides them).
    public var initialLayer = 0
    public var initialHead: Int? = 0
    public var initialView = "lines"

    /// Up to this many probabilities travel as 16-bit values, above as 8-bit.
    public static let sixteenBitLimit = 4 << 20

    public init(_ internals: AttentionInternals, title: String = "", text: String? = nil) {
        self.internals = internals
        self.title = title
        self.text = text
    }

    /// Writes `html()` atomically.
    public func write(to url: URL) throws {
        try AtomicFile.write(Data(html().utf8), to: url)
    }

    // MARK: - Document

    /// The complete page.
    /// - Complexity: O(L·H·T²) to encode the probabilities.
    public func html() -> String {
        let l = internals.layerCount, h = internals.headCount, t = internals.tokenCount
        let width = internals.layers.first?.heads.first?.width ?? 0
        var page = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
        page += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n"
        page += "<title>\(Markup.escape("Attention — " + Markup.shortened(text ?? internals.labels.joined(separator: " "), to: 60)))</title>\n"
        page += "<style>/*<![CDATA[*/\n\(AttentionPageAssets.style)\n/*]]>*/</style>\n</head>\n"
        page += "<body data-layer=\"\(initialLayer)\" data-head=\"\(initialHead.map(String.init) ?? "mean")\" data-view=\"\(initialView)\">\n"

        // Header: the text and the model's facts.
        page += "<header>\n<h1>Attention inside the encoder\(title.isEmpty ? "" : " · " + Markup.escape(title))</h1>\n"
        if let text {
            let shown = text.count > 400 ? String(text.prefix(400)) + " … (\(text.count) characters)" : text
            page += "<p class=\"source\">“\(Markup.escape(shown))”</p>\n"
        }
        var facts = "\(l) layers · \(h) heads per layer · D = \(width) per head · T = \(t) tokens"
        if let loss = internals.loss {
            facts += " · masked-LM loss \(Markup.value(Double(loss), digits: 4)) at " + internals.maskedPositions.map { "\(internals.labels[$0]) (\($0))" }.joined(separator: ", ")
        }
        page += "<p class=\"facts\">\(Markup.escape(facts))</p>\n</header>\n"

        // Controls.
        page += "<nav id=\"controls\">\n<label>Layer <select id=\"layer\">"
        for layer in 0..<l { page += "<option value=\"\(layer)\"\(layer == initialLayer ? " selected=\"selected\"" : "")>\(layer)</option>" }
        page += "</select></label>\n<label>Head <select id=\"head\">"
        for head in 0..<h { page += "<option value=\"\(head)\"\(head == initialHead ? " selected=\"selected\"" : "")>\(head)</option>" }
        page += "<option value=\"mean\"\(initialHead == nil ? " selected=\"selected\"" : "")>mean of heads</option></select></label>\n"
        page += "<span class=\"views\" role=\"group\" aria-label=\"view\">"
        for view in ["lines", "matrix", "text"] {
            page += "<button type=\"button\" data-view=\"\(view)\"\(view == initialView ? " class=\"active\"" : "")>\(view)</button>"
        }
        page += "</span>\n<label title=\"lines and highlights below this weight are not drawn\">hide below <input id=\"threshold\" type=\"range\" min=\"0\" max=\"0.5\" step=\"0.01\" value=\"0.02\"/> <output id=\"threshold-value\">0.02</output></label>\n"
        if internals.layers.first?.heads.first?.gradients != nil {
            page += "<label>matrix shows <select id=\"show\"><option value=\"p\">P (probabilities)</option>"
            page += "<option value=\"dp\">∂L/∂P</option><option value=\"ds\">∂L/∂S</option></select></label>\n"
        }
        page += "</nav>\n<p id=\"status\" role=\"status\">layer \(initialLayer) · head \(initialHead.map(String.init) ?? "mean") · \(initialView) view</p>\n"

        // Views.
        page += "<main>\n<div id=\"views\">\n"
        page += "<section id=\"view-lines\" class=\"view\"><p class=\"hint\">Left: each token as a query. Right: each token as a key. A line's darkness is the weight the left token puts on the right one (relative to the legend). Hover (or click to pin) a token.</p>"
        page += "<div class=\"scroll lines-scroll\"><div class=\"lines\"><div class=\"column queries\">"
        for (index, label) in internals.labels.enumerated() { page += tokenDiv(label, index: index, side: "query") }
        page += "</div><canvas id=\"lines-canvas\" width=\"260\" height=\"\(max(t, 1) * 20)\"></canvas><div class=\"column keys\">"
        for (index, label) in internals.labels.enumerated() { page += tokenDiv(label, index: index, side: "key") }
        page += "</div></div></div></section>\n"
        page += "<section id=\"view-matrix\" class=\"view\"><p class=\"hint\">Row = query (attends), column = key (attended to); when the names do not fit, the axes give token positions. Hover a cell; click a row to pin it.</p>"
        page += "<div class=\"scroll matrix-scroll\"><canvas id=\"matrix-canvas\" width=\"10\" height=\"10\"></canvas></div></section>\n"
        page += "<section id=\"view-text\" class=\"view\"><p class=\"hint\">Hover a token: the others are shaded by how much it attends to them.</p><div id=\"text-tokens\" class=\"scroll\">"
        for (index, label) in internals.labels.enumerated() {
            let space = index < internals.spaceBefore.count && internals.spaceBefore[index] ? " " : ""
            page += "\(space)<span class=\"token\(internals.maskedPositions.contains(index) ? " masked-token" : "")\" data-index=\"\(index)\" data-side=\"text\">\(Markup.escape(label))</span>"
        }
        page += "</div></section>\n"
        page += "<div class=\"legend\"><span id=\"legend-caption\">weight</span><span id=\"legend-low\">0</span><span id=\"legend-bar\"></span><span id=\"legend-high\">1</span>"
        page += "<span id=\"legend-note\" class=\"hint\">(shading runs from 0 to the head's largest weights, rounded up)</span></div>\n</div>\n<aside id=\"focus\"><p class=\"hint\">Hover or click a token to see what it attends to.</p></aside>\n</main>\n"

        // Entropy summary.
        page += entropyTable()
        page += "<footer><p>Made by <code>tinyencoder attention</code>. P = softmax(QKᵀ/√D) per head; row i is what token i attends to and sums to 1. "
        page += "The page is self-contained: it needs no network.</p></footer>\n"

        page += "<script type=\"application/json\" id=\"attention-data\">\(dataJSON())</script>\n"
        page += "<script>//<![CDATA[\n\(AttentionPageAssets.script)\n//]]></script>\n</body>\n</html>\n"
        return page
    }

    private func tokenDiv(_ label: String, index: Int, side: String) -> String {
        let masked = internals.maskedPositions.contains(index) ? " masked-token" : ""
        return "<div class=\"token\(masked)\" data-index=\"\(index)\" data-side=\"\(side)\" title=\"\(index)\">\(Markup.escape(Markup.shortened(label, to: 24)))</div>"
    }

    /// Rows = layers, columns = heads; each cell the mean entropy in bits, darker = more focused.
    private func entropyTable() -> String {
        let t = internals.tokenCount
        let maximum = log2(Double(max(t, 1)))
        let scale = ColorScale.sequential(domain: 0...max(maximum, 1e-9))
        var html = "<section id=\"entropy-section\">\n<h2>Entropy per head</h2>\n"
        html += "<p class=\"hint\">Mean over queries of −Σ P log₂ P, in bits. 0 = every token attends to one token; \(Markup.value(maximum)) = log₂ \(t) = spread evenly over all \(t). Darker = more focused. Click a cell to show that head.</p>\n"
        html += "<table id=\"entropy\"><thead><tr><th>layer</th>"
        for head in 0..<internals.headCount { html += "<th>head \(head)</th>" }
        html += "</tr></thead><tbody>"
        for layer in internals.layers {
            html += "<tr><th>\(layer.index)</th>"
            for head in layer.heads {
                let entropy = head.meanEntropy
                let shade = maximum - entropy  // focused heads dark
                let ink = scale.prefersLightText(shade) ? "#ffffff" : "#111111"
                html += "<td class=\"entropy-cell\" data-layer=\"\(layer.index)\" data-head=\"\(head.index)\" style=\"background:\(scale.hex(shade));color:\(ink)\">\(Markup.value(entropy, digits: 3))</td>"
            }
            html += "</tr>"
        }
        return html + "</tbody></table>\n</section>\n"
    }

    // MARK: - Data

    /// The JSON the script reads. `<`, `>` and `&` are written as \u escapes so the JSON can sit
    /// inside a script element and inside XML.
    func dataJSON() -> String {
        let l = internals.layerCount, h = internals.headCount, t = internals.tokenCount
        let values = l * h * t * t
        let sixteen = values <= Self.sixteenBitLimit
        var bytes = [UInt8]()
        bytes.reserveCapacity(values * (sixteen ? 2 : 1))
        for layer in internals.layers {
            for head in layer.heads {
                for p in head.probabilities.values {
                    let root = Double(max(min(p, 1), 0)).squareRoot()
                    if sixteen {
                        let q = UInt16((root * 65535).rounded())
                        bytes.append(UInt8(q & 0xFF))
                        bytes.append(UInt8(q >> 8))
                    } else {
                        bytes.append(UInt8((root * 255).rounded()))
                    }
                }
            }
        }
        var object: [(String, String)] = [
            ("layers", "\(l)"), ("heads", "\(h)"), ("tokens", "\(t)"),
            ("width", "\(internals.layers.first?.heads.first?.width ?? 0)"),
            ("labels", jsonArray(internals.labels.map(jsonString))),
            ("rawTokens", jsonArray(internals.tokens.map(jsonString))),
            ("masked", jsonArray(internals.maskedPositions.map(String.init))),
            ("entropy", jsonArray(internals.layers.map { layer in jsonArray(layer.heads.map { String(format: "%.6f", $0.meanEntropy) }) })),
            ("encoding", jsonString(sixteen ? "sqrt-u16le" : "sqrt-u8")),
            ("probabilities", jsonString(Data(bytes).base64EncodedString())),
            ("sequential", jsonArray(ColorScale.sequential().anchors.map { "[\($0.position),\($0.red),\($0.green),\($0.blue)]" })),
            ("diverging", jsonArray(ColorScale.diverging(limit: 1).anchors.map { "[\($0.position),\($0.red),\($0.green),\($0.blue)]" })),
        ]
        if internals.layers.first?.heads.first?.gradients != nil {
            for (key, pick) in [("gradP", { (g: AttentionHeadGradients) in g.probabilities.values }),
                                ("gradS", { (g: AttentionHeadGradients) in g.scores.values })] {
                var floats = [UInt8]()
                floats.reserveCapacity(values * 4)
                for layer in internals.layers {
                    for head in layer.heads {
                        for value in head.gradients.map(pick) ?? [] {
                            let bits = value.bitPattern
                            floats += [UInt8(bits & 0xFF), UInt8((bits >> 8) & 0xFF), UInt8((bits >> 16) & 0xFF), UInt8(bits >> 24)]
                        }
                    }
                }
                object.append((key, jsonString(Data(floats).base64EncodedString())))
            }
        }
        return "{" + object.map { "\"\($0.0)\":\($0.1)" }.joined(separator: ",") + "}"
    }

    private func jsonArray(_ items: [String]) -> String { "[" + items.joined(separator: ",") + "]" }

    /// A JSON string literal with <, >, & and control characters escaped as \uXXXX.
    func jsonString(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "<", ">", "&", "\u{2028}", "\u{2029}": result += String(format: "\\u%04x", scalar.value)
            default:
                if scalar.value < 0x20 { result += String(format: "\\u%04x", scalar.value) } else { result.unicodeScalars.append(scalar) }
            }
        }
        return result + "\""
    }
}
