// Bad input to the static-vector bridge: vectors whose vocabulary shares nothing with the
// tokenizer (another language and casing), dimensions the chosen mapping cannot bridge, NaN in a
// file, tables and counts of the wrong size; and the report's warnings for thin coverage.
import Encoder
import Foundation
import StaticVectorInitialization
import TensorCore
import TestSupport
import Testing
import Tokenization
import WordVectors

@Suite struct StaticInitializationErrorTests {
    @Test func emptyOverlapIsATypedErrorNamingTheFile() throws {
        let tokenizer = try tinyTokenizer()
        let path = fixtureURL("StaticInit/german-cased.txt").path
        let vectors = try StaticVectors.read(URL(fileURLWithPath: path))
        let statistics = try TokenCorpusStatistics.count(texts: tinyCorpus, tokenizer: tokenizer)
        do {
            _ = try StaticInitialization(tokenizer: tokenizer, vectors: vectors, statistics: statistics, random: Tensor(zeros: [35, 4]))
            Issue.record("an empty overlap was accepted")
        } catch let error as StaticInitializationError {
            guard case let .emptyOverlap(file, vocabularySize, vectorCount, _, sampleWords) = error else {
                Issue.record("wrong error \(error)"); return
            }
            #expect(file == path && vocabularySize == 35 && vectorCount == 3 && sampleWords == ["Haus", "Katze", "Hund"])
            #expect(error.description.contains(path) && error.description.contains("word rule"))
        }
    }

    @Test func dimensionsTheMappingCannotBridge() throws {
        let tokenizer = try tinyTokenizer()
        let vectors = try StaticVectors.read(fixtureURL("StaticInit/dim3.txt"))
        #expect(vectors.dimension == 3)
        let cases: [(DimensionMapping, Int)] = [(.none, 4), (.pca, 4), (.zeroPad, 2)]
        for (mapping, width) in cases {
            #expect(throws: StaticInitializationError.self, "\(mapping) 3 → \(width)") {
                _ = try StaticInitialization(tokenizer: tokenizer, vectors: vectors, statistics: nil,
                                             random: Tensor(zeros: [35, width]), options: StaticInitializationOptions(mapping: mapping))
            }
        }
        do {
            _ = try StaticInitialization(tokenizer: tokenizer, vectors: vectors, statistics: nil, random: Tensor(zeros: [35, 4]),
                                         options: StaticInitializationOptions(mapping: .none))
        } catch let error as StaticInitializationError {
            guard case let .dimensionMismatch(_, dimension, width, mapping, fix) = error else { Issue.record("wrong error \(error)"); return }
            #expect(dimension == 3 && width == 4 && mapping == "none" && fix.contains("--init-projection"))
        }
        // The automatic mapping bridges both ways.
        for width in [2, 3, 5] {
            let bridge = try StaticInitialization(tokenizer: tokenizer, vectors: vectors, statistics: nil, random: Tensor(shape: [35, width], repeating: 0.1))
            #expect(bridge.table.shape == [35, width])
            #expect(bridge.map.mapping == (width < 3 ? .pca : width == 3 ? .none : .zeroPad))
        }
    }

    @Test func nonFiniteVectorsAreRefused() throws {
        let path = fixtureURL("StaticInit/nan-vector.txt").path
        do {
            _ = try StaticVectors.read(URL(fileURLWithPath: path))
            Issue.record("a NaN vector was accepted")
        } catch let error as StaticInitializationError {
            #expect(error == .nonFiniteVector(vectors: path, word: "cat"))
        } catch let error as WordVectorsError {
            // A reader that refuses "nan" itself is as good, as long as it names the file.
            #expect(error.description.contains(path))
        }
    }

    @Test func tablesAndCountsOfTheWrongSize() throws {
        let tokenizer = try tinyTokenizer()
        #expect(throws: StaticInitializationError.self) {
            _ = try StaticInitialization(tokenizer: tokenizer, vectors: tinyVectors(), statistics: nil, random: Tensor(zeros: [34, 4]))
        }
        var statistics = try TokenCorpusStatistics.count(texts: tinyCorpus, tokenizer: tokenizer)
        statistics.tokenCounts.removeLast()
        #expect(throws: StaticInitializationError.self) {
            _ = try StaticInitialization(tokenizer: tokenizer, vectors: tinyVectors(), statistics: statistics, random: Tensor(zeros: [35, 4]))
        }
    }

    /// One word in common ("the"): no error, but the report warns that coverage is thin.
    @Test func thinCoverageIsWarned() throws {
        let tokenizer = try tinyTokenizer()
        let vectors = StaticVectors(KeyedVectors(words: ["the", "house"], vectors: Tensor(shape: [2, 4], scalars: [1, 0, 0, 0, 0, 1, 0, 0])), source: "thin")
        let statistics = try TokenCorpusStatistics.count(texts: tinyCorpus, tokenizer: tokenizer)
        let bridge = try StaticInitialization(tokenizer: tokenizer, vectors: vectors, statistics: statistics, random: Tensor(shape: [35, 4], repeating: 0.1))
        #expect(bridge.report.exact.tokens == 3)          // The, the, Ġthe
        #expect(bridge.report.warnings.contains { $0.contains("of the vocabulary got a static vector") })
        #expect(bridge.report.warnings.contains { $0.contains("of the corpus tokens are covered") })   // 3 of 14
        #expect(bridge.report.keyValueLine.contains("exact=3 composed=0 random=32 vocab=35"))
    }
}
