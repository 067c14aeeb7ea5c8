// The usage snippets of the doc comments and READMEs in AttentionViz and AttentionInternals,
// compiled and run, so they cannot rot: capture internals, write a heat map, the grid, a page and
// a line plot, and read the typed accessors the Docs (Trace.md) show.
import AttentionViz
import Encoder
import Evaluation
import Foundation
import Testing
import TensorCore

@Suite struct DocSnippetTests {
    @Test func snippetsRun() throws {
        let folder = try makeModelFolder()
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("te-viz-out-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
        defer {
            try? FileManager.default.removeItem(at: folder)
            try? FileManager.default.removeItem(at: output)
        }
        let embedder = try SentenceEmbedder(folder: folder)

        // AttentionInternals (doc comment and Docs/Trace.md §4).
        let internals = try AttentionInternals.capture(embedder: embedder, text: "The cat sat on the mat.", maskedPositions: [2])
        let p = internals.layer(1).head(3).probabilities
        #expect(p.rows == internals.tokenCount && p.columns == internals.tokenCount)
        #expect(p[query: 0, key: 2] == p.row(query: 0)[2])
        let head = internals.layer(1).head(3)
        #expect(head.query[token: 2, feature: 0] == head.query.vector(token: 2)[0])
        #expect(head.mask[query: 2, key: 0] == 1)
        #expect(head.gradients?.scores[query: 2, key: 0] != nil && internals.loss != nil)
        #expect(head.entropy(query: 2) >= 0 && head.meanEntropy <= log2(Double(internals.tokenCount)) + 1e-9)

        // AttentionViz README and AttentionHeatmap / AttentionPage doc comments.
        try AtomicFile.write(Data(AttentionHeatmap.svg(internals, layer: 0, head: 1).utf8), to: output.appendingPathComponent("head.svg"))
        try AtomicFile.write(Data(AttentionHeatmap.gridSVG(internals).utf8), to: output.appendingPathComponent("all.svg"))
        try AttentionPage(internals, title: "tinyencoder-small").write(to: output.appendingPathComponent("attention.html"))

        // LinePlot doc comment.
        var plot = LinePlot(title: "Masked-LM loss", xLabel: "step", yLabel: "loss")
        plot.add(LinePlot.Series(name: "random init", points: [(0, 9.1), (100, 6.2), (200, 5.4)]))
        plot.add(LinePlot.Series(name: "word2vec init", points: [(0, 8.0), (100, 5.6), (200, 5.0)], dashed: true))
        plot.add(contentsOf: try LinePlot.series(fromTable: "step,train loss\n0,9.1\n100,6.2\n"))
        try plot.write(to: output.appendingPathComponent("loss.svg"))

        // ContextualityPlot doc comment.
        let sample = try embedder.contextualitySample(["The cat sat on the mat.", "A cat and a mat."])
        let report = try Contextuality.measure(sample, minimumContexts: 2)
        try AtomicFile.write(Data(ContextualityPlot.svg(report, title: "MiniLM").utf8), to: output.appendingPathComponent("contextuality.svg"))

        // SVGCanvas doc comment.
        var svg = SVGCanvas(width: 200, height: 100)
        svg.rect(x: 10, y: 10, width: 50, height: 20, fill: "#3366cc")
        svg.text("hello", x: 10, y: 60)
        #expect(svg.finished().hasPrefix("<?xml"))

        let written = try FileManager.default.contentsOfDirectory(atPath: output.path).sorted()
        #expect(written == ["all.svg", "attention.html", "contextuality.svg", "head.svg", "loss.svg"])
    }
}
