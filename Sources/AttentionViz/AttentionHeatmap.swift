// AttentionHeatmap: attention as SVG heat maps. One head: a T × T grid of cells (row = the query
// token that attends, column = the key token it attends to, darker = more weight) with the tokens
// as row and column labels, a colour legend and a tooltip per cell. All heads: small multiples,
// one panel per (layer, head), with each panel's mean entropy. Long inputs are aggregated into
// blocks of k consecutive tokens (a block's value is the mean over its queries of the total weight
// on the key block, so rows still sum to 1), which keeps files small and labels legible.
// Reference: Vig (2019), "A multiscale visualization of attention in the Transformer" (bertviz).
// Not handled: interactivity (see AttentionPage), colour scales other than ColorScale's.

import Encoder
import Foundation

/// SVG heat maps of attention matrices.
///
/// ```swift
/// let svg = AttentionHeatmap.svg(internals, layer: 1, head: 0)     // one head
/// let all = AttentionHeatmap.gridSVG(internals)                    // every layer and head
/// ```
public enum AttentionHeatmap: Sendable {
    /// Above this many tokens per side a single-head map is aggregated into blocks.
    public static let fullResolutionLimit = 128
    /// Above this many tokens per side the panels of the grid are aggregated.
    public static let gridResolutionLimit = 48

    /// A [n, n] matrix ready to draw: values, labels and which cells are hidden.
    public struct Blocks: Sendable {
        public let size: Int
        public let values: [Double]
        public let hidden: [Bool]
        public let labels: [String]
        /// Tokens per block (1 when not aggregated).
        public let tokensPerBlock: Int
    }

    /// Groups `matrix` into blocks of ⌈T / limit⌉ tokens when T > limit: a block's value is the
    /// mean over its query rows of the sum over its key columns. A block is hidden only when every
    /// entry in it is hidden.
    public static func blocks(_ matrix: TokenPairMatrix, mask: TokenPairMatrix?, labels: [String], limit: Int) -> Blocks {
        let t = matrix.rows
        let k = t > limit ? (t + limit - 1) / limit : 1
        let n = (t + k - 1) / max(k, 1)
        var values = [Double](repeating: 0, count: n * n)
        var visible = [Int](repeating: 0, count: n * n)
        for query in 0..<t {
            for key in 0..<t {
                let cell = (query / k) * n + key / k
                values[cell] += Double(matrix.values[query * t + key])
                if mask.map({ $0.values[query * t + key] != 0 }) ?? true { visible[cell] += 1 }
            }
        }
        for blockRow in 0..<n {
            let rows = min(k, t - blockRow * k)
            for column in 0..<n { values[blockRow * n + column] /= Double(rows) }
        }
        let blockLabels: [String] = (0..<n).map { block in
            if k == 1 { return labels.indices.contains(block) ? labels[block] : String(block) }
            let last = min(t, (block + 1) * k) - 1
            return "\(block * k)–\(last)"
        }
        return Blocks(size: n, values: values, hidden: visible.map { $0 == 0 }, labels: blockLabels, tokensPerBlock: k)
    }

    // MARK: - One head

    /// The probabilities of one head as an SVG document.
    /// - Parameters:
    ///   - layer, head: 0-based; must exist in `internals`.
    ///   - limit: the most tokens per side drawn one cell each (more are aggregated).
    public static func svg(_ internals: AttentionInternals, layer: Int, head: Int, limit: Int = fullResolutionLimit) -> String {
        let attention = internals.layer(layer).head(head)
        let title = "Layer \(layer) · head \(head) — attention probabilities"
        var subtitle = "T = \(internals.tokenCount) tokens, D = \(attention.width); mean entropy \(Markup.value(attention.meanEntropy)) bits of at most \(Markup.value(log2(Double(max(internals.tokenCount, 1))))) bits"
        if !internals.maskedPositions.isEmpty {
            subtitle += "; masked: " + internals.maskedPositions.map { "\(internals.labels[$0]) (\($0))" }.joined(separator: ", ")
        }
        return matrixSVG(attention.probabilities, mask: attention.mask, labels: internals.labels, title: title, subtitle: subtitle,
                         scale: nil, emphasised: Set(internals.maskedPositions), limit: limit)
    }

    /// The sequential scale from 0 to a robust maximum — the 99.5th percentile of `values`, so one
    /// outlier in a long input does not wash out everything else — rounded up to a nice tick (at most
    /// 1). Values above the top are drawn in the darkest colour. A head whose weights stay below 0.2
    /// is therefore not drawn in near-white; the legend shows the range.
    public static func probabilityScale(values: [Double]) -> ColorScale {
        let sorted = values.filter { $0.isFinite }.sorted()
        guard let last = sorted.last, last > 0 else { return .sequential() }
        let top = sorted[Int(Double(sorted.count - 1) * 0.995)]
        let robust = top > 0 ? top : last
        return .sequential(domain: 0...min(Ticks.linear(0...robust, target: 5).range.upperBound, 1))
    }

    /// Any [T, T] matrix (probabilities, scores, gradients) as a labelled heat map with a legend.
    /// Cells are `<rect class="cell">` (hidden ones also `masked`), one per token pair or block.
    /// - Parameter scale: the colours; nil means `probabilityScale` of the drawn values.
    public static func matrixSVG(_ matrix: TokenPairMatrix, mask: TokenPairMatrix?, labels: [String], title: String, subtitle: String,
                                 scale: ColorScale?, emphasised: Set<Int> = [], limit: Int = fullResolutionLimit) -> String {
        let grid = blocks(matrix, mask: mask, labels: labels, limit: limit)
        var visible: [Double] = []
        for (value, hidden) in zip(grid.values, grid.hidden) where !hidden { visible.append(value) }
        let scale = scale ?? probabilityScale(values: visible)
        let n = grid.size
        let cell = min(max((720.0 / Double(max(n, 1))).rounded(.down), 4), 32)
        let fontSize = min(12, max(cell - 2, 9))
        let every = max(1, Int(((fontSize + 2) / cell).rounded(.up)))  // label every k-th token so labels do not overlap
        let shown = (0..<n).map { index -> String in
            guard index % every == 0 else { return "" }
            let label = Markup.shortened(grid.labels[index], to: 16)
            return every > 1 && grid.tokensPerBlock == 1 ? "\(index) \(label)" : label
        }
        let labelSpace = min((shown.map { Markup.textWidth($0, fontSize: fontSize) }.max() ?? 0) + 12, 150)
        let left = 28 + labelSpace, top = 80 + labelSpace
        let gridSize = cell * Double(n)
        let legendX = left + gridSize + 28
        let width = max(legendX + 80, 520), height = max(top + gridSize + 46, top + 260)
        var canvas = SVGCanvas(width: width, height: height)
        canvas.text(title, x: 16, y: 24, size: 16, weight: "bold")
        canvas.text(Markup.shortened(subtitle, to: Int((width - 32) / 6.2)), x: 16, y: 44, size: 12, fill: "#555")
        if grid.tokensPerBlock > 1 {
            canvas.text("aggregated: each cell is a block of \(grid.tokensPerBlock) tokens (mean over its queries of the weight on its keys)",
                        x: 16, y: height - 14, size: 11, fill: "#555")
        }
        canvas.text("key (attended to) →", x: left, y: 66, size: 12, fill: "#555")
        canvas.text("query (attends) →", x: 14, y: top, size: 12, rotation: 90, fill: "#555")

        // Labels: keys along the top (rotated), queries down the left.
        for index in 0..<n where !shown[index].isEmpty {
            let colour = emphasised.contains(index) && grid.tokensPerBlock == 1 ? "#c2410c" : "#222"
            let centre = Double(index) * cell + cell / 2
            canvas.text(shown[index], x: left + centre + fontSize * 0.35, y: top - 6, size: fontSize, rotation: -90,
                        fill: colour, attributes: "class=\"key-label\"")
            canvas.text(shown[index], x: left - 6, y: top + centre + fontSize * 0.35, size: fontSize, anchor: "end",
                        fill: colour, attributes: "class=\"query-label\"")
        }

        // Cells.
        let tooltips = n <= 64
        canvas.raw("<g class=\"cells\"\(cell >= 12 ? " stroke=\"#ffffff\" stroke-width=\"0.5\"" : "")>")
        for row in 0..<n {
            for column in 0..<n {
                let index = row * n + column
                let value = grid.values[index]
                let hidden = grid.hidden[index]
                let tip = tooltips ? "\(grid.labels[row]) → \(grid.labels[column]): \(hidden ? "hidden by the mask" : Markup.value(value))" : nil
                canvas.rect(x: left + Double(column) * cell, y: top + Double(row) * cell, width: cell, height: cell,
                            fill: hidden ? "#d4d4d4" : scale.hex(value),
                            attributes: "class=\"cell\(hidden ? " masked" : "")\" data-query=\"\(row)\" data-key=\"\(column)\"", title: tip)
            }
        }
        canvas.raw("</g>")
        canvas.rect(x: left, y: top, width: gridSize, height: gridSize, fill: "none", stroke: "#888")
        drawLegend(on: &canvas, scale: scale, x: legendX, y: top, height: min(max(gridSize, 160), 260))
        return canvas.finished()
    }

    /// A vertical colour bar with ticks.
    static func drawLegend(on canvas: inout SVGCanvas, scale: ColorScale, x: Double, y: Double, height: Double, caption: String = "weight") {
        let id = "legend-gradient"
        canvas.define(scale.gradientDefinition(id: id))
        canvas.raw("<g class=\"legend\">")
        canvas.text(caption, x: x, y: y - 8, size: 11, fill: "#555")
        canvas.rect(x: x, y: y, width: 14, height: height, fill: "url(#\(id))", stroke: "#888")
        let domain = scale.domain
        let (_, ticks) = Ticks.linear(domain, target: 5)
        let step = ticks.count > 1 ? ticks[1] - ticks[0] : 1
        for tick in ticks where tick >= domain.lowerBound - 1e-12 && tick <= domain.upperBound + 1e-12 {
            let ty = y + height * (1 - scale.position(of: tick))
            canvas.line(x1: x + 14, y1: ty, x2: x + 18, y2: ty, stroke: "#444")
            canvas.text(Ticks.label(tick, step: step), x: x + 21, y: ty + 4, size: 11)
        }
        canvas.raw("</g>")
    }

    // MARK: - Every head

    /// Small multiples: one panel per (layer, head), rows = layers, columns = heads, with each
    /// panel's mean entropy in its title and one shared legend.
    /// - Parameters:
    ///   - layers: which layers to draw (default: all).
    ///   - limit: the most tokens per panel side drawn one cell each.
    public static func gridSVG(_ internals: AttentionInternals, layers: [Int]? = nil, limit: Int = gridResolutionLimit) -> String {
        let chosen = layers ?? Array(0..<internals.layerCount)
        let heads = internals.headCount
        var drawn: [Double] = []
        for layer in chosen {
            for head in internals.layer(layer).heads {
                drawn += blocks(head.probabilities, mask: head.mask, labels: internals.labels, limit: limit).values
            }
        }
        let scale = probabilityScale(values: drawn)
        let sample = blocks(internals.layer(chosen.first ?? 0).head(0).probabilities, mask: nil, labels: internals.labels, limit: limit)
        let n = sample.size
        let cell = min(max((180.0 / Double(max(n, 1))).rounded(.down), 2), 14)
        let panel = cell * Double(n)
        let gap = 34.0, left = 70.0, top = 78.0
        let width = max(left + Double(heads) * (panel + gap) + 70, 420)
        let height = top + Double(chosen.count) * (panel + gap) + 24
        var canvas = SVGCanvas(width: width, height: height)
        canvas.text("Attention probabilities, every head", x: 16, y: 24, size: 16, weight: "bold")
        let text = internals.labels.joined(separator: " ")
        canvas.text(Markup.shortened("T = \(internals.tokenCount): \(text)", to: Int((width - 32) / 6.2)), x: 16, y: 44, size: 12, fill: "#555")
        if sample.tokensPerBlock > 1 {
            canvas.text("aggregated: blocks of \(sample.tokensPerBlock) tokens", x: 16, y: 60, size: 11, fill: "#555")
        }
        for (row, layer) in chosen.enumerated() {
            let y = top + Double(row) * (panel + gap)
            canvas.text("layer \(layer)", x: 12, y: y + panel / 2 + 4, size: 12, weight: "bold")
            for head in 0..<heads {
                let attention = internals.layer(layer).head(head)
                let x = left + Double(head) * (panel + gap)
                canvas.text("head \(head) · \(Markup.value(attention.meanEntropy, digits: 2)) bits", x: x, y: y - 6, size: 11)
                let grid = blocks(attention.probabilities, mask: attention.mask, labels: internals.labels, limit: limit)
                canvas.raw("<g class=\"panel\" data-layer=\"\(layer)\" data-head=\"\(head)\">")
                for q in 0..<grid.size {
                    for k in 0..<grid.size {
                        let index = q * grid.size + k
                        let tip = grid.size <= 24 ? "L\(layer) H\(head) \(grid.labels[q]) → \(grid.labels[k]): \(Markup.value(grid.values[index]))" : nil
                        canvas.rect(x: x + Double(k) * cell, y: y + Double(q) * cell, width: cell, height: cell,
                                    fill: grid.hidden[index] ? "#d4d4d4" : scale.hex(grid.values[index]),
                                    attributes: "class=\"cell\(grid.hidden[index] ? " masked" : "")\"", title: tip)
                    }
                }
                canvas.raw("</g>")
                canvas.rect(x: x, y: y, width: panel, height: panel, fill: "none", stroke: "#888")
            }
        }
        drawLegend(on: &canvas, scale: scale, x: left + Double(heads) * (panel + gap) + 4, y: top, height: min(max(panel, 120), 220))
        return canvas.finished()
    }
}
