// TrainWord2Vec: trains skip-gram word2vec on a text corpus in a few seconds, then prints what a
// teacher wants to show: the nearest neighbours of a few words and one analogy (a is to b as c is
// to ?), solved by 3CosAdd and 3CosMul.
// Reference: Docs/Word2Vec.md. Not handled: saving the vectors (see `tinyencoder vectors-train`).
//
// usage: swift run -c release TrainWord2Vec [CORPUS.txt [MEGABYTES=12] [EPOCHS=2]]
//   no corpus: the 144 KB slice committed in Tests/Fixtures (23,000 words, dictionary glosses),
//   trained for 20 epochs. That runs from a fresh clone, but 23,000 words are far too few for
//   good vectors: its neighbours mostly share glosses. For neighbours that make sense, give a
//   corpus of a few million words, e.g. the English corpus of Scripts/peers/README.md:
//   swift run -c release TrainWord2Vec corpus-en.txt

import Foundation
import WordVectors

let arguments = CommandLine.arguments
if arguments.count >= 2, ["-h", "--help"].contains(arguments[1]) {
    print("usage: TrainWord2Vec [CORPUS.txt [MEGABYTES=12] [EPOCHS=2]]  (one sentence per line, UTF-8)")
    exit(0)
}
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let usesSlice = arguments.count < 2
let corpusPath = usesSlice ? packageRoot.appendingPathComponent("Tests/Fixtures/Pretraining/corpus-slice.txt").path : arguments[1]
let megabytes = arguments.count > 2 ? Int(arguments[2]) ?? 12 : 12
var config = Word2VecConfig.skipGram
config.epochs = arguments.count > 3 ? Int(arguments[3]) ?? 2 : (usesSlice ? 20 : 2)
if usesSlice {
    config.minCount = 3
    config.dimension = 50
}
let probes = usesSlice ? ["plant", "python", "person", "small"] : ["water", "king", "red", "music", "three"]

do {
    let corpus = try TextCorpus(contentsOf: URL(fileURLWithPath: corpusPath), byteLimit: megabytes << 20)
    print("training skip-gram on \(usesSlice ? "the committed 144 KB slice" : "the first \(megabytes) MB of \(corpusPath)"): dim \(config.dimension), "
          + "window \(config.window), negative \(config.negative), epochs \(config.epochs)")
    let start = Date()
    let model = try Word2Vec.train(corpus: corpus, config: config, showProgress: true)
    let vectors = model.keyedVectors
    let report = model.lastReport!
    print(String(format: "%d words in the vocabulary, %.1f s, %.0f words/s\n", vectors.count,
                 Date().timeIntervalSince(start), report.wordsPerSecond))

    for word in probes where vectors.contains(word) {
        let neighbours = try vectors.mostSimilar(to: word, topN: 6)
        let list = neighbours.map { String(format: "%@ %.2f", $0.word, $0.similarity) }.joined(separator: ", ")
        print("nearest to \(word.padding(toLength: 6, withPad: " ", startingAt: 0)): \(list)")
    }
    let (a, b, c) = ("man", "king", "woman")
    if usesSlice {
        print("\n(no analogy: \"king\" occurs 3 times in the slice; give a corpus of millions of words for man : king = woman : ?)")
    } else if [a, b, c].allSatisfy(vectors.contains) {
        for method in AnalogyMethod.allCases {
            let answers = try vectors.analogy(a: a, b: b, c: c, method: method, topN: 3)
            print("\n\(a) : \(b) = \(c) : ?   (\(method.rawValue))  "
                  + answers.map { String(format: "%@ %.3f", $0.word, $0.score) }.joined(separator: ", "))
        }
    }
} catch {
    print("error: \(error)")
    exit(1)
}
