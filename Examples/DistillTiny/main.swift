// DistillTiny: sentence distillation small enough to watch, then what a static model cannot see.
// Part 1: the tiny BERT of the test fixtures (2 layers × 32 wide) is the teacher; a student of one
// layer × 16 wide, with a learned projection 16 → 32, learns its sentence vectors on 600 lines of
// a corpus slice. Every 25 steps it prints the held-out MSE, the mean cosine between student and
// teacher vectors, and the agreement (Spearman's ρ between their cosines over held-out pairs): all
// three improve within seconds. Part 2: static vectors made from the shipped model (Model2Vec's
// rows: each token through the model alone) next to the shipped model itself, on a word-order
// pair and on "bank": a mean of token vectors gives word order no weight at all, and one vector
// per word whatever the text.
// Run: swift run -c release DistillTiny   (a few seconds of CPU time)
// Not handled: a real teacher run (see `tinyencoder distill` and Weights/README.md).

import Foundation
import ShippedWeights
import TinyEncoder

let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let fixtures = packageRoot.appendingPathComponent("Tests/Fixtures")

// MARK: - Part 1: a student learns a teacher's sentence vectors

let teacher = try SentenceEmbedder(folder: fixtures.appendingPathComponent("HuggingFace/tiny-bert"))
let lines = Array(try DistillationData.usableLines(of: fixtures.appendingPathComponent("Pretraining/corpus-slice.txt")).prefix(600))
let targets = try teacher.embed(lines)
let identity = TeacherVectors.Identity(teacherHash: "tiny-bert", corpusHash: "slice", lines: lines.count, dimension: 32, normalized: true)
let vectors = TeacherVectors(identity: identity, vectors: Tensor(shape: [lines.count, 32], scalars: targets.flatMap { $0 }))
let tokenizer = try BPECorpusTokenizer(teacher.tokenizer)
var configuration = DistillationConfiguration()
configuration.steps = 150
configuration.batchSize = 16
configuration.warmupSteps = 10
configuration.peakLearningRate = 3e-3
configuration.maximumLength = 48
configuration.evaluationLines = 100
configuration.evaluateEvery = 25
let data = try DistillationData.make(lines: lines, tokenizer: tokenizer, maximumLength: configuration.maximumLength,
                                     evaluationLines: configuration.evaluationLines, seed: 0)
let config = EncoderConfig(vocabularySize: tokenizer.vocabularySize, width: 16, layerCount: 1, headCount: 2, intermediateSize: 32,
                           maxPositions: 64, hiddenDropout: 0, attentionDropout: 0)
let student = SentenceStudent(model: MaskedLanguageModel(config: config, seed: 1), teacherWidth: 32)
let trainer = try DistillationTrainer(student: student, data: data, teacher: vectors, configuration: configuration, masker: nil)

final class Printer: DistillationObserver {
    func trainer(_ trainer: DistillationTrainer, didEvaluate report: DistillationEvaluation) {
        print(String(format: "%5d   %.5f   %.3f    %.3f", report.step, report.mse, report.cosine, report.agreement ?? .nan))
    }
}
print("Part 1: a 1 × 16 student learns the sentence vectors of a 2 × 32 teacher (\(data.train.count) lines, \(data.evaluation.count) held out)\n")
print(" step   MSE       cosine   agreement")
if let start = trainer.evaluate() { Printer().trainer(trainer, didEvaluate: start) }
try trainer.run(observers: [Printer()])

// MARK: - Part 2: static vectors lose word order and context

let shippedFolder = try ProcessInfo.processInfo.environment["TINYENCODER_MODEL"].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }
    ?? ShippedModel.folderURL()
let shipped = try SentenceEmbedder(folder: shippedFolder)
// A static model's row for token t is the teacher's vector of t alone ([CLS] t [SEP]); a text's
// static vector is the mean of its tokens' rows (`distill-static` adds PCA and frequency weights,
// which change neither point below). Only the rows these texts need are made here.
let (prefix, suffix) = try StaticDistillation.specialTokensAround(shipped.tokenizer)
func staticRow(_ id: Int) throws -> [Float] { try shipped.pooledVectors([prefix + [id] + suffix], normalize: false)[0] }
func staticVector(_ text: String) throws -> [Float] {
    let ids = try shipped.tokenizer.encode(text, addSpecialTokens: false).ids
    var sum = [Float](repeating: 0, count: try staticRow(ids[0]).count)
    for id in ids { for (index, value) in try staticRow(id).enumerated() { sum[index] += value / Float(ids.count) } }
    return sum
}
print("\nPart 2: the shipped model against static vectors made from it (Model2Vec's rows: each token alone)\n")

let orders = ["the dog bit the man", "the man bit the dog"]
let contextual = try shipped.embed(orders), bag = try orders.map(staticVector)
print(String(format: "  sentences \"%@\" / \"%@\":  contextual cosine %.3f   static cosine %.3f",
             orders[0], orders[1], contextual[0].cosineSimilarity(to: contextual[1]), bag[0].cosineSimilarity(to: bag[1])))

/// The vector of `word`'s token in `text`, from the shipped model (contextual) and from the static table.
func wordVectors(_ word: String, in text: String) throws -> (contextual: [Float], static: [Float]) {
    let ids = try shipped.tokenize([text])[0]
    // WordPiece spells the word as it is; byte-level BPE marks the space before it with Ġ.
    guard let id = [word, "\u{0120}" + word].lazy.compactMap({ shipped.tokenizer.id(forToken: $0) }).first(where: ids.contains),
          let position = ids.firstIndex(of: id) else {
        print("\"\(word)\" is not one token of \"\(text)\" for this model's tokenizer")
        exit(1)
    }
    return (try shipped.tokenVectors([text])[0][position], try staticRow(id))
}
let river = try wordVectors("bank", in: "she sat on the river bank"), money = try wordVectors("bank", in: "he paid money into the bank")
print(String(format: "  \"bank\" by the river / \"bank\" for money:     contextual cosine %.3f   static cosine %.3f",
             river.contextual.cosineSimilarity(to: money.contextual), river.static.cosineSimilarity(to: money.static)))
print("\nA static model gives both word orders one vector (a mean has no order) and \"bank\" one vector")
print("whatever the text; the encoder's attention tells them apart.")
