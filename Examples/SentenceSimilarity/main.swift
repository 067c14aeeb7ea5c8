// SentenceSimilarity: sentence vectors from a model folder (default: the shipped model in
// Weights/, from ShippedWeights) and the matrix of their cosine similarities, with each sentence's
// nearest neighbour. Paraphrase pairs should score higher than unrelated sentences.
// usage: swift run -c release SentenceSimilarity [--model DIR] [--pooling cls|mean|max] [TEXT ...]
// Not handled: large collections (use `tinyencoder embed` and a vector index).

import Foundation
import ShippedWeights
import TinyEncoder


func fail(_ message: String, status: Int32 = 1) -> Never {
    FileHandle.standardError.write("SentenceSimilarity: \(message)\n".data(using: .utf8)!)
    exit(status)
}

var arguments = Array(CommandLine.arguments.dropFirst())
var modelPath: String? = ProcessInfo.processInfo.environment["TINYENCODER_MODEL"].flatMap { $0.isEmpty ? nil : $0 }
var pooling: PoolingStrategy? = nil
var texts: [String] = []
while !arguments.isEmpty {
    let argument = arguments.removeFirst()
    switch argument {
    case "--model":
        guard !arguments.isEmpty else { fail("--model needs a folder", status: 2) }
        modelPath = arguments.removeFirst()
    case "--pooling":
        guard let name = arguments.first, let strategy = PoolingStrategy(rawValue: name) else { fail("--pooling must be cls, mean or max", status: 2) }
        arguments.removeFirst()
        pooling = strategy
    case "-h", "--help":
        print("usage: swift run -c release SentenceSimilarity [--model DIR] [--pooling cls|mean|max] [TEXT ...]")
        exit(0)
    default:
        texts.append(argument)
    }
}
if texts.isEmpty {
    texts = [
        "A man is playing a guitar.",
        "Someone is playing an instrument.",
        "The stock market fell sharply on Monday.",
        "Share prices dropped at the start of the week.",
        "A cat is sleeping on the sofa.",
        "The kitten naps on the couch.",
    ]
}

let folder: URL
if let modelPath {
    folder = URL(fileURLWithPath: modelPath)
} else {
    do { folder = try ShippedModel.folderURL() } catch {
        fail("""
            \(error)
            Pass a model folder: swift run -c release SentenceSimilarity --model DIR
            (any folder with config.json, model.safetensors and tokenizer.json, e.g. one written by
            `swift run -c release AttentionByHand demo-model /tmp/demo` — random weights, so its similarities mean nothing).
            """)
    }
}
guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("config.json").path) else {
    fail("\(folder.path) has no config.json; give a model folder (config.json, model.safetensors, tokenizer.json)")
}

do {
    let start = Date()
    var embedder = try SentenceEmbedder(folder: folder)
    if let pooling { embedder.pooling = Pooling(pooling, normalize: embedder.pooling.normalize) }
    let vectors = try embedder.embed(texts)
    let seconds = Date().timeIntervalSince(start)
    print("model: \(folder.path) (\(embedder.config.layerCount) layers × \(embedder.config.width), \(embedder.pooling.strategy.rawValue) pooling)\n")
    for (index, text) in texts.enumerated() { print("  [\(index)] \(text)") }
    print("\ncosine similarity:")
    func pad(_ text: String, _ width: Int) -> String { String(repeating: " ", count: max(width - text.count, 0)) + text }
    print("      " + texts.indices.map { pad("[\($0)]", 7) }.joined())
    let matrix = vectors.cosineSimilarities(to: vectors)   // [n, n], as sentence-transformers' util.cos_sim
    for i in texts.indices {
        print(pad("[\(i)]", 5) + " " + matrix[i].map { String(format: "%7.3f", $0) }.joined())
    }
    print("\nnearest neighbour:")
    for i in texts.indices where texts.count > 1 {
        let best = texts.indices.filter { $0 != i }.max { matrix[i][$0] < matrix[i][$1] }!
        print(String(format: "  [%d] → [%d]  %.3f", i, best, matrix[i][best]))
    }
    print(String(format: "\n%d sentences embedded in %.2f s", texts.count, seconds))
} catch {
    fail("\(error)")
}
