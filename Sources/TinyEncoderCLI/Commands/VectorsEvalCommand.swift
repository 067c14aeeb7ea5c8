// `tinyencoder vectors-eval`: scores a vector file on word-pair similarity (Spearman, OOV share)
// and word analogies (accuracy per section and in total), as gensim's evaluators do.
// Not handled: other benchmarks' formats than "w1<TAB>w2<TAB>score" and questions-words.txt.

import Foundation
import TextInput
import WordVectors

enum VectorsEvalCommand: Command {
    static let name = "vectors-eval"
    static let summary = "score word vectors on word similarity and analogies"
    static var help: HelpPage {
        HelpPage(
            usage: ["vectors-eval --vectors FILE [--format F] [--word-pairs FILE] [--analogies FILE]",
                    "             [--restrict-vocab N] [--method \(AnalogyMethod.choiceList)] [--sections] [--replace-invalid-utf8]"],
            description: "Scores word vectors as gensim's evaluate_word_pairs and evaluate_word_analogies do: words are "
                + "compared upper-cased, pairs or questions with an unknown word are skipped and counted.",
            options: [
                HelpOption("--vectors FILE", "word2vec (text or binary), GloVe or fastText (.vec or .bin) vectors"),
                HelpOption("--format F", VectorFileFormat.choiceList, default: "told from the file's first bytes"),
                HelpOption("--word-pairs FILE", "\"word1<TAB>word2<TAB>score\" lines (WordSim-353, SimLex-999); # starts a comment"),
                HelpOption("--analogies FILE", "\": section\" and \"a b c d\" lines (questions-words.txt)"),
                HelpOption("--restrict-vocab N", "only the first N words take part", default: "300000, as gensim 4"),
                HelpOption("--method M", AnalogyMethod.choiceList, default: "3cosadd"),
                HelpOption("--sections", "also print one line per analogy section"),
                HelpOption("--replace-invalid-utf8", "decode broken words with U+FFFD instead of stopping (the same as the global --invalid-utf8 replace)"),
            ],
            output: """
                key=value lines: first "vectors=V dim=D"; with --word-pairs "word_pairs=NAME spearman= pearson= pairs= oov_percent="; \
                with --sections one "section=NAME correct= total= accuracy=" per section; with --analogies \
                "analogies=NAME method= analogy_accuracy= correct= answered= skipped_oov=". Fractions have 4 decimals.
                """,
            examples: ["vectors-eval --vectors vectors.bin --word-pairs wordsim353.tsv --analogies questions-words.txt"])
    }
    static let flagNames: Set<String> = ["sections", "replace-invalid-utf8"]

    static func run(_ arguments: inout Arguments) throws {
        let path = try arguments.required("vectors")
        let format = try arguments.choice("format", VectorFileFormat.self)
        let pairs = arguments.string("word-pairs")
        let analogies = arguments.string("analogies")
        let restrict = try arguments.int("restrict-vocab", default: 300_000, in: 1...Int.max)
        let method = try arguments.choice("method", default: AnalogyMethod.add)
        let showSections = arguments.flag("sections")
        let replace = arguments.flag("replace-invalid-utf8") || InvalidUTF8Policy.current == .replace
        try arguments.rejectUnknown()
        guard pairs != nil || analogies != nil else {
            throw CLIError("vectors-eval: give --word-pairs FILE and/or --analogies FILE (e.g. wordsim353.tsv, questions-words.txt)")
        }
        let vectors = try VectorFile.read(URL(fileURLWithPath: path), format: format, replaceInvalidUTF8: replace)
        print("vectors=\(vectors.count) dim=\(vectors.dimension)")
        if let pairs {
            let result = try vectors.evaluateWordPairs(URL(fileURLWithPath: pairs), restrictVocabulary: restrict)
            print(String(format: "word_pairs=%@ spearman=%.4f pearson=%.4f pairs=%d oov_percent=%.1f",
                         (pairs as NSString).lastPathComponent, result.spearman, result.pearson, result.pairs, result.unknownPercent))
        }
        if let analogies {
            let result = try vectors.evaluateAnalogies(URL(fileURLWithPath: analogies), restrictVocabulary: restrict, method: method)
            if showSections {
                for section in result.sections {
                    print(String(format: "section=%@ correct=%d total=%d accuracy=%.4f",
                                 section.name, section.correct, section.correct + section.incorrect, section.accuracy))
                }
            }
            print(String(format: "analogies=%@ method=%@ analogy_accuracy=%.4f correct=%d answered=%d skipped_oov=%d",
                         (analogies as NSString).lastPathComponent, method.rawValue, result.accuracy, result.correct,
                         result.correct + result.incorrect, result.unknownQuestions))
        }
    }
}
