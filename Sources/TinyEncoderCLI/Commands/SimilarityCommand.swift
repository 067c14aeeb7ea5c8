// `tinyencoder similarity TEXT_A TEXT_B`: the cosine of the two texts' sentence vectors.
// Not handled: more than two texts (use `embed` and compute the matrix).

import Encoder
import Foundation

enum SimilarityCommand: Command {
    static let name = "similarity"
    static let summary = "cosine similarity of two texts' sentence vectors"
    static let usage = """
        usage: tinyencoder similarity [--model DIR] [--pooling cls|mean|max] [--truncate] TEXT_A TEXT_B
          prints the cosine similarity, a number in [-1, 1]
        """
    static let flagNames: Set<String> = ["truncate"]

    static func run(_ arguments: inout Arguments) throws {
        let modelOption = arguments.string("model")
        let poolingName = arguments.string("pooling")
        let truncate = arguments.flag("truncate")
        try arguments.rejectUnknown()
        let modelURL = try DefaultModel.resolve(modelOption)  // after rejectUnknown: a misspelt --model is named as such
        guard arguments.positionals.count == 2 else {
            throw CLIError("similarity: give exactly two texts, got \(arguments.positionals.count)")
        }
        let embedder = try SentenceEmbedder(folder: modelURL)
        if truncate { embedder.truncates = true }  // a sentence-transformers folder with max_seq_length truncates anyway
        if let poolingName {
            guard let strategy = PoolingStrategy(rawValue: poolingName) else {
                throw CLIError("similarity: --pooling must be cls, mean or max, got \"\(poolingName)\"")
            }
            embedder.pooling = Pooling(strategy)
        }
        let vectors = try embedder.embed(arguments.positionals)
        print(String(format: "%.6f", cosine(vectors[0], vectors[1])))
    }

    /// a·b / (‖a‖‖b‖), 0 when either vector is zero.
    static func cosine(_ a: [Float], _ b: [Float]) -> Float {
        var dot: Double = 0, aa: Double = 0, bb: Double = 0
        for index in a.indices {
            dot += Double(a[index]) * Double(b[index])
            aa += Double(a[index]) * Double(a[index])
            bb += Double(b[index]) * Double(b[index])
        }
        return aa == 0 || bb == 0 ? 0 : Float(dot / (aa.squareRoot() * bb.squareRoot()))
    }
}
