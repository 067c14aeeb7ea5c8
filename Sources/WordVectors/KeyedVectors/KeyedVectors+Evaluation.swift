// Evaluation on the standard files, exactly as gensim 4 scores them: word-pair similarity
// (WordSim-353: Spearman and Pearson against human scores, pairs with unknown words skipped and
// reported as a share) and word analogies (questions-words.txt: accuracy per section and in total,
// only questions whose four words are among the first `restrictVocabulary` words, 300,000 by
// default as in gensim 4; word2vec.c's compute-accuracy used 30,000). Words are compared upper-cased.
// Reference: gensim KeyedVectors.evaluate_word_pairs / evaluate_word_analogies.
// Not handled: dummy4unknown (unknown words are always skipped).

import Foundation
import TextInput
import TensorCore

/// The result of `evaluateWordPairs`.
public struct WordPairEvaluation: Sendable {
    public var spearman: Double
    public var pearson: Double
    /// Pairs scored.
    public var pairs: Int
    /// Pairs skipped because a word is unknown.
    public var unknownPairs: Int
    /// unknownPairs / all pairs, in percent (gensim's oov_ratio).
    public var unknownPercent: Double { pairs + unknownPairs > 0 ? 100 * Double(unknownPairs) / Double(pairs + unknownPairs) : 0 }
}

/// One section of an analogy file.
public struct AnalogySection: Sendable {
    public var name: String
    public var correct: Int
    public var incorrect: Int
    public var accuracy: Double { correct + incorrect > 0 ? Double(correct) / Double(correct + incorrect) : 0 }
}

/// The result of `evaluateAnalogies`.
public struct AnalogyEvaluation: Sendable {
    public var sections: [AnalogySection]
    /// Questions skipped because a word is unknown or beyond `restrictVocabulary`.
    public var unknownQuestions: Int
    public var correct: Int { sections.reduce(0) { $0 + $1.correct } }
    public var incorrect: Int { sections.reduce(0) { $0 + $1.incorrect } }
    /// Correct / answered over all sections (gensim's "Total accuracy").
    public var accuracy: Double { correct + incorrect > 0 ? Double(correct) / Double(correct + incorrect) : 0 }
}

extension KeyedVectors {
    /// Upper-cased word → first row among the first `limit` rows (gensim's `ok_vocab`).
    func upperCasedIndex(limit: Int) -> [String: Int] {
        var map: [String: Int] = [:]
        for row in 0..<min(limit, count) {
            let key = words[row].uppercased()
            if map[key] == nil { map[key] = row }
        }
        return map
    }

    static func readLines(_ path: String, action: String) throws -> [String] {
        do {
            return try TextFile.lines(path, action: action)
        } catch let error as TextFileError {
            throw WordVectorsError.io(path: path, reason: "cannot be read (\(error.action)): \(error.cause)")
        } catch let error as InvalidUTF8Error {
            throw WordVectorsError.invalidUTF8(path: path, field: "line \(error.line)", byteOffset: error.byteOffset)
        }
    }

    // MARK: - Word pairs

    /// Spearman (and Pearson) correlation between cosine similarities and the human scores of a
    /// "word1<TAB>word2<TAB>score" file; lines starting with "#" are comments.
    public func evaluateWordPairs(_ url: URL, restrictVocabulary: Int = 300_000) throws -> WordPairEvaluation {
        let path = url.path
        let known = upperCasedIndex(limit: restrictVocabulary)
        var gold: [Double] = []
        var model: [Double] = []
        var unknown = 0
        for line in try KeyedVectors.readLines(path, action: "reading the word pairs") {
            if line.isEmpty || line.hasPrefix("#") { continue }
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
            guard fields.count == 3, let score = Double(fields[2].trimmingCharacters(in: .whitespaces)) else { continue }
            let first = String(fields[0]).uppercased(), second = String(fields[1]).uppercased()
            guard let a = known[first], let b = known[second] else { unknown += 1; continue }
            gold.append(score)
            model.append(Double(cosine(row(a), row(b))))
        }
        return WordPairEvaluation(
            spearman: spearmanCorrelation(gold, model), pearson: pearsonCorrelation(gold, model),
            pairs: gold.count, unknownPairs: unknown)
    }

    // MARK: - Analogies

    /// Accuracy on an analogy file (": section" lines, then "a b c d" questions), per section.
    /// A question counts when the best candidate outside {a, b, c} is d.
    /// - Complexity: one GEMM of [questions, D] × [D, restrictVocabulary] per batch of 256.
    public func evaluateAnalogies(
        _ url: URL, restrictVocabulary: Int = 300_000, method: AnalogyMethod = .add
    ) throws -> AnalogyEvaluation {
        let path = url.path
        let limit = min(count, restrictVocabulary)
        let known = upperCasedIndex(limit: limit)
        var sections: [AnalogySection] = []
        var pending: [(section: Int, rows: (Int, Int, Int), expected: String, ignore: Set<String>)] = []
        var unknown = 0
        for (number, rawLine) in try KeyedVectors.readLines(path, action: "reading the analogies").enumerated() {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty { continue }
            if line.hasPrefix(":") {
                let name = line.drop(while: { $0 == ":" || $0 == " " })
                sections.append(AnalogySection(name: String(name), correct: 0, incorrect: 0))
                continue
            }
            guard !sections.isEmpty else {
                throw WordVectorsError.malformed(path: path, field: "line \(number + 1)", detail: "a question before any \": section\" line")
            }
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map { String($0).uppercased() }
            guard fields.count == 4 else { continue }
            guard let a = known[fields[0]], let b = known[fields[1]], let c = known[fields[2]], known[fields[3]] != nil else {
                unknown += 1
                continue
            }
            pending.append((sections.count - 1, (a, b, c), fields[3], [fields[0], fields[1], fields[2]]))
        }
        let batch = 256
        var start = 0
        while start < pending.count {
            let slice = pending[start..<min(pending.count, start + batch)]
            let (scores, stride) = analogyScores(questions: slice.map { $0.rows }, method: method, limit: limit)
            for (offset, question) in slice.enumerated() {
                let excluded = [question.rows.0, question.rows.1, question.rows.2]
                let candidates = topIndices(scores, 0..<limit, count: 5, excluding: excluded, offset: offset * stride)
                let predicted = candidates.map { words[$0].uppercased() }.first { !question.ignore.contains($0) }
                if predicted == question.expected {
                    sections[question.section].correct += 1
                } else {
                    sections[question.section].incorrect += 1
                }
            }
            start += batch
        }
        return AnalogyEvaluation(sections: sections, unknownQuestions: unknown)
    }
}
