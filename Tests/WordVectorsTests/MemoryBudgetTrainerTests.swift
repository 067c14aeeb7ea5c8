// Every trainer's memory check, made to refuse without allocating anything: each job runs under a
// small task-local limit (`MemoryBudget.$limit`) and must stop with the MemoryBudgetError of its
// own tables, before it allocates them. The limits sit between two estimates worked out by hand
// from the formulas in Docs/Reliability.md ("Memory"), so each check is tested on its own: removing
// any one trainer's `MemoryBudget.check` call fails a test here.
// Not handled: the CLI's wording (OutputSafetyCLITests), BPE's check (TinyEncoderCLITests).

import Foundation
import TensorCore
import Testing
import TestSupport
import WordVectors

@Suite struct MemoryBudgetTrainerTests {
    /// 300 distinct words ("w0" … "w299"), each 3 times: 90 lines of 10 words.
    static func corpus() throws -> TextCorpus {
        let lines = (0..<90).map { line in (0..<10).map { "w\((line * 10 + $0) % 300)" }.joined(separator: " ") }
        return try TextCorpus(contentsOf: try temporaryTextFile(Array((lines.joined(separator: "\n") + "\n").utf8), name: "words.txt"))
    }

    @Test func word2vecChecksItsTwoTables() throws {
        let corpus = try Self.corpus()
        var config = Word2VecConfig()
        config.minCount = 1
        config.dimension = 100
        config.epochs = 1
        // 2 × 300 words × 100 dimensions × 4 bytes = 240,000 bytes.
        let what = memoryBudgetRefusal(under: 200_000) { _ = try Word2Vec.train(corpus: corpus, config: config) }
        #expect(what?.contains("word2vec's input and output vectors (300 words × 100 dimensions, twice)") == true, "\(what ?? "nil")")
        #expect(memoryBudgetRefusal(under: 300_000) { _ = try Word2Vec.train(corpus: corpus, config: config) } == nil)
    }

    @Test func fastTextChecksTheBucketsThenTheWords() throws {
        let corpus = try Self.corpus()
        var config = FastTextConfig()
        config.minCount = 1
        config.dimension = 10
        config.bucket = 1000
        config.epochs = 1
        // Buckets alone: 1000 × 10 × 4 = 40,000 bytes; with the words: (1000 + 3 × 300) × 10 × 4 = 76,000.
        let buckets = memoryBudgetRefusal(under: 30_000) { _ = try FastText.train(corpus: corpus, config: config) }
        #expect(buckets?.contains("fastText's n-gram vectors (1000 buckets × 10 dimensions)") == true, "\(buckets ?? "nil")")
        let words = memoryBudgetRefusal(under: 50_000) { _ = try FastText.train(corpus: corpus, config: config) }
        #expect(words?.contains("(1000 buckets + 300 words) input rows, 300 output rows") == true, "\(words ?? "nil")")
        #expect(memoryBudgetRefusal(under: 80_000) { _ = try FastText.train(corpus: corpus, config: config) } == nil)
    }

    @Test func gloveChecksItsCountingTablesThenItsParameters() throws {
        let corpus = try Self.corpus()
        var config = GloVeConfig()
        config.minCount = 1
        config.epochs = 1
        config.memoryBudget = 2 << 20
        let counting = memoryBudgetRefusal(under: 1_500_000) { _ = try GloVe.train(corpus: corpus, config: config) }
        #expect(counting?.contains("GloVe's counting tables") == true, "\(counting ?? "nil")")
        // 1 MiB of counting tables pass; 300 × (4 × 1001 + 1000) × 4 = 6,004,800 bytes of parameters do not.
        config.memoryBudget = 1 << 20
        config.dimension = 1000
        let parameters = memoryBudgetRefusal(under: 3_000_000) { _ = try GloVe.train(corpus: corpus, config: config) }
        #expect(parameters?.contains("GloVe's parameters and AdaGrad sums (300 words × 1000 dimensions)") == true, "\(parameters ?? "nil")")
    }

    @Test func countVectorsChecksItsCountsThenThePPMIAndTheSVD() throws {
        let corpus = try Self.corpus()
        var config = CountVectorsConfig()
        config.minCount = 1
        config.memoryBudget = 2 << 20
        let counting = memoryBudgetRefusal(under: 1_500_000) { _ = try CountVectors.train(corpus: corpus, config: config) }
        #expect(counting?.contains("the co-occurrence counting tables") == true, "\(counting ?? "nil")")
        // 1 MiB of counting passes; the SVD's blocks alone are 300 × (300 + 10) × 16 = 1,488,000 bytes.
        config.memoryBudget = 1 << 20
        config.dimension = 300
        let ppmi = memoryBudgetRefusal(under: 1_200_000) { _ = try CountVectors.train(corpus: corpus, config: config) }
        #expect(ppmi?.contains("the PPMI matrix") == true, "\(ppmi ?? "nil")")
    }
}
