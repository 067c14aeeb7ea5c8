// PretrainTiny: masked-LM pretraining from scratch, small enough to watch. It trains a byte-level
// BPE tokenizer (1,000 ids) on a 144 KB slice of the shared corpus, packs the text into sequences
// of 64 tokens, and pretrains the `.tiny` encoder (2 layers × 128 wide) for 300 steps, printing
// the training loss falling and the held-out loss, accuracy and perplexity every 50 steps. At the
// end it fills in a masked word, before and after training. What a teacher sees: the loss falls
// from ln V ≈ 6.9 (uniform guessing) to the unigram level (≈ 5.8: the model has learned which
// tokens are frequent, so it guesses "." "," "the"); leaving that plateau for real context
// takes thousands of steps (`tinyencoder pretrain`).
// Run: swift run -c release PretrainTiny   (about 15 s on 2 idle cores)
// Not handled: saving the model (see `tinyencoder pretrain --out DIR`).

import Foundation
import TinyEncoder

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
    func trainer(_ trainer: PretrainingTrainer, didStep report: StepReport) {
        window.append(report.loss)
        guard report.step % 25 == 0 else { return }
        let loss = window.reduce(0, +) / Float(window.count)
        window.removeAll()
        let bar = String(repeating: "█", count: max(0, Int((loss - 2) * 6)))
        print(String(format: "step %3d  loss %.3f  lr %.2e  ", report.step, loss, report.learningRate) + bar)
    }
    func trainer(_ trainer: PretrainingTrainer, didEvaluate report: EvaluationReport) {
        print(String(format: "          held-out: loss %.3f, accuracy %.1f%%, perplexity %.1f", report.loss, 100 * report.accuracy, report.perplexity))
    }
}

let start = Date()
if let initial = trainer.evaluate() {
    print(String(format: "step   0  held-out: loss %.3f (ln 1000 = %.3f), accuracy %.1f%%", initial.loss, log(1000.0), 100 * initial.accuracy))
}
try trainer.run(observers: [Printer()])
print(String(format: "\n%d steps in %.1f s (%.0f tokens/s, %d threads)", trainer.state.step, Date().timeIntervalSince(start),
             Double(trainer.state.tokensSeen) / trainer.state.trainingSeconds, Threads.count))
print("after training: " + (try fillIn(probe, masking: 2)))
