// `tinyencoder similarity TEXT_A TEXT_B`: the cosine of the two texts' sentence vectors.
// Not handled: more than two texts (use `embed` and compute the matrix).

import Encoder
import Foundation
import TensorCore

enum SimilarityCommand: Command {
    static let name = "similarity"
    static let summary = "cosine similarity of two texts' sentence vectors"
    static var help: HelpPage {
        HelpPage(
            usage: ["similarity [--model DIR] [--pooling \(PoolingStrategy.choiceList)] [--truncate] TEXT_A TEXT_B"],
            description: "The cosine of the two texts' sentence vectors (as `embed` computes them): a·b / (‖a‖‖b‖), "
                + "so whether the vectors are normalised does not matter.",
            options: [
                HelpOption("--model DIR", "a model folder", default: "$TINYENCODER_MODEL, else the shipped model"),
                HelpOption("--pooling P", PoolingStrategy.choiceList, default: "the folder's, else mean"),
                HelpOption("--truncate", "cut texts longer than the model's positions instead of refusing them"),
            ],
            output: "One line: the cosine similarity, a number in [-1, 1] with 6 decimals.",
            examples: ["similarity \"A man is playing a guitar.\" \"Someone plays an instrument.\""])
    }
    static let flagNames: Set<String> = ["truncate"]

    static func run(_ arguments: inout Arguments) throws {
        let modelOption = arguments.string("model")
        let pooling = try arguments.choice("pooling", PoolingStrategy.self)
        let truncate = arguments.flag("truncate")
        try arguments.rejectUnknown()
        let modelURL = try DefaultModel.resolve(modelOption)  // after rejectUnknown: a misspelt --model is named as such
        guard arguments.positionals.count == 2 else {
            throw CLIError("similarity: give exactly two texts, got \(arguments.positionals.count)")
        }
        let embedder = try SentenceEmbedder(folder: modelURL)
        if truncate { embedder.truncates = true }  // a sentence-transformers folder with max_seq_length truncates anyway
        if let pooling { embedder.pooling = Pooling(pooling) }
        let vectors = try embedder.embed(arguments.positionals)
        print(String(format: "%.6f", vectors[0].cosineSimilarity(to: vectors[1])))
    }
}
