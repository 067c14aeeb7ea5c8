// The pictures' structure, parsed with Foundation's XMLParser: SVG heat maps and the HTML page are
// well-formed XML with the expected number of cells, labels, options and entropy cells; long
// inputs are aggregated into blocks whose rows still sum to 1; the page's embedded probabilities
// decode (√p in 16 bits) to the model's values; line plots have one line per series, ticks and
// a legend. Browser rendering is checked by Scripts/check-html.sh, not here.
import AttentionViz
import Encoder
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import TensorCore

/// Every element of an XML document with its attributes and text, or the parse error.
final class ElementCollector: NSObject, XMLParserDelegate {
    struct Element { let name: String; let attributes: [String: String]; var text: String }
    private(set) var elements: [Element] = []
    private var open: [Int] = []

    static func parse(_ text: String) -> (elements: [Element], error: String?) {
        let parser = XMLParser(data: Data(text.utf8))
        let collector = ElementCollector()
        parser.delegate = collector
        let ok = parser.parse()
        return (collector.elements, ok ? nil : String(describing: parser.parserError))
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        elements.append(Element(name: name, attributes: attributes, text: ""))
        open.append(elements.count - 1)
    }
    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) { open.removeLast() }
    func parser(_ parser: XMLParser, foundCharacters string: String) { for index in open { elements[index].text += string } }
    func parser(_ parser: XMLParser, foundCDATA block: Data) {
        for index in open { elements[index].text += String(decoding: block, as: UTF8.self) }
    }
}

/// Internals from a synthetic trace: L layers, H heads of width D, T tokens, with probabilities
/// that follow a known pattern (query i puts ½ on itself and spreads ½ evenly over the rest).
func syntheticInternals(layers: Int, heads: Int, tokens t: Int, width d: Int = 2) throws -> AttentionInternals {
    var trace: [(name: String, tensor: Tensor)] = []
    for layer in 0..<layers {
        var p = [Float](repeating: 0, count: heads * t * t)
        for head in 0..<heads { for i in 0..<t { for j in 0..<t {
            p[(head * t + i) * t + j] = t == 1 ? 1 : (i == j ? 0.5 : 0.5 / Float(t - 1))
        } } }
        let base = "layers.\(layer).attention"
        for part in ["query", "key", "value", "context"] {
            trace.append(("\(base).\(part)", Tensor(shape: [1, t, heads * d], repeating: Float(layer + 1))))
        }
        trace.append(("\(base).scores", Tensor(zeros: [1, heads, t, t])))
        trace.append(("\(base).probabilities", Tensor(shape: [1, heads, t, t], scalars: p)))
    }
    let tokens = (0..<t).map { "tok\($0)" }
    return try AttentionInternals(trace: trace, tokens: tokens, ids: Array(0..<t))
}

@Suite struct PictureStructureTests {
    func elements(_ text: String, sourceLocation: SourceLocation = #_sourceLocation) -> [ElementCollector.Element] {
        let (elements, error) = ElementCollector.parse(text)
        #expect(error == nil, "not well-formed XML: \(error ?? "")", sourceLocation: sourceLocation)
        return elements
    }

    func cells(_ elements: [ElementCollector.Element]) -> [ElementCollector.Element] {
        elements.filter { $0.name == "rect" && ($0.attributes["class"] ?? "").split(separator: " ").contains("cell") }
    }

    @Test func oneHeadHeatMapHasACellPerTokenPairLabelsAndALegend() throws {
        let internals = try syntheticInternals(layers: 2, heads: 3, tokens: 7)
        let parsed = elements(AttentionHeatmap.svg(internals, layer: 1, head: 2))
        #expect(parsed.first?.name == "svg")
        let found = cells(parsed)
        #expect(found.count == 7 * 7)
        // The diagonal holds ½, the rest 0.5/6. The scale runs from 0 to the maximum ½ rounded up to a
        // nice tick (½ itself), so ½ is the darkest anchor (12, 36, 97); 0.5/6 sits at 1/6 of the
        // scale, ⅔ of the way from white to (189, 215, 238): (211, 228.3, 243.7) → #d3e4f4.
        let diagonal = found.filter { $0.attributes["data-query"] == $0.attributes["data-key"] }
        #expect(diagonal.count == 7 && diagonal.allSatisfy { $0.attributes["fill"] == "#0c2461" })
        #expect(found.filter { $0.attributes["data-query"] != $0.attributes["data-key"] }.allSatisfy { $0.attributes["fill"] == "#d3e4f4" })
        #expect(parsed.filter { $0.attributes["class"] == "key-label" }.map(\.text) == (0..<7).map { "tok\($0)" })
        #expect(parsed.filter { $0.attributes["class"] == "query-label" }.count == 7)
        #expect(parsed.contains { $0.name == "linearGradient" } && parsed.contains { $0.attributes["class"] == "legend" })
        #expect(found.first?.text == "tok0 → tok0: 0.5")  // the tooltip
    }

    @Test func gridHasEveryHeadAndLongInputsAreAggregated() throws {
        let small = try syntheticInternals(layers: 2, heads: 3, tokens: 5)
        #expect(cells(elements(AttentionHeatmap.gridSVG(small))).count == 2 * 3 * 25)
        #expect(cells(elements(AttentionHeatmap.gridSVG(small, layers: [1]))).count == 3 * 25)

        // 300 tokens, limit 128: blocks of ⌈300/128⌉ = 3 tokens, 100 blocks per side.
        let long = try syntheticInternals(layers: 1, heads: 1, tokens: 300)
        let head = long.layer(0).head(0)
        let blocks = AttentionHeatmap.blocks(head.probabilities, mask: head.mask, labels: long.labels, limit: 128)
        #expect(blocks.size == 100 && blocks.tokensPerBlock == 3 && blocks.labels[1] == "3–5")
        // A diagonal block: each of its 3 queries puts ½ on itself and 0.5/299 on each of the other
        // 2 keys in the block, so the block value is ½ + 2·0.5/299.
        #expect(abs(blocks.values[0] - (0.5 + 1.0 / 299)) < 1e-6)
        for row in 0..<100 { #expect(abs(blocks.values[(row * 100)..<((row + 1) * 100)].reduce(0, +) - 1) < 1e-4) }
        let parsed = elements(AttentionHeatmap.svg(long, layer: 0, head: 0))
        #expect(cells(parsed).count == 100 * 100)
        #expect(parsed.contains { $0.name == "text" && $0.text.hasPrefix("aggregated: each cell is a block of 3 tokens") })
    }

    @Test func pageIsWellFormedWithSelectorsViewsAndEntropyTable() throws {
        let internals = try syntheticInternals(layers: 3, heads: 2, tokens: 6)
        var page = AttentionPage(internals, title: "synthetic", text: "a <b> & \"c\"")
        page.initialLayer = 2
        page.initialHead = 1
        let parsed = elements(page.html())
        func options(_ id: String) -> [ElementCollector.Element] {
            guard let index = parsed.firstIndex(where: { $0.attributes["id"] == id }) else { return [] }
            return parsed[(index + 1)...].prefix { $0.name == "option" }.map { $0 }
        }
        #expect(options("layer").map { $0.attributes["value"]! } == ["0", "1", "2"])
        #expect(options("head").map { $0.attributes["value"]! } == ["0", "1", "mean"])
        #expect(options("layer").first { $0.attributes["selected"] != nil }?.attributes["value"] == "2")
        #expect(parsed.filter { $0.attributes["class"] == "entropy-cell" }.count == 3 * 2)
        #expect(parsed.filter { ($0.attributes["class"] ?? "").hasPrefix("token") }.count == 3 * 6)  // lines (2 columns) + text
        #expect(parsed.filter { $0.name == "button" }.map(\.text) == ["lines", "matrix", "text"])
        #expect(parsed.contains { $0.name == "p" && $0.attributes["class"] == "source" && $0.text == "“a <b> & \"c\"”" })
        // No external resources: no src or href attributes anywhere, no @import, no url(http…).
        #expect(!parsed.contains { $0.attributes["src"] != nil || $0.attributes["href"] != nil })
        let html = page.html()
                #expect(!html.contains("http://") && !html.contains("https://") && !html.contains("@import"))

        // Entropy of a row with ½ on itself and 0.1 on each of 5 others: −(½ log₂ ½ + 5·0.1 log₂ 0.1) = 0.5 + 1.6610 = 2.1610 bits.
        let cell = parsed.first { $0.attributes["class"] == "entropy-cell" }!
        #expect(cell.text == "2.16")

        // The data: √p quantised to 16 bits little-endian decodes back to p within 2·10⁻⁵.
        let json = try #require(parsed.first { $0.attributes["id"] == "attention-data" }?.text)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["encoding"] as? String == "sqrt-u16le")
        let bytes = try #require(Data(base64Encoded: object["probabilities"] as? String ?? ""))
        #expect(bytes.count == 3 * 2 * 36 * 2)
        let first = (Double(bytes[0]) + 256 * Double(bytes[1])) / 65535, second = (Double(bytes[2]) + 256 * Double(bytes[3])) / 65535
        #expect(abs(first * first - 0.5) < 2e-5 && abs(second * second - 0.1) < 2e-5)
    }

    @Test func pageWithGradientsOffersThemAndEscapesScriptBreakers() throws {
        let folder = try makeModelFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let embedder = try SentenceEmbedder(folder: folder)
        let text = "</script> <b>bold</b> & more"
        let internals = try AttentionInternals.capture(embedder: embedder, text: text, maskedPositions: [2])
        let html = AttentionPage(internals, text: text).html()
        let parsed = elements(html)
        #expect(parsed.first { $0.attributes["id"] == "show" } != nil)
        let json = try #require(parsed.first { $0.attributes["id"] == "attention-data" }?.text)
        #expect(!json.contains("<") && !json.contains("&"))
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let t = internals.tokenCount
        #expect(Data(base64Encoded: object["gradP"] as? String ?? "")?.count == 2 * 4 * t * t * 4)
        #expect((object["labels"] as? [String]) == internals.labels)
    }

    @Test func linePlotHasAxesTicksOneLinePerSeriesAndALegend() throws {
        var plot = LinePlot(title: "loss", xLabel: "step", yLabel: "loss")
        plot.add(.init(name: "random init", points: [(0, 9), (100, 6), (200, 5)]))
        plot.add(.init(name: "word2vec init", points: [(0, 8), (100, .nan), (150, 5.5), (200, 4.5)], dashed: true))
        let parsed = elements(plot.svg())
        #expect(parsed.filter { $0.name == "g" && $0.attributes["class"] == "series" }.map { $0.attributes["data-name"]! } == ["random init", "word2vec init"])
        // The NaN breaks the second series in two; a one-point run draws no line: 1 + 1 polylines.
        #expect(parsed.filter { $0.name == "polyline" }.count == 2)
        #expect(parsed.filter { $0.name == "polyline" }.last?.attributes["stroke-dasharray"] == "6 4")
        // x from 0 to 200 with ~6 ticks: 200/6 = 33.3 = 3.33 × 10 → nice 5 × 10 = 50; y 4.5…9: step 1 → 4…9.
        let labels = parsed.filter { $0.attributes["class"] == "tick-label" }.map(\.text)
        #expect(labels == ["0", "50", "100", "150", "200", "4", "5", "6", "7", "8", "9"])
        #expect(parsed.filter { $0.name == "text" }.map(\.text).contains("word2vec init"))

        var logPlot = LinePlot(title: "", xLabel: "x", yLabel: "y")
        logPlot.yScale = .logarithmic
        logPlot.add(.init(name: "a", points: [(1, 0.003), (2, 0.2), (3, 0), (4, 0.05)]))
        let logLabels = elements(logPlot.svg()).filter { $0.attributes["class"] == "tick-label" }.map(\.text)
        // 0.003…0.2 spans decades 1e-3…1 (3 decades): ticks at powers of ten only.
        #expect(logLabels.suffix(4) == ["0.001", "0.01", "0.1", "1"])
    }

    @Test func seriesFromATable() throws {
        // x in the first column; the empty cell is skipped, "nan" is kept (the drawing breaks the line there).
        let series = try LinePlot.series(fromTable: "step,train,eval\n0,9.5,\n100,6.25,6.5\n200,5,nan\n300,4.5,4.75\n")
        #expect(series.map(\.name) == ["train", "eval"])
        #expect(series[0].points.map(\.x) == [0, 100, 200, 300] && series[0].points.map(\.y) == [9.5, 6.25, 5, 4.5])
        #expect(series[1].points.map(\.x) == [100, 200, 300] && series[1].points[1].y.isNaN && series[1].points[2].y == 4.75)
        let tabbed = try LinePlot.series(fromTable: "epoch\tcosine\n1\t0.5\n2\t0.75\n")
        #expect(tabbed.count == 1 && tabbed[0].points.map(\.y) == [0.5, 0.75])
        #expect(throws: LinePlotError.tooFewColumns(source: "table", header: "step")) { try LinePlot.series(fromTable: "step\n1\n") }
        #expect(throws: LinePlotError.empty(source: "log.csv")) { try LinePlot.series(fromTable: "\n", source: "log.csv") }
    }

    @Test func ticksColoursAndEscaping() {
        // span 0.74 / 6 = 0.123 → 1 × 0.1; from ⌊1.3⌋·0.1 = 0.1 to ⌈8.7⌉·0.1 = 0.9.
        let (range, ticks) = Ticks.linear(0.13...0.87)
        #expect(ticks.count == 9 && abs(range.lowerBound - 0.1) < 1e-12 && abs(range.upperBound - 0.9) < 1e-12)
        #expect(Ticks.niceStep(span: 7, target: 5) == 1 && Ticks.niceStep(span: 12, target: 5) == 2 && Ticks.niceStep(span: 0.3, target: 6) == 0.05)
        let scale = ColorScale.sequential()
        #expect(scale.hex(0) == "#ffffff" && scale.hex(1) == "#0c2461" && scale.hex(0.5) == "#6ba0d1")
        #expect(scale.hex(2) == "#0c2461" && scale.hex(.nan) == "#ffffff")
        // Halfway between anchors 0 (255) and 0.25 (189): 222; green 235; blue 246.5 → 247.
        #expect(scale.rgb(0.125) == (222, 235, 247))
        #expect(Markup.escape("a<b & \"c\" 'd'\u{1}") == "a&lt;b &amp; &quot;c&quot; &#39;d&#39;")
        #expect(Markup.number(3.14159) == "3.14" && Markup.number(2) == "2" && Markup.value(0.000012345) == "1.23e-05")
    }
}
