// `tinyencoder attention`: a text's attention as an SVG heat map or a self-contained HTML page
// (AttentionViz), and the mean entropy of every head on standard output, one key=value line each.
// Not handled: several texts in one page (run it once per text).

import AttentionViz
import Encoder
import Foundation
import TensorCore

enum AttentionCommand: Command {
    static let name = "attention"
    static let summary = "draw a text's attention: SVG heat map or interactive offline HTML page"
    static var help: HelpPage {
        HelpPage(
            usage: ["attention [--model DIR] --text TEXT --out FILE.svg|FILE.html [--layer L] [--head H] [--mask POSITIONS] [--truncate]"],
            description: "Draws one text's attention. An .html page is interactive and offline (a layer and head "
                + "selector, lines, matrix and text views, an entropy table); an .svg is a heat map with token labels.",
            options: [
                HelpOption("--model DIR", "a model folder", default: "$TINYENCODER_MODEL, else the shipped model"),
                HelpOption("--text TEXT", "the text (one sequence, special tokens added)"),
                HelpOption("--out FILE", ".svg or .html, written atomically; an existing file needs --force"),
                forceHelpOption,
                HelpOption("--layer L", "0-based layer, as in the trace names (layers.0 is the first); .html opens there",
                           default: "svg: every layer; html: 0"),
                HelpOption("--head H", "0-based head (an .svg needs --layer with it)", default: "svg: every head of the layer; html: 0"),
                HelpOption("--mask POSITIONS", "comma-separated token positions (0 is the first token, usually [CLS]) replaced by the mask token; the page then also shows ∂L/∂P and ∂L/∂S"),
                HelpOption("--truncate", "cut texts longer than the model's positions instead of refusing them"),
            ],
            output: """
                One key=value line per head on standard output: layer=L head=H entropy_bits=E max_bits=log2(T) \
                (the head's mean attention entropy, and its largest possible value for T tokens). A one-line summary goes to standard error.
                """,
            examples: ["attention --text \"The cat sat on the mat.\" --out attention.html",
                       "attention --text \"The cat sat on the mat.\" --layer 0 --head 1 --out head.svg"])
    }
    static let flagNames: Set<String> = ["truncate", "force"]

    static func run(_ arguments: inout Arguments) throws {
        let modelOption = arguments.string("model")
        let text = try arguments.required("text")
        let out = try arguments.required("out")
        let outURL = try arguments.requiredOutput("out", kind: .file)
        let layerText = arguments.string("layer")
        let headText = arguments.string("head")
        let maskText = arguments.string("mask")
        let truncate = arguments.flag("truncate")
        try arguments.rejectUnknown()
        let modelURL = try DefaultModel.resolve(modelOption)  // after rejectUnknown: a misspelt --model is named as such
        let lowered = out.lowercased()
        guard lowered.hasSuffix(".svg") || lowered.hasSuffix(".html") || lowered.hasSuffix(".htm") else {
            throw CLIError("attention: --out must end in .svg or .html, got \"\(out)\"")
        }

        var embedder = try SentenceEmbedder(folder: modelURL)
        embedder.truncates = truncate
        let (layers, heads) = (embedder.config.layerCount, embedder.config.headCount)
        guard layers > 0 else { throw CLIError("attention: \(modelURL.path) has no layers, so there is no attention to draw") }
        let layer = try index(layerText, option: "layer", count: layers, what: "layers")
        let head = try index(headText, option: "head", count: heads, what: "heads per layer")
        var positions: [Int] = []
        if let maskText {
            positions = try maskText.split(separator: ",").map { part in
                guard let position = Int(part.trimmingCharacters(in: .whitespaces)) else {
                    throw CLIError("attention: --mask takes comma-separated whole numbers, got \"\(part)\"")
                }
                return position
            }
        }
        let internals: AttentionInternals
        do {
            internals = try AttentionInternals.capture(embedder: embedder, text: text, maskedPositions: positions)
        } catch let error as AttentionCaptureError {
            throw CLIError("attention: \(error)")
        }

        let url = outURL
        if lowered.hasSuffix(".svg") {
            let svg: String
            switch (layer, head) {
            case let (layer?, head?): svg = AttentionHeatmap.svg(internals, layer: layer, head: head)
            case let (layer?, nil): svg = AttentionHeatmap.gridSVG(internals, layers: [layer])
            case (nil, nil): svg = AttentionHeatmap.gridSVG(internals)
            case (nil, _?): throw CLIError("attention: --head needs --layer for an SVG (or give neither for every head)")
            }
            try AtomicFile.write(Data(svg.utf8), to: url)
        } else {
            var page = AttentionPage(internals, title: modelURL.lastPathComponent, text: text)
            page.initialLayer = layer ?? 0
            page.initialHead = head ?? 0
            try page.write(to: url)
        }

        let maximum = log2(Double(max(internals.tokenCount, 1)))
        for attentionLayer in internals.layers {
            for attentionHead in attentionLayer.heads {
                print("layer=\(attentionLayer.index) head=\(attentionHead.index) entropy_bits=\(String(format: "%.4f", attentionHead.meanEntropy)) max_bits=\(String(format: "%.4f", maximum))")
            }
        }
        FileHandle.standardError.write("attention: \(internals.tokenCount) tokens, \(layers) layers × \(heads) heads → \(out)\n".data(using: .utf8)!)
    }

    /// A 0-based index option checked against `count`.
    private static func index(_ text: String?, option: String, count: Int, what: String) throws -> Int? {
        guard let text else { return nil }
        guard let value = Int(text), value >= 0, value < count else {
            throw CLIError("attention: --\(option) must be a whole number in 0..<\(count) (the model has \(count) \(what)), got \"\(text)\"")
        }
        return value
    }
}
