// `tinyencoder vectors-similar` and `vectors-analogy`: the two calls gensim users make most,
// `most_similar(word)` and `most_similar(positive=[b, c], negative=[a])`, on any vector file.
// Scores are cosines over unit vectors (3CosMul's are its ratio), as gensim computes them.
// Not handled: combined queries of several positive and negative words (the Swift API has them:
// KeyedVectors.mostSimilar(positive:negative:)).

import Foundation
import TextInput
import WordVectors

enum VectorsSimilarCommand: Command {
    static let name = "vectors-similar"
    static let summary = "nearest neighbours of words in a vector file (gensim's most_similar)"
    static var help: HelpPage {
        HelpPage(
            usage: ["vectors-similar --vectors FILE [--format F] [--topn N] [--restrict-vocab N] WORD ..."],
            description: "For each WORD, the words whose vectors have the highest cosine with its vector, the word "
                + "itself left out, as gensim's most_similar(WORD). A fastText .bin model also answers for words it "
                + "never saw (from their character n-grams); other files need the word in their vocabulary.",
            options: [
                HelpOption("--vectors FILE", "word2vec (text or binary), GloVe or fastText (.vec or .bin) vectors"),
                HelpOption("--format F", VectorFileFormat.choiceList, default: "told from the file's first bytes"),
                HelpOption("--topn N", "neighbours per word", default: "10"),
                HelpOption("--restrict-vocab N", "search only the first N words of the file", default: "all"),
                HelpOption("--replace-invalid-utf8", "decode broken words with U+FFFD instead of stopping (the same as the global --invalid-utf8 replace)"),
            ],
            output: "TSV, N lines per WORD, best first: WORD<TAB>NEIGHBOUR<TAB>COSINE (6 decimals).",
            examples: ["vectors-similar --vectors vectors.bin king paris --topn 5"])
    }
    static let flagNames: Set<String> = ["replace-invalid-utf8"]

    static func run(_ arguments: inout Arguments) throws {
        let path = try arguments.required("vectors")
        let format = try arguments.choice("format", VectorFileFormat.self)
        let topN = try arguments.int("topn", default: 10, in: 1...1_000_000)
        let restrict = try arguments.string("restrict-vocab").map { _ in try arguments.int("restrict-vocab", default: 0, in: 1...Int.max) }
        let replace = arguments.flag("replace-invalid-utf8") || InvalidUTF8Policy.current == .replace
        try arguments.rejectUnknown()
        guard !arguments.positionals.isEmpty else { throw CLIError("vectors-similar: give one or more words") }
        let vectors = try VectorFile.read(URL(fileURLWithPath: path), format: format, replaceInvalidUTF8: replace)
        var output = ""
        for word in arguments.positionals {
            for (neighbour, similarity) in try vectors.mostSimilar(positive: [word], topN: topN, restrictVocabulary: restrict) {
                output += word + "\t" + neighbour + "\t" + String(format: "%.6f", similarity) + "\n"
            }
        }
        FileHandle.standardOutput.write(Data(output.utf8))
    }
}

enum VectorsAnalogyCommand: Command {
    static let name = "vectors-analogy"
    static let summary = "answer \"A is to B as C is to ?\" with word vectors (gensim's analogy call)"
    static var help: HelpPage {
        HelpPage(
            usage: ["vectors-analogy --vectors FILE [--format F] [--method \(AnalogyMethod.choiceList)] [--topn N] [--restrict-vocab N] A B C"],
            description: "The words D that best complete \"A is to B as C is to D\", A, B and C left out: 3cosadd takes the "
                + "word nearest to B − A + C over unit vectors (gensim's most_similar(positive=[B, C], negative=[A])); "
                + "3cosmul maximises cos′(D,B)·cos′(D,C) / (cos′(D,A) + 1e-6) with cos′ = (cos + 1)/2 (most_similar_cosmul).",
            options: [
                HelpOption("--vectors FILE", "word2vec (text or binary), GloVe or fastText (.vec or .bin) vectors"),
                HelpOption("--format F", VectorFileFormat.choiceList, default: "told from the file's first bytes"),
                HelpOption("--method M", AnalogyMethod.choiceList, default: "3cosadd"),
                HelpOption("--topn N", "answers", default: "10"),
                HelpOption("--restrict-vocab N", "search only the first N words of the file", default: "all"),
                HelpOption("--replace-invalid-utf8", "decode broken words with U+FFFD instead of stopping (the same as the global --invalid-utf8 replace)"),
            ],
            output: "TSV, N lines, best first: ANSWER<TAB>SCORE (6 decimals).",
            examples: ["vectors-analogy --vectors vectors.bin man king woman --topn 1"])
    }
    static let flagNames: Set<String> = ["replace-invalid-utf8"]

    static func run(_ arguments: inout Arguments) throws {
        let path = try arguments.required("vectors")
        let format = try arguments.choice("format", VectorFileFormat.self)
        let method = try arguments.choice("method", default: AnalogyMethod.add)
        let topN = try arguments.int("topn", default: 10, in: 1...1_000_000)
        let restrict = try arguments.string("restrict-vocab").map { _ in try arguments.int("restrict-vocab", default: 0, in: 1...Int.max) }
        let replace = arguments.flag("replace-invalid-utf8") || InvalidUTF8Policy.current == .replace
        try arguments.rejectUnknown()
        guard arguments.positionals.count == 3 else {
            throw CLIError("vectors-analogy: give three words A B C (\"A is to B as C is to ?\"), got \(arguments.positionals.count)")
        }
        let (a, b, c) = (arguments.positionals[0], arguments.positionals[1], arguments.positionals[2])
        let vectors = try VectorFile.read(URL(fileURLWithPath: path), format: format, replaceInvalidUTF8: replace)
        var output = ""
        for (answer, score) in try vectors.analogy(a: a, b: b, c: c, method: method, topN: topN, restrictVocabulary: restrict) {
            output += answer + "\t" + String(format: "%.6f", score) + "\n"
        }
        FileHandle.standardOutput.write(Data(output.utf8))
    }
}
