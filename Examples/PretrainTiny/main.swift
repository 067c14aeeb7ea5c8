// PretrainTiny: masked-LM pretraining from scratch, small enough to watch. It trains a byte-level
// BPE tokenizer (1,000 ids) on a 144 KB slice of the English corpus, packs the text into sequences
// of 64 tokens, and pretrains the `.tiny` encoder (2 layers × 128 wide) for 300 steps, printing
// the training loss falling and the held-out loss, accuracy and perplexity every 50 steps. At the
// end it fills in a masked word, before and after training. What a teacher sees: the loss falls
// from ln V ≈ 6.9 (uniform guessing) to the unigram level (the entropy of the token frequencies,
// printed first: the model has learned which tokens are frequent, so it guesses "." "," "the");
// leaving that plateau for real context takes thousands of steps (`tinyencoder pretrain`).
// Run: swift run -c release PretrainTiny [--plot loss.svg]   (about 9 s of CPU time, one thread)
//   --plot FILE.svg  also draws the training and held-out losses as an SVG line plot (AttentionViz.LinePlot)
// Not handled: saving the model (see `tinyencoder pretrain --out DIR`).

import Foundation
import TinyEncoder

var plotURL: URL? = nil
do {
    let arguments = Array(CommandLine.arguments.dropFirst())
    if arguments.count == 2, arguments[0] == "--plot" {
        plotURL = URL(fileURLWithPath: arguments[1])
    } else if !arguments.isEmpty {
        FileHandle.standardError.write("usage: swift run -c release PretrainTiny [--plot FILE.svg]\n".data(using: .utf8)!)
        exit(2)
    }
}

let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let corpusURL = packageRoot.appendingPathComponent("Tests/Fixtures/Pretraining/corpus-slice.txt")

// MARK: - Tokenizer and corpus

let bpe = try BPETrainer(.byteLevel(vocabularySize: 1000)).train(files: [corpusURL])
let tokenizer = try BPECorpusTokenizer(bpe, threads: Threads.count)
var configuration = PretrainingConfiguration()
configuration.corpus = CorpusOptions(sequenceLength: 64, packing: .sentences, evaluationFraction: 0.05, maximumEvaluationSequences: 64)
configuration.batchSize = 12
configuration.steps = 300
configuration.warmupSteps = 30
configuration.peakLearningRate = 2e-3
configuration.evaluateEvery = 50
configuration.seed = 1
let corpus = try PretrainingCorpus.load(files: [corpusURL], tokenizer: tokenizer, options: configuration.corpus)
print("corpus: \(corpus.lineCount) lines → \(corpus.train.count) training sequences of ≤ 64 tokens (\(corpus.train.tokenCount) tokens), \(corpus.evaluation.count) held out")

/// The loss of a model that knows only how often each token occurs: the entropy of the unigram
/// distribution of the tokens it must predict ([CLS] and [SEP] are never masked), in nats.
func unigramEntropy(_ sequences: PackedSequences) -> Double {
    let specials: Set<Int32> = [Int32(tokenizer.specialTokens.classification), Int32(tokenizer.specialTokens.separator)]
    var counts: [Int32: Int] = [:]
    for token in sequences.tokens where !specials.contains(token) { counts[token, default: 0] += 1 }
    let total = Double(counts.values.reduce(0, +))
    return counts.values.reduce(0) { sum, count in sum - Double(count) / total * log(Double(count) / total) }
}
let frequencyOnlyLoss = unigramEntropy(corpus.train)
print(String(format: "unigram entropy of the training tokens: %.3f nats (the loss of guessing by frequency alone)", frequencyOnlyLoss))

// MARK: - Model and trainer

var config = EncoderConfig.tiny(vocabularySize: tokenizer.vocabularySize)
config.maxPositions = 64
config.hiddenDropout = 0
config.attentionDropout = 0
let model = MaskedLanguageModel(config: config, seed: 0)
print("model: \(model.encoder.summary), \(model.parameterCount.formatted()) parameters\n")
let masker = DynamicMasker(configuration: configuration.masking, special: tokenizer.specialTokens,
                           vocabularySize: tokenizer.vocabularySize, wordStarts: tokenizer.wordStartTable())
let trainer = try PretrainingTrainer(model: model, corpus: corpus, masker: masker, configuration: configuration)

/// Shows the model's top guesses for one masked word.
func fillIn(_ words: [String], masking index: Int) throws -> String {
    let text = words.enumerated().map { $0.offset == index ? "[MASK]" : $0.element }.joined(separator: " ")
    var pieces: [Int] = [tokenizer.specialTokens.classification]
    for (position, word) in words.enumerated() {
        if position == index { pieces.append(tokenizer.specialTokens.mask); continue }
        pieces += try tokenizer.tokenIDs([(position == 0 ? "" : " ") + word])[0]
    }
    pieces.append(tokenizer.specialTokens.separator)
    let position = pieces.firstIndex(of: tokenizer.specialTokens.mask)!
    let (_, logits, _) = model.loss(EncoderInput(sequences: [pieces], padId: tokenizer.specialTokens.padding),
                                    maskedPositions: [position], targets: [0], context: .inference())
    let scores = logits.value.scalars
    let best = scores.indices.sorted { scores[$0] > scores[$1] }.prefix(5)
    return "\(text)\n    → " + best.map { "\"\(bpe.token(forID: $0)?.replacingOccurrences(of: "\u{0120}", with: " ") ?? "?")\"" }.joined(separator: ", ")
}

let probe = ["a", "small", "boat", "used", "for", "fishing"]
print("before training: " + (try fillIn(probe, masking: 2)) + "\n")

// MARK: - Training, printed as it goes

final class Printer: PretrainingObserver {
    var window: [Float] = []
    /// (step, mean training loss of the last 25 steps) and (step, held-out loss), for --plot.
    var training: [(x: Double, y: Double)] = []
    var heldOut: [(x: Double, y: Double)] = []
    func trainer(_ trainer: PretrainingTrainer, didStep report: StepReport) {
        window.append(report.loss)
        guard report.step % 25 == 0 else { return }
        let loss = window.reduce(0, +) / Float(window.count)
        window.removeAll()
        training.append((Double(report.step), Double(loss)))
        let bar = String(repeating: "█", count: max(0, Int((loss - 2) * 6)))
        print(String(format: "step %3d  loss %.3f  lr %.2e  ", report.step, loss, report.learningRate) + bar)
    }
    func trainer(_ trainer: PretrainingTrainer, didEvaluate report: EvaluationReport) {
        heldOut.append((Double(report.step), report.loss))
        print(String(format: "          held-out: loss %.3f, accuracy %.1f%%, perplexity %.1f", report.loss, 100 * report.accuracy, report.perplexity))
    }
}

let start = Date()
let printer = Printer()
if let initial = trainer.evaluate() {
    print(String(format: "step   0  held-out: loss %.3f (ln 1000 = %.3f), accuracy %.1f%%", initial.loss, log(1000.0), 100 * initial.accuracy))
    printer.heldOut.append((0, initial.loss))
}
try trainer.run(observers: [printer])
print(String(format: "\n%d steps in %.1f s (%.0f tokens/s, %d threads)", trainer.state.step, Date().timeIntervalSince(start),
             Double(trainer.state.tokensSeen) / trainer.state.trainingSeconds, Threads.count))
print("after training: " + (try fillIn(probe, masking: 2)))

if let plotURL {
    var plot = LinePlot(title: "PretrainTiny: masked-LM loss", xLabel: "step", yLabel: "loss (nats)")
    plot.yRange = 5.5...8.0  // room above ln V for the legend, which sits top right
    plot.add(LinePlot.Series(name: "training (mean of 25 steps)", points: printer.training))
    plot.add(LinePlot.Series(name: "held-out", points: printer.heldOut, dashed: true, showsPoints: true))
    let steps = Double(trainer.state.step)
    plot.add(LinePlot.Series(name: "ln V = ln 1000 (uniform guessing)", points: [(0, log(1000.0)), (steps, log(1000.0))], color: "#888888", dashed: true))
    plot.add(LinePlot.Series(name: "unigram entropy (frequency alone)", points: [(0, frequencyOnlyLoss), (steps, frequencyOnlyLoss)], color: "#2a9d4b", dashed: true))
    try plot.write(to: plotURL)
    print("plot: \(plotURL.path)")
}
