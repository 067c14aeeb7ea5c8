// ContextualityPlot: six curves (three measures solid, the anisotropy, two adjusted similarities
// dashed), one point per layer, the legend to the right of the plot area so it hides no curve, and
// well-formed SVG (parsed with XMLParser, as the other pictures).
import AttentionViz
import Encoder
import Evaluation
import Foundation
import Testing

@Suite struct ContextualityPlotTests {
    @Test func sixCurvesOnePointPerLayerAndTheLegendOutside() throws {
        let rows = (0...6).map { layer in
            ContextualityMeasures(layer: layer, selfSimilarity: 0.9 - 0.05 * Double(layer), intraSentenceSimilarity: 0.4 + 0.04 * Double(layer),
                                  anisotropy: 0.05 + 0.02 * Double(layer), maximumExplainableVariance: 0.9 - 0.03 * Double(layer))
        }
        let report = ContextualityReport(layers: rows, measuredWords: [("the", 9)], minimumContexts: 5, sentenceCount: 10,
                                         intraSentenceCount: 10, occurrenceCount: 80)
        let (parsed, error) = ElementCollector.parse(ContextualityPlot.svg(report, title: "model & <layers>"))
        #expect(error == nil)
        let series = parsed.filter { $0.name == "g" && $0.attributes["class"] == "series" }.map { $0.attributes["data-name"] ?? "" }
        #expect(series == ["self-similarity", "intra-sentence similarity", "max. explainable variance", "anisotropy (baseline)",
                           "self-similarity − baseline", "intra-sentence − baseline"])
        let lines = parsed.filter { $0.name == "polyline" }
        #expect(lines.count == 6)
        #expect(lines.allSatisfy { ($0.attributes["points"] ?? "").split(separator: " ").count == 7 })
        #expect(lines.filter { $0.attributes["stroke-dasharray"] != nil }.count == 2)
        // The plot frame is the rect with fill "none"; the legend box starts right of it.
        let frame = try #require(parsed.first { $0.name == "rect" && $0.attributes["fill"] == "none" })
        let frameRight = Double(frame.attributes["x"]!)! + Double(frame.attributes["width"]!)!
        let legend = try #require(parsed.firstIndex { $0.name == "g" && $0.attributes["class"] == "legend" })
        let box = try #require(parsed[legend...].first { $0.name == "rect" })
        #expect(Double(box.attributes["x"]!)! > frameRight)
        #expect(parsed.contains { $0.name == "text" && $0.text == "model & <layers>" })
    }

    @Test func aShallowModelsLayersAreLabelledWholeNumbers() throws {
        // Layers 0...2: the fitted step would be 0.5; the axis must read 0, 1, 2 and nothing between.
        let rows = (0...2).map { ContextualityMeasures(layer: $0, selfSimilarity: 0.9, intraSentenceSimilarity: 0.5, anisotropy: 0.1,
                                                       maximumExplainableVariance: 0.8) }
        let report = ContextualityReport(layers: rows, measuredWords: [("the", 9)], minimumContexts: 5, sentenceCount: 10,
                                         intraSentenceCount: 10, occurrenceCount: 80)
        let (parsed, _) = ElementCollector.parse(ContextualityPlot.svg(report, title: "shallow"))
        let labels = Set(parsed.filter { $0.name == "text" }.map(\.text))
        #expect(labels.isSuperset(of: ["0", "1", "2"]), "\(labels)")
        #expect(labels.isDisjoint(with: ["0.5", "1.5", "2.0"]), "\(labels)")   // ("1.0" is the y axis top)
    }
}
