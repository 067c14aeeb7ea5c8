// LinePlot: a small, dependable line chart as SVG — axes with nice ticks and grid lines, axis
// titles, one polyline per series (optionally with point markers and dashes), and a legend.
// Used for training curves (loss against step) and for the static-initialisation experiment.
// Non-finite points (NaN, ±∞, or ≤ 0 on a log axis) are skipped and break the line there.
// Reference: matplotlib's defaults for what a readable plot needs (ticks outside, light grid).
// Not handled: bar charts, error bands, secondary axes, interactive zoom.

import Foundation
import TensorCore

/// Why a table could not be read as plot series.
public enum LinePlotError: Error, CustomStringConvertible, Equatable, Sendable {
    case empty(source: String)
    case tooFewColumns(source: String, header: String)

    public var description: String {
        switch self {
        case let .empty(source): return "\(source): no lines; expected a header such as \"step,loss\" and one row per x value"
        case let .tooFewColumns(source, header): return "\(source): header \"\(header)\" has fewer than two columns; the first column is x, each further column one series"
        }
    }
}

/// A line plot with axes, ticks and a legend.
///
/// ```swift
/// var plot = LinePlot(title: "Masked-LM loss", xLabel: "step", yLabel: "loss")
/// plot.add(LinePlot.Series(name: "random init", points: [(0, 9.1), (100, 6.2), (200, 5.4)]))
/// plot.add(LinePlot.Series(name: "word2vec init", points: [(0, 8.0), (100, 5.6), (200, 5.0)], dashed: true))
/// try plot.write(to: URL(fileURLWithPath: "loss.svg"))
/// ```
public struct LinePlot: Sendable {
    /// One named line.
    public struct Series: Sendable {
        public var name: String
        public var points: [(x: Double, y: Double)]
        /// "#rrggbb"; nil picks the next palette colour.
        public var color: String?
        public var dashed: Bool
        /// Draw a dot at every point (for sparse series such as one value per epoch).
        public var showsPoints: Bool

        public init(name: String, points: [(x: Double, y: Double)], color: String? = nil, dashed: Bool = false, showsPoints: Bool = false) {
            self.name = name
            self.points = points
            self.color = color
            self.dashed = dashed
            self.showsPoints = showsPoints
        }
    }

    /// How values map to an axis.
    public enum Scale: Sendable { case linear, logarithmic }

    /// Where the legend goes: inside the plot area, or to the right of it (the plot narrows).
    public enum LegendPosition: Sendable { case topRight, topLeft, bottomRight, bottomLeft, outsideRight }

    public var title: String
    public var xLabel: String
    public var yLabel: String
    public private(set) var series: [Series] = []
    public var width: Double = 640
    public var height: Double = 400
    public var xScale: Scale = .linear
    public var yScale: Scale = .linear
    /// Fixed axis ranges; nil fits the data.
    public var xRange: ClosedRange<Double>? = nil
    public var yRange: ClosedRange<Double>? = nil
    public var legendPosition: LegendPosition = .topRight
    /// Label only whole numbers on the x axis (layers, epochs): no "0.5" between layers 0 and 1.
    public var xTicksAreWholeNumbers = false

    public init(title: String, xLabel: String, yLabel: String) {
        self.title = title
        self.xLabel = xLabel
        self.yLabel = yLabel
    }

    public mutating func add(_ newSeries: Series) { series.append(newSeries) }

    /// Series from a table with a header line: the first column is x, every other column one series
    /// named by its header. Columns are separated by commas or tabs; empty or unreadable cells are
    /// skipped (a series may have fewer points than x values); "nan" is kept and breaks the drawn line. For logs such as "step,train,eval".
    ///
    /// ```swift
    /// plot.add(contentsOf: try LinePlot.series(fromTable: "step,train loss\n0,9.1\n100,6.2\n"))
    /// ```
    /// - Throws: `LinePlotError` when there is no header or fewer than two columns.
    public static func series(fromTable text: String, source: String = "table") throws -> [Series] {
        let lines = text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }
        guard let header = lines.first else { throw LinePlotError.empty(source: source) }
        let separator: Character = header.contains("\t") ? "\t" : ","
        let names = header.split(separator: separator, omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard names.count >= 2 else { throw LinePlotError.tooFewColumns(source: source, header: header) }
        var result = names.dropFirst().map { Series(name: $0, points: []) }
        for line in lines.dropFirst() {
            let cells = line.split(separator: separator, omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard let x = cells.first.flatMap(Double.init) else { continue }
            for index in 1..<min(cells.count, names.count) {
                if let y = Double(cells[index]) { result[index - 1].points.append((x, y)) }
            }
        }
        return result
    }

    /// Adds several series in order.
    public mutating func add(contentsOf newSeries: [Series]) { series += newSeries }

    // MARK: - Drawing

    /// The plot as a complete SVG document.
    /// - Complexity: O(total points).
    public func svg() -> String {
        let outside = legendPosition == .outsideRight && !series.isEmpty ? legendWidth + 20 : 0
        let margin = (left: 68.0, right: 20.0 + outside, top: title.isEmpty ? 16.0 : 40.0, bottom: 52.0)
        let plotWidth = max(width - margin.left - margin.right, 40)
        let plotHeight = max(height - margin.top - margin.bottom, 40)
        var canvas = SVGCanvas(width: width, height: height)
        if !title.isEmpty {
            canvas.text(title, x: margin.left + plotWidth / 2, y: 24, size: 15, anchor: "middle", weight: "bold")
        }

        let usable = { (value: Double, scale: Scale) in value.isFinite && (scale == .linear || value > 0) }
        let xs = series.flatMap { $0.points.map(\.x) }.filter { usable($0, xScale) }
        let ys = series.flatMap { $0.points.filter { usable($0.x, xScale) }.map(\.y) }.filter { usable($0, yScale) }
        let (xAxis, fittedXTicks) = axis(fixed: xRange, values: xs, scale: xScale)
        let xTicks = xTicksAreWholeNumbers ? fittedXTicks.filter { $0 == $0.rounded() } : fittedXTicks
        let (yAxis, yTicks) = axis(fixed: yRange, values: ys, scale: yScale)
        func transform(_ value: Double, _ range: ClosedRange<Double>, _ scale: Scale) -> Double {
            let (v, low, high) = scale == .linear ? (value, range.lowerBound, range.upperBound)
                                                  : (log10(value), log10(range.lowerBound), log10(range.upperBound))
            return high > low ? (v - low) / (high - low) : 0.5
        }
        let px = { (x: Double) in margin.left + transform(x, xAxis, xScale) * plotWidth }
        let py = { (y: Double) in margin.top + (1 - transform(y, yAxis, yScale)) * plotHeight }

        // Grid and ticks.
        let xStep = xTicks.count > 1 ? xTicks[1] - xTicks[0] : 1
        let yStep = yTicks.count > 1 ? yTicks[1] - yTicks[0] : 1
        for tick in xTicks where tick >= xAxis.lowerBound - 1e-12 && tick <= xAxis.upperBound * (1 + 1e-12) + 1e-12 {
            let x = px(tick)
            canvas.line(x1: x, y1: margin.top, x2: x, y2: margin.top + plotHeight, stroke: "#e6e6e6")
            canvas.line(x1: x, y1: margin.top + plotHeight, x2: x, y2: margin.top + plotHeight + 5, stroke: "#444")
            canvas.text(Ticks.label(tick, step: xScale == .linear ? xStep : tick), x: x, y: margin.top + plotHeight + 18,
                        size: 11, anchor: "middle", attributes: "class=\"tick-label\"")
        }
        for tick in yTicks where tick >= yAxis.lowerBound - 1e-12 && tick <= yAxis.upperBound * (1 + 1e-12) + 1e-12 {
            let y = py(tick)
            canvas.line(x1: margin.left, y1: y, x2: margin.left + plotWidth, y2: y, stroke: "#e6e6e6")
            canvas.line(x1: margin.left - 5, y1: y, x2: margin.left, y2: y, stroke: "#444")
            canvas.text(Ticks.label(tick, step: yScale == .linear ? yStep : tick), x: margin.left - 8, y: y + 4,
                        size: 11, anchor: "end", attributes: "class=\"tick-label\"")
        }
        canvas.rect(x: margin.left, y: margin.top, width: plotWidth, height: plotHeight, fill: "none", stroke: "#444")
        canvas.text(xLabel, x: margin.left + plotWidth / 2, y: height - 12, size: 13, anchor: "middle")
        canvas.text(yLabel, x: 18, y: margin.top + plotHeight / 2, size: 13, anchor: "middle", rotation: -90)

        // Series, each broken where a point cannot be drawn.
        for (index, line) in series.enumerated() {
            let color = line.color ?? SeriesPalette.color(index)
            var run: [(x: Double, y: Double)] = []
            var dots: [(x: Double, y: Double)] = []
            canvas.raw("<g class=\"series\" data-name=\"\(Markup.escape(line.name))\">")
            for point in line.points {
                if usable(point.x, xScale) && usable(point.y, yScale) {
                    let drawn = (x: px(point.x), y: py(min(max(point.y, yAxis.lowerBound), yAxis.upperBound)))
                    run.append(drawn)
                    dots.append(drawn)
                } else {
                    canvas.polyline(run, stroke: color, width: 2, dashed: line.dashed)
                    run = []
                }
            }
            canvas.polyline(run, stroke: color, width: 2, dashed: line.dashed)
            if line.showsPoints || line.points.count == 1 { for dot in dots { canvas.circle(x: dot.x, y: dot.y, radius: 3, fill: color) } }
            canvas.raw("</g>")
        }
        if !series.isEmpty { drawLegend(on: &canvas, plot: (margin.left, margin.top, plotWidth, plotHeight)) }
        if xs.isEmpty || ys.isEmpty {
            canvas.text("no data", x: margin.left + plotWidth / 2, y: margin.top + plotHeight / 2, size: 14, anchor: "middle", fill: "#888")
        }
        return canvas.finished()
    }

    /// Writes `svg()` to `url` atomically.
    public func write(to url: URL) throws {
        try AtomicFile.write(Data(svg().utf8), to: url)
    }

    // MARK: - Parts

    private func axis(fixed: ClosedRange<Double>?, values: [Double], scale: Scale) -> (ClosedRange<Double>, [Double]) {
        let low = values.min() ?? 0, high = values.max() ?? 1
        switch scale {
        case .linear:
            if let fixed { return (fixed, Ticks.linear(fixed).ticks.filter { fixed.contains($0) }) }
            return Ticks.linear(low...max(high, low))
        case .logarithmic:
            if let fixed, fixed.lowerBound > 0 { return (fixed, Ticks.logarithmic(fixed).ticks.filter { fixed.contains($0) }) }
            return Ticks.logarithmic(values.isEmpty ? 1...10 : low...max(high, low))
        }
    }

    /// The legend box's width: its longest label and the line sample.
    private var legendWidth: Double {
        (series.map { Markup.textWidth(Markup.shortened($0.name, to: 40), fontSize: 12) }.max() ?? 0) + 44
    }

    private func drawLegend(on canvas: inout SVGCanvas, plot: (x: Double, y: Double, width: Double, height: Double)) {
        let lineHeight = 18.0
        let labels = series.map { Markup.shortened($0.name, to: 40) }
        let boxWidth = legendWidth
        let boxHeight = Double(series.count) * lineHeight + 8
        let left = legendPosition == .topLeft || legendPosition == .bottomLeft
        let top = legendPosition != .bottomLeft && legendPosition != .bottomRight
        let x = legendPosition == .outsideRight ? plot.x + plot.width + 10 : left ? plot.x + 10 : plot.x + plot.width - boxWidth - 10
        let y = legendPosition == .outsideRight ? plot.y : top ? plot.y + 10 : plot.y + plot.height - boxHeight - 10
        canvas.raw("<g class=\"legend\">")
        canvas.rect(x: x, y: y, width: boxWidth, height: boxHeight, fill: "#ffffff", stroke: "#bbbbbb", attributes: "fill-opacity=\"0.9\"")
        for (index, line) in series.enumerated() {
            let rowY = y + 4 + Double(index) * lineHeight + lineHeight / 2
            let color = line.color ?? SeriesPalette.color(index)
            canvas.line(x1: x + 8, y1: rowY, x2: x + 32, y2: rowY, stroke: color, width: 2,
                        attributes: line.dashed ? "stroke-dasharray=\"6 4\"" : "")
            if line.showsPoints { canvas.circle(x: x + 20, y: rowY, radius: 3, fill: color) }
            canvas.text(labels[index], x: x + 38, y: rowY + 4, size: 12)
        }
        canvas.raw("</g>")
    }
}
