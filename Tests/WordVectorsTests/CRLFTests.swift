// Every line-based WordVectors input read from a CRLF copy gives what its LF original gives:
// WordSim-style pairs, analogy questions, word2vec and GloVe text vectors, and the corpus that
// every trainer (skip-gram, CBOW, fastText, GloVe, SVD) streams through TextCorpus. gensim reads
// all of these. Before TextInput, a CRLF analogy file answered 0 questions.
// Not handled: binary formats (no lines).

import Foundation
import Testing
import TestSupport
import TensorCore
@testable import WordVectors

@Suite struct CRLFTests {
    func crlfCopy(_ path: String) throws -> String {
        let text = String(decoding: try Data(contentsOf: URL(fileURLWithPath: path)), as: UTF8.self)
        return try temporaryTextFile(crlfBytes(text), name: URL(fileURLWithPath: path).lastPathComponent).path
    }

    func vectors() throws -> KeyedVectors { try VectorFile.read(URL(fileURLWithPath: fixturePath("eval-vectors.bin"))) }

    @Test func crlfWordPairsScoreAsLF() throws {
        let lf = try vectors().evaluateWordPairs(URL(fileURLWithPath: fixturePath("wordsim353.tsv")))
        let crlf = try vectors().evaluateWordPairs(URL(fileURLWithPath: try crlfCopy(fixturePath("wordsim353.tsv"))))
        #expect(lf.pairs > 0)
        #expect(crlf.pairs == lf.pairs && crlf.unknownPairs == lf.unknownPairs && crlf.spearman == lf.spearman)
    }

    @Test func crlfAnalogiesScoreAsLF() throws {
        let lf = try vectors().evaluateAnalogies(URL(fileURLWithPath: fixturePath("questions-words.txt")), restrictVocabulary: 1000)
        let crlf = try vectors().evaluateAnalogies(URL(fileURLWithPath: try crlfCopy(fixturePath("questions-words.txt"))), restrictVocabulary: 1000)
        #expect(lf.sections.count > 0)
        #expect(crlf.sections.map(\.name) == lf.sections.map(\.name))
        #expect(crlf.sections.map(\.correct) == lf.sections.map(\.correct))
        #expect(crlf.sections.map(\.incorrect) == lf.sections.map(\.incorrect))
    }

    @Test(arguments: [VectorFileFormat.word2vecText, .gloveText])
    func crlfTextVectorsReadAsLF(format: VectorFileFormat) throws {
        let original = KeyedVectors(words: ["a", "bé", "中"], vectors: Tensor(shape: [3, 2], scalars: [1, 2, 3.5, -4, 0.25, 6]))
        let path = temporaryPath("v.txt")
        try VectorFile.write(original, to: URL(fileURLWithPath: path), format: format)
        let read = try VectorFile.read(URL(fileURLWithPath: try crlfCopy(path)), format: format)
        #expect(read.words == original.words)
        #expect(read.vectors.scalars == original.vectors.scalars)
    }

    @Test func crlfCorpusCountsAndSentencesAsLF() throws {
        let text = "The cat sat.\nA dog ran\n\nthe cat ran again\n"
        let lf = try TextCorpus(contentsOf: URL(fileURLWithPath: temporaryFile(text)))
        let crlf = try TextCorpus(contentsOf: URL(fileURLWithPath: try temporaryTextFile(crlfBytes(text), name: "c.txt").path))
        let (lfVocabulary, crlfVocabulary) = (try Vocabulary.count(lf, minCount: 1, threads: 1), try Vocabulary.count(crlf, minCount: 1, threads: 1))
        #expect(crlfVocabulary.words == lfVocabulary.words && crlfVocabulary.counts == lfVocabulary.counts)
        #expect(crlfVocabulary.corpusLines == lfVocabulary.corpusLines)
        func sentences(_ corpus: TextCorpus) throws -> [[Int32]] {
            var all: [[Int32]] = []
            try corpus.forEachSentence(in: 0..<corpus.byteCount, table: lfVocabulary.table, maxSentenceLength: 100) { sentence, _ in
                all.append(Array(sentence))
            }
            return all
        }
        let expected = try sentences(lf)
        #expect(expected.count == 3)  // the empty line is no sentence
        #expect(try sentences(crlf) == expected)
    }
}
