// ContextualityPlot: Ethayarajh's curves of one model as an SVG line plot (LinePlot): per layer
// (x), the mean self-similarity, intra-sentence similarity and maximum explainable variance (solid),
// the same two similarities adjusted for anisotropy (dashed), and the anisotropy baseline itself.
// Reference: the figures of Ethayarajh (2019), one panel per measure there; one plot here.
// Not handled: several models in one plot (draw one file per model).

import Encoder
import Evaluation
import Foundation

public enum ContextualityPlot {
    /// The report's curves against the layer, as a complete SVG document.
    ///
    /// ```swift
    /// let report = try Contextuality.measure(sample, minimumContexts: 5)
    /// try AtomicFile.write(Data(ContextualityPlot.svg(report, title: "MiniLM").utf8), to: url)
    /// ```
    public static func svg(_ report: ContextualityReport, title: String) -> String {
        var plot = LinePlot(title: title, xLabel: "layer (0 = embedding output)", yLabel: "mean")
        func points(_ value: (ContextualityMeasures) -> Double) -> [(x: Double, y: Double)] {
            report.layers.map { (Double($0.layer), value($0)) }
        }
        let palette = (selfSimilarity: "#1f77b4", intra: "#ff7f0e", anisotropy: "#555555", mev: "#2ca02c")
        plot.add(LinePlot.Series(name: "self-similarity", points: points(\.selfSimilarity), color: palette.selfSimilarity, showsPoints: true))
        plot.add(LinePlot.Series(name: "intra-sentence similarity", points: points(\.intraSentenceSimilarity), color: palette.intra, showsPoints: true))
        plot.add(LinePlot.Series(name: "max. explainable variance", points: points(\.maximumExplainableVariance), color: palette.mev, showsPoints: true))
        plot.add(LinePlot.Series(name: "anisotropy (baseline)", points: points(\.anisotropy), color: palette.anisotropy, showsPoints: true))
        plot.add(LinePlot.Series(name: "self-similarity − baseline", points: points(\.adjustedSelfSimilarity), color: palette.selfSimilarity, dashed: true))
        plot.add(LinePlot.Series(name: "intra-sentence − baseline", points: points(\.adjustedIntraSentenceSimilarity), color: palette.intra, dashed: true))
        let values = report.layers.flatMap { [$0.selfSimilarity, $0.intraSentenceSimilarity, $0.maximumExplainableVariance,
                                              $0.anisotropy, $0.adjustedSelfSimilarity, $0.adjustedIntraSentenceSimilarity] }
            .filter(\.isFinite)
        plot.yRange = min(0, ((values.min() ?? 0) * 10).rounded(.down) / 10)...1
        if let first = report.layers.first?.layer, let last = report.layers.last?.layer, last > first {
            plot.xRange = Double(first)...Double(last)
        }
        plot.xTicksAreWholeNumbers = true              // layers: 0, 1, 2, never 0.5
        plot.legendPosition = .outsideRight           // six curves: inside, the legend would hide some
        plot.width = 860
        plot.height = 440
        return plot.svg()
    }
}
