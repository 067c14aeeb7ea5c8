// `tinyencoder similarity TEXT_A TEXT_B`: the cosine of the two texts' sentence vectors.
// --word W: the cosine of one word's vectors in the two texts, per layer (a word in context).
// Not handled: more than two texts (use `embed` and compute the matrix).

import Encoder
import Foundation
import TensorCore
import Tokenization

enum SimilarityCommand: Command {
    static let name = "similarity"
    static let summary = "cosine similarity of two texts' sentence vectors"
    static var help: HelpPage {
        HelpPage(
            usage: ["similarity [--model DIR] [--pooling \(PoolingStrategy.choiceList)] [--truncate] [--precision \(Precision.choiceList)] TEXT_A TEXT_B",
                    "similarity [--model DIR] --word W [--word-pooling \(WordPooling.choiceList)] [--truncate] TEXT_A TEXT_B"],
            description: "The cosine of the two texts' sentence vectors (as `embed` computes them): a·b / (‖a‖‖b‖), "
                + "so whether the vectors are normalised does not matter. With --word: the cosine of that word's "
                + "vectors in the two texts at every layer (0 is the embedding output), after a static vector's 1.",
            options: [
                HelpOption("--model DIR", "a model folder", default: "$TINYENCODER_MODEL, else the shipped model"),
                HelpOption("--pooling P", PoolingStrategy.choiceList, default: "the folder's, else mean"),
                HelpOption("--truncate", "cut texts longer than the model's positions instead of refusing them"),
                HelpOption("--word W", "compare this word's vectors (its first occurrence in each text, matched without regard to case; a word as the pre-tokenizer cuts it)"),
                HelpOption("--word-pooling P", "\(WordPooling.choiceList): a word's first token, the mean of its tokens, or its last", default: "mean"),
                precisionHelpOption,
            ],
            output: """
                One line: the cosine similarity, a number in [-1, 1] with 6 decimals.
                --word: a header "layer<TAB>cosine", a line "static<TAB>1.000000" (one vector per word), then "L<TAB>cosine" for every layer L.
                """,
            examples: ["similarity \"A man is playing a guitar.\" \"Someone plays an instrument.\"",
                       "similarity --word bank \"We sat on the river bank.\" \"She opened a bank account.\""])
    }
    static let flagNames: Set<String> = ["truncate"]

    static func run(_ arguments: inout Arguments) throws {
        let modelOption = arguments.string("model")
        let pooling = try arguments.choice("pooling", PoolingStrategy.self)
        let truncate = arguments.flag("truncate")
        let word = arguments.string("word")
        let wordPooling = try arguments.choice("word-pooling", WordPooling.self)
        let precision = try arguments.precision()
        try arguments.rejectUnknown()
        if wordPooling != nil && word == nil { throw CLIError("similarity: --word-pooling applies to --word") }
        if word != nil && pooling != nil { throw CLIError("similarity: --pooling applies to sentence vectors, not to --word") }
        let modelURL = try DefaultModel.resolve(modelOption)  // after rejectUnknown: a misspelt --model is named as such
        guard arguments.positionals.count == 2 else {
            throw CLIError("similarity: give exactly two texts, got \(arguments.positionals.count)")
        }
        if StaticEmbedder.isStaticFolder(modelURL) {   // distill-static's folders: one vector per token, a text is their mean
            if word != nil || pooling != nil {
                throw CLIError("similarity: \(modelURL.path) is a static model (one vector per token, mean-pooled); --word and --pooling need a Transformer model folder")
            }
            let vectors = try loadTextEmbedder(folder: modelURL, precision: precision).embed(arguments.positionals, normalize: false)
            print(String(format: "%.6f", vectors[0].cosineSimilarity(to: vectors[1])))
            return
        }
        var embedder = try SentenceEmbedder(folder: modelURL, precision: precision)
        if truncate { embedder.truncates = true }  // a sentence-transformers folder with max_seq_length truncates anyway
        if let word {
            let states = try embedder.layerStates(arguments.positionals)
            let vectors = try states.enumerated().map { index, text -> [[Float]] in
                let words = text.words
                let wanted = embedder.inputTexts([word])[0].lowercased()
                guard let found = words.firstIndex(where: { $0.text.lowercased() == wanted }) else {
                    throw ContextualError.wordNotFound(word: word, text: index, words: words.map(\.text))
                }
                return text.wordVectors([words[found]], pooling: wordPooling ?? .mean).map { $0[0] }   // [layer][C]
            }
            print("layer\tcosine")
            print("static\t1.000000")
            for (position, layer) in states[0].layers.enumerated() {
                print("\(layer)\t" + String(format: "%.6f", vectors[0][position].cosineSimilarity(to: vectors[1][position])))
            }
            return
        }
        if let pooling { embedder.pooling = Pooling(pooling) }
        let vectors = try embedder.embed(arguments.positionals)
        print(String(format: "%.6f", vectors[0].cosineSimilarity(to: vectors[1])))
    }
}
