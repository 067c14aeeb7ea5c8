// `tinyencoder bench encoder` and `bench train`: the same BERT-style encoder as
// Scripts/peers/torch_encoder.py (post-LN, learned positions, GELU, LayerNorm ε 1e-12, no
// dropout), timed on a random batch. encoder: the inference forward pass; train: one masked-LM
// step (forward, head at the masked positions only, cross-entropy, backward, AdamW).
// Not handled: padding (every sequence is full length, as in the peer script).

import Autograd
import Encoder
import Foundation
import NeuralNetwork
import Pretraining
import TensorCore

/// The options both benchmarks share, with torch_encoder.py's defaults.
struct EncoderBenchmarkShape {
    var layers = 4, width = 256, heads = 4, ffn = 1024, vocabulary = 8000, length = 128, batch = 32, steps = 10
    var maskPercent = 15

    static let usageOptions = "[--layers N] [--dim N] [--heads N] [--ffn N] [--vocab N] [--seq N] [--batch N] [--steps N]"
    static var helpOptions: [HelpOption] {
        let shape = EncoderBenchmarkShape()
        return [
            HelpOption("--layers N", "encoder layers", default: "\(shape.layers)"),
            HelpOption("--dim N", "model width", default: "\(shape.width)"),
            HelpOption("--heads N", "attention heads", default: "\(shape.heads)"),
            HelpOption("--ffn N", "feed-forward width", default: "\(shape.ffn)"),
            HelpOption("--vocab N", "vocabulary size", default: "\(shape.vocabulary)"),
            HelpOption("--seq N", "tokens per sequence", default: "\(shape.length)"),
            HelpOption("--batch N", "sequences per batch", default: "\(shape.batch)"),
            HelpOption("--steps N", "timed passes (after one warm-up)", default: "\(shape.steps)"),
        ]
    }

    init() {}

    init(_ arguments: inout Arguments, command: String) throws {
        layers = try arguments.int("layers", default: layers, in: 0...64)
        width = try arguments.int("dim", default: width, in: 1...8192)
        heads = try arguments.int("heads", default: heads, in: 1...256)
        ffn = try arguments.int("ffn", default: ffn, in: 1...65536)
        vocabulary = try arguments.int("vocab", default: vocabulary, in: 2...1_000_000)
        length = try arguments.int("seq", default: length, in: 1...4096)
        batch = try arguments.int("batch", default: batch, in: 1...4096)
        steps = try arguments.int("steps", default: steps, in: 1...100_000)
        maskPercent = try arguments.int("mask-percent", default: maskPercent, in: 1...100)
        guard width % heads == 0 else { throw CLIError("\(command): --heads \(heads) must divide --dim \(width)") }
    }

    var config: EncoderConfig {
        EncoderConfig(vocabularySize: vocabulary, width: width, layerCount: layers, headCount: heads, intermediateSize: ffn,
                      maxPositions: max(512, length), hiddenDropout: 0, attentionDropout: 0)
    }

    func randomInput(_ generator: inout SeededGenerator) -> EncoderInput {
        EncoderInput(sequences: (0..<batch).map { _ in (0..<length).map { _ in generator.nextInt(below: vocabulary) } }, padId: 0)
    }

    var description: String { "layers=\(layers) dim=\(width) heads=\(heads) ffn=\(ffn) vocab=\(vocabulary) seq=\(length) batch=\(batch)" }
}

enum EncoderBenchmark: Benchmark {
    static let kind = "encoder"
    static let synopsis = "encoder " + EncoderBenchmarkShape.usageOptions + " [--precision float32|bfloat16]"
    static var options: [HelpOption] { EncoderBenchmarkShape.helpOptions + [precisionHelpOption] }
    static let output = """
        encoder (the inference forward pass): "forward_tokens_per_s= gflops= peak_mib= threads= precision= bf16_path=" and the shape (tokens = batch × seq; bf16_path= with bfloat16 only)
        """

    static func run(_ arguments: inout Arguments) throws {
        let shape = try EncoderBenchmarkShape(&arguments, command: "bench encoder")
        let precision = try arguments.precision()
        try arguments.rejectUnknown()
        let encoder = TransformerEncoder(config: shape.config, seed: 0)
        try encoder.setInferencePrecision(precision)
        let bf16Path = precision == .bfloat16 ? " bf16_path=\(try BFloat16Support.kernelPath())" : ""
        var generator = SeededGenerator(seed: 1)
        let input = shape.randomInput(&generator)
        _ = encoder(input, context: .inference())  // warm-up
        let start = monotonicSeconds()
        for _ in 0..<shape.steps { _ = encoder(input, context: .inference()) }
        let seconds = (monotonicSeconds() - start) / Double(shape.steps)
        let tokens = Double(shape.batch * shape.length)
        // Multiply-adds per token per layer: 4C² (projections) + 2CF (FFN) + 2TC (scores and P·V).
        let (c, f, t) = (Double(shape.width), Double(shape.ffn), Double(shape.length))
        let flops = 2 * tokens * Double(shape.layers) * (4 * c * c + 2 * c * f + 2 * t * c)
        print("\(shape.description) threads=\(Threads.count) precision=\(precision.rawValue)\(bf16Path) forward_tokens_per_s=\(Int(tokens / seconds)) gflops=\(String(format: "%.1f", flops / seconds / 1e9)) ms_per_batch=\(String(format: "%.1f", seconds * 1000)) peak_mib=\(Int(peakResidentMiB()))")
    }
}

enum TrainBenchmark: Benchmark {
    static let kind = "train"
    static let synopsis = "train " + EncoderBenchmarkShape.usageOptions + " [--mask-percent N]"
    static var options: [HelpOption] {
        EncoderBenchmarkShape.helpOptions + [HelpOption("--mask-percent N", "share of tokens masked", default: "\(EncoderBenchmarkShape().maskPercent)")]
    }
    static let output = """
        train (one masked-LM step: forward, head at the masked positions, backward, AdamW): "train_tokens_per_s= gflops= peak_mib= threads=" (gflops counts the work done: the last block runs at the masked positions only)
        """

    static func run(_ arguments: inout Arguments) throws {
        let shape = try EncoderBenchmarkShape(&arguments, command: "bench train")
        try arguments.rejectUnknown()
        let model = MaskedLanguageModel(config: shape.config, seed: 0)
        let optimizer = AdamW(parameters: model.parameters(), configuration: .init(weightDecay: 0.01))
        var generator = SeededGenerator(seed: 1)
        let input = shape.randomInput(&generator)
        let positions = (0..<(shape.batch * shape.length)).filter { _ in generator.nextInt(below: 100) < shape.maskPercent }
        let targets = positions.map { _ in generator.nextInt(below: shape.vocabulary) }
        let batch = MaskedBatch(input: input, maskedPositions: positions, targets: targets)
        func step() {
            // As the trainer runs an MLM step: one run of sequences per thread (DataParallelStep.swift).
            var generator = SeededGenerator(seed: 2)
            _ = maskedLMPasses(model: model, batch: batch, parts: Threads.count, scale: 1, generator: &generator)
            optimizer.update(learningRate: 1e-4)
            for entry in optimizer.parameters { entry.parameter.zeroGradient() }
        }
        step()  // warm-up
        BufferPool.shared.raiseLimitToPeakLive()  // as the trainer does after its first step
        let start = monotonicSeconds()
        for _ in 0..<shape.steps { step() }
        let seconds = (monotonicSeconds() - start) / Double(shape.steps)
        let tokens = Double(shape.batch * shape.length), masked = Double(positions.count)
        // Multiply-adds of the forward pass as run: every layer but the last on all tokens, the
        // last one's keys and values on all tokens and the rest at the masked rows only, the head
        // at the masked rows. The backward costs twice the forward.
        let (c, f, t, v) = (Double(shape.width), Double(shape.ffn), Double(shape.length), Double(shape.vocabulary))
        let perPosition = 4 * c * c + 2 * c * f + 2 * t * c
        let blocks = shape.layers == 0 ? 0 : Double(shape.layers - 1) * tokens * perPosition + tokens * 2 * c * c
            + masked * (perPosition - 2 * c * c)
        let forward = blocks + masked * (c * c + c * v)
        let gflops = 3 * 2 * forward / seconds / 1e9
        print("\(shape.description) masked=\(positions.count) threads=\(Threads.count) train_tokens_per_s=\(Int(tokens / seconds)) gflops=\(String(format: "%.1f", gflops)) ms_per_step=\(String(format: "%.1f", seconds * 1000)) peak_mib=\(Int(peakResidentMiB()))")
    }
}
