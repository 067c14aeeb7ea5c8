// One set of word vectors (KeyedVectors from a word2vec .bin) shared by 8 tasks of a TaskGroup:
// every task's neighbours and similarities equal, bit for bit, what the same calls give one after
// another. The tasks start on freshly read vectors, so they also race to build the lazily made
// unit-normalised and transposed matrices (each behind its own lock).
// Not checked here: the values against gensim (KeyedVectorsTests and ReadmeSnippetTests do that).
import Testing
import TestSupport
import WordVectors

@Suite struct KeyedVectorsConcurrencyTests {
    struct Answers: Equatable, Sendable {
        var neighbours: [[String]]
        var scores: [[UInt32]]      // bit patterns
        var similarities: [UInt32]  // of word i and word i + 1
    }

    static func answers(_ vectors: KeyedVectors, words: [String]) throws -> Answers {
        var result = Answers(neighbours: [], scores: [], similarities: [])
        for (index, word) in words.enumerated() {
            let similar = try vectors.mostSimilar(to: word, topN: 10)
            result.neighbours.append(similar.map(\.word))
            result.scores.append(similar.map(\.similarity.bitPattern))
            result.similarities.append(try vectors.similarity(word, words[(index + 1) % words.count]).bitPattern)
        }
        return result
    }

    @Test func oneSetOfVectorsServesEightTasks() async throws {
        let vectors = try VectorFile.read(fixtureURL("WordVectors/eval-vectors.bin"))
        #expect(vectors.count >= 64)
        let words: @Sendable (Int) -> [String] = { task in (0..<8).map { vectors.words[task * 8 + $0] } }
        let concurrent = try await resultsOfConcurrentTasks(8) { task in try Self.answers(vectors, words: words(task)) }
        for task in 0..<8 {
            let serial = try Self.answers(vectors, words: words(task))
            #expect(concurrent[task] == serial, "task \(task)")
            #expect(concurrent[task].neighbours.allSatisfy { $0.count == 10 })
        }
    }
}
