// WordInContext: one word in several sentences, and the cosine of its vectors between them at
// every layer. A static vector (word2vec, GloVe) gives "bank" one vector, so every cosine is 1; a
// contextual model gives it one per sentence, and in upper layers the river sentences agree with
// each other more than with the money sentences. Default: the shipped model and "bank" in four
// sentences; the word's vector is the mean of its sub-word tokens (WordPooling.mean).
// usage: swift run -c release WordInContext [--model DIR] [--word W SENTENCE SENTENCE ...]
// Not handled: choosing among several occurrences of the word in one sentence (the first is used).

import Foundation
import ShippedWeights
import TinyEncoder

func fail(_ message: String, status: Int32 = 1) -> Never {
    FileHandle.standardError.write("WordInContext: \(message)\n".data(using: .utf8)!)
    exit(status)
}

var arguments = Array(CommandLine.arguments.dropFirst())
var modelPath: String? = ProcessInfo.processInfo.environment["TINYENCODER_MODEL"].flatMap { $0.isEmpty ? nil : $0 }
var word = "bank"
var sentences: [String] = []
while !arguments.isEmpty {
    let argument = arguments.removeFirst()
    switch argument {
    case "--model":
        guard !arguments.isEmpty else { fail("--model needs a folder", status: 2) }
        modelPath = arguments.removeFirst()
    case "--word":
        guard !arguments.isEmpty else { fail("--word needs a word", status: 2) }
        word = arguments.removeFirst()
    case "-h", "--help":
        print("usage: swift run -c release WordInContext [--model DIR] [--word W SENTENCE SENTENCE ...]")
        exit(0)
    default:
        sentences.append(argument)
    }
}
// Two senses, two sentences each: the first half is one sense, the second half the other.
if sentences.isEmpty {
    guard word == "bank" else { fail("give at least two sentences with --word", status: 2) }
    sentences = [
        "We sat on the river bank and watched the water.",
        "The bank of the stream was steep and muddy.",
        "She opened a savings account at the bank.",
        "The bank raised its interest rates again.",
    ]
}
guard sentences.count >= 2 else { fail("give at least two sentences", status: 2) }

let folder: URL
if let modelPath {
    folder = URL(fileURLWithPath: modelPath)
} else {
    do { folder = try ShippedModel.folderURL() } catch { fail("\(error)\nPass a model folder: swift run -c release WordInContext --model DIR") }
}

do {
    var embedder = try SentenceEmbedder(folder: folder)
    embedder.truncates = true
    let states = try embedder.layerStates(sentences)                      // every layer, one forward pass
    let wanted = embedder.inputTexts([word])[0].lowercased()
    // [sentence][layer position][C]: the word's vector in each sentence at each layer.
    let vectors = try states.enumerated().map { index, text -> [[Float]] in
        let words = text.words
        guard let found = words.first(where: { $0.text.lowercased() == wanted }) else {
            throw ContextualError.wordNotFound(word: word, text: index, words: words.map(\.text))
        }
        let tokens = found.tokens.map { text.encoding.tokens[$0] }.joined(separator: " ")
        print("  \(Character(UnicodeScalar(65 + index)!))  \(sentences[index])    (\"\(found.text)\" = \(tokens))")
        return text.wordVectors([found], pooling: .mean).map { $0[0] }
    }
    let labels = sentences.indices.map { String(Character(UnicodeScalar(65 + $0)!)) }
    let pairs = sentences.indices.flatMap { a in ((a + 1)..<sentences.count).map { (a, $0) } }
    let half = sentences.count / 2
    let sameSense = { (pair: (Int, Int)) in (pair.0 < half) == (pair.1 < half) }
    let columns = pairs.map { "\(labels[$0.0])·\(labels[$0.1])" }
    print("\nThe cosine of \"\(word)\" between sentences, per layer (\(folder.lastPathComponent); 0 = embedding output).")
    if sentences.count >= 4 {
        print("Sentences \(labels[..<half].joined(separator: ", ")) use one sense, \(labels[half...].joined(separator: ", ")) the other.")
    }
    func row(_ name: String, _ values: [Double]) -> String {
        name.padding(toLength: 8, withPad: " ", startingAt: 0) + values.map { String(format: "%7.3f", $0) }.joined()
    }
    let summary = sentences.count >= 4 ? ["same", "other"] : []
    let rightAligned = { (name: String) in String(repeating: " ", count: max(0, 7 - name.count)) + name }
    print("layer   " + (columns + summary).map(rightAligned).joined())
    print(row("static", Array(repeating: 1, count: columns.count + summary.count)))
    for (position, layer) in states[0].layers.enumerated() {
        let cosines = pairs.map { Double(vectors[$0.0][position].cosineSimilarity(to: vectors[$0.1][position])) }
        var values = cosines
        if !summary.isEmpty {
            let same = zip(pairs, cosines).filter { sameSense($0.0) }.map(\.1)
            let other = zip(pairs, cosines).filter { !sameSense($0.0) }.map(\.1)
            values += [same.reduce(0, +) / Double(same.count), other.reduce(0, +) / Double(other.count)]
        }
        print(row("\(layer)", values))
    }
    if !summary.isEmpty {
        print("\nsame: mean over pairs of one sense; other: over pairs across senses. A static vector cannot tell them apart.")
    }
} catch {
    fail("\(error)")
}
