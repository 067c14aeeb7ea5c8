// `tinyencoder vectors-eval`: scores a vector file on word-pair similarity (Spearman, OOV share)
// and word analogies (accuracy per section and in total), as gensim's evaluators do.
// Not handled: other benchmarks' formats than "w1<TAB>w2<TAB>score" and questions-words.txt.

import Foundation
import WordVectors

enum VectorsEvalCommand: Command {
    static let name = "vectors-eval"
    static let summary = "score word vectors on word similarity and analogies"
    static let usage = """
        usage: tinyencoder vectors-eval --vectors FILE [--format F] [--word-pairs FILE] [--analogies FILE]
                                        [--restrict-vocab N] [--method 3cosadd|3cosmul] [--sections]
          --format          \(VectorFileFormat.names) (default: from the extension)
          --word-pairs      "word1<TAB>word2<TAB>score" lines, e.g. wordsim353.tsv → spearman=, oov_percent=
          --analogies       ": section" and "a b c d" lines, e.g. questions-words.txt → analogy_accuracy=
          --restrict-vocab  only the first N words take part (default 300000, as gensim 4)
          --sections        also print one line per analogy section
        """
    static let flagNames: Set<String> = ["sections", "replace-invalid-utf8"]

    static func run(_ arguments: inout Arguments) throws {
        let path = try arguments.required("vectors")
        let format = try parseFormat(arguments.string("format"))
        let pairs = arguments.string("word-pairs")
        let analogies = arguments.string("analogies")
        let restrict = try arguments.int("restrict-vocab", default: 300_000, in: 1...Int.max)
        let methodName = arguments.string("method") ?? "3cosadd"
        guard let method = AnalogyMethod(rawValue: methodName) else {
            throw CLIError("vectors-eval: --method must be 3cosadd or 3cosmul, got \"\(methodName)\"")
        }
        let showSections = arguments.flag("sections")
        let replace = arguments.flag("replace-invalid-utf8")
        try arguments.rejectUnknown()
        guard pairs != nil || analogies != nil else {
            throw CLIError("vectors-eval: give --word-pairs FILE and/or --analogies FILE (e.g. ../shared/data/wordsim353.tsv)")
        }
        let vectors = try VectorFile.read(path: path, format: format, replaceInvalidUTF8: replace)
        print("vectors=\(vectors.count) dim=\(vectors.dimension)")
        if let pairs {
            let result = try vectors.evaluateWordPairs(path: pairs, restrictVocabulary: restrict)
            print(String(format: "word_pairs=%@ spearman=%.4f pearson=%.4f pairs=%d oov_percent=%.1f",
                         (pairs as NSString).lastPathComponent, result.spearman, result.pearson, result.pairs, result.unknownPercent))
        }
        if let analogies {
            let result = try vectors.evaluateAnalogies(path: analogies, restrictVocabulary: restrict, method: method)
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

/// Parses a --format / --in-format / --out-format value.
func parseFormat(_ text: String?) throws -> VectorFileFormat? {
    guard let text else { return nil }
    guard let format = VectorFileFormat(rawValue: text) else {
        throw CLIError("unknown vector format \"\(text)\"; choose one of \(VectorFileFormat.names)")
    }
    return format
}
