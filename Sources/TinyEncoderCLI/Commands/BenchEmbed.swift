// `tinyencoder bench embed`: sentence-embedding throughput of a model folder, comparable line for
// line with Scripts/peers/minilm_encode.py: the same sentences (every non-blank line, its
// newline removed), a warm-up on the first 64, then the timed `embed` of all of them —
// tokenisation, length bucketing, the encoder, pooling and normalisation, as the peer's `encode`.
// A static folder (distill-static) is timed the same way: tokenisation, table look-up and mean.
// Not handled: loading time (both sides load before timing).

import Encoder
import Foundation
import TextInput
import TensorCore
import Tokenization

enum EmbedBenchmark: Benchmark {
    static let kind = "embed"
    static let synopsis = "embed --model FOLDER --file SENTENCES [--batch N] [--precision float32|bfloat16]"
    static let options = [
        HelpOption("--model FOLDER", "a model folder", default: "$TINYENCODER_MODEL, else the shipped model"),
        HelpOption("--file SENTENCES", "every non-blank line is a sentence (a warm-up on the first 64 comes first)"),
        HelpOption("--batch N", "texts of similar length per forward pass, as minilm_encode.py", default: "32"),
        precisionHelpOption,
    ]
    static let output = """
        embed: "sentences= tokens= padding_share= threads= batch= precision= seconds= sentences_per_s="
        """

    static func run(_ arguments: inout Arguments) throws {
        let modelOption = arguments.string("model")
        let path = try arguments.required("file")
        let batch = try arguments.int("batch", default: 32, in: 1...4096)
        let precision = try arguments.precision()
        try arguments.rejectUnknown()
        let modelURL = try DefaultModel.resolve(modelOption)  // after rejectUnknown: a misspelt --model is named as such
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw CLIError("bench embed: cannot read --file \(path): \(TextFile.readFailureCause(path))")
        }
        // minilm_encode.py: `[l.rstrip("\n") for l in open(f) if l.strip()]`; lines and bad bytes as every
        // reader takes them (TextInput: CRLF read as LF, --invalid-utf8 refuse or replace).
        let sentences = try TextLines.strings([UInt8](data), source: path)
            .filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
        guard !sentences.isEmpty else { throw CLIError("bench embed: --file \(path) has no non-blank lines") }

        if StaticEmbedder.isStaticFolder(modelURL) {
            if precision != .float32 { throw CLIError("bench embed: \(modelURL.path) is a static model (a table look-up, no products); use --precision float32") }
            try runStatic(folder: modelURL, sentences: sentences)
            return
        }
        var embedder = try SentenceEmbedder(folder: modelURL, precision: precision)
        embedder.batchSize = batch
        _ = try embedder.embed(Array(sentences.prefix(64)))  // warm-up, as the peer
        let start = monotonicSeconds()
        _ = try embedder.embed(sentences)
        let seconds = monotonicSeconds() - start
        // Tokens and padding of the batches as `embed` forms them (counted after timing).
        let lengths = try embedder.tokenize(sentences).map(\.count).sorted()
        var padded = 0
        for start in stride(from: 0, to: lengths.count, by: batch) {
            let group = lengths[start..<min(start + batch, lengths.count)]
            padded += (group.max() ?? 0) * group.count
        }
        let tokens = lengths.reduce(0, +)
        print("sentences=\(sentences.count) tokens=\(tokens) padding_share=\(String(format: "%.3f", 1 - Double(tokens) / Double(max(padded, 1)))) "
              + "threads=\(Threads.count) batch=\(batch) precision=\(precision.rawValue) seconds=\(String(format: "%.2f", seconds)) "
              + "sentences_per_s=\(String(format: "%.1f", Double(sentences.count) / seconds))")
    }

    /// A static model: no batches and no padding (each text is a mean of its own rows).
    private static func runStatic(folder: URL, sentences: [String]) throws {
        let embedder = try StaticEmbedder(folder: folder)
        _ = try embedder.embed(Array(sentences.prefix(64)))  // warm-up
        let start = monotonicSeconds()
        _ = try embedder.embed(sentences)
        let seconds = monotonicSeconds() - start
        let tokens = try embedder.tokenize(sentences).reduce(0) { $0 + $1.count }
        print("sentences=\(sentences.count) tokens=\(tokens) padding_share=0.000 threads=\(Threads.count) batch=all "
              + "seconds=\(String(format: "%.3f", seconds)) sentences_per_s=\(String(format: "%.1f", Double(sentences.count) / seconds))")
    }
}
