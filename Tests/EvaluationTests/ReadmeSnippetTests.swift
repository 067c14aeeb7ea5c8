// The usage snippet of Sources/Evaluation/README.md, compiled and run with committed fixtures in
// place of the real files (tiny-bert for all-MiniLM-L6-v2, a four-word vector file for
// vectors.bin, a six-line probe file for the supersense split), so it cannot rot.
import Encoder
import Evaluation
import Foundation
import Testing
import TestSupport

@Suite struct EvaluationReadmeSnippetTests {
    @Test func snippetRuns() throws {
        let lines = "a\tthe cat sat\nb\tI ran home\na\ta dog sat\nb\tyou ran away\na\tthe cat lay\nb\twe ran off\n"
        let probeFile = try temporaryTextFile(Array(lines.utf8), name: "probe.tsv")
        let vectorFile = try temporaryTextFile(Array("4 2\ncat 1 0\ndog 0.9 0.1\nran 0 1\nsat 0.5 0.5\n".utf8), name: "vectors.txt")
        let pairs = ["the cat sat", "a dog sat", "the cat sat", "I ran home", "a dog ran", "you ran away"]
        let sentences = ["The bank of the river.", "A bank loan.", "The bank was closed."]

        // Sources/Evaluation/README.md, with the paths replaced.
        let train = try LinearProbe.readExamples(probeFile)
        let test = try LinearProbe.readExamples(probeFile)
        let embedder = try SentenceEmbedder(folder: fixtureURL("HuggingFace/tiny-bert"))
        let report = LinearProbe.run(
            trainFeatures: LinearProbe.normalizedRows(try embedder.embed(train.map(\.text), normalize: false)), trainLabels: train.map(\.label),
            testFeatures: LinearProbe.normalizedRows(try embedder.embed(test.map(\.text), normalize: false)), testLabels: test.map(\.label))
        let baseline = try AveragedWordVectors(contentsOf: vectorFile)
        let agreement = try PairAgreement(texts: pairs, scored: baseline, reference: embedder)
        let sample = try embedder.contextualitySample(sentences)
        let measures = try Contextuality.measure(sample, minimumContexts: 3)

        // What each line gave: six texts, two classes, probed on its own training set; three pairs;
        // "bank" is in all three sentences ("the" in two), at the 3 layers of tiny-bert (0, 1, 2).
        #expect(report.classes == ["a", "b"] && report.accuracy >= 0 && report.accuracy <= 1)
        #expect(agreement.pairs == 3 && agreement.spearman.isFinite)
        #expect(measures.layers.map(\.layer) == [0, 1, 2])
        #expect(measures.measuredWords.map(\.word) == ["bank"])
        // The baseline's rows are means of known words: "the cat sat" → ([1, 0] + [0.5, 0.5]) / 2.
        #expect(baseline.vector(for: "the cat sat") == [0.75, 0.25])
    }
}
