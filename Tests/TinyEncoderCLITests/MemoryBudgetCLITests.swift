// The command line's own memory checks (BPE's merge tables for `bpe-train`, the model a `pretrain`
// builds), made to refuse without allocating: each runs under a small task-local limit
// (`MemoryBudget.$limit`) and must stop with the MemoryBudgetError of its own tables. The
// trainers of WordVectors are checked the same way in WordVectorsTests/MemoryBudgetTrainerTests.
// Not handled: the wording on standard error (OutputSafetyCLITests runs the real refusals).

import Foundation
import Testing
import TestSupport
import TinyEncoder
@testable import TinyEncoderCLI

@Suite struct MemoryBudgetCLITests {
    @Test func bpeTrainChecksItsMergeTables() {
        let trainer = BPETrainer.checkingMemory(.byteLevel(vocabularySize: 300, minimumFrequency: 1))
        let texts = ["low lower lowest", "newer wider"]
        // 56 bytes per character of the distinct words and 32 per word: well over 500 bytes here.
        let what = memoryBudgetRefusal(under: 500) { _ = try trainer.train(texts: texts) }
        #expect(what == "BPE's merge tables for the corpus's distinct words")
        #expect(memoryBudgetRefusal(under: 1e9) { _ = try trainer.train(texts: texts) } == nil)
    }

    @Test func pretrainChecksTheModelItBuilds() throws {
        let tokenizer = try BPECorpusTokenizer(contentsOf: fixtureURL("Tokenization/hf-bpe-8k.json"))
        func build() throws {
            _ = try PretrainOptions.makeModel(configPath: nil, preset: "tiny", initFrom: nil, initSeed: 0, dropout: nil, tokenizer: tokenizer,
                                              sequenceLength: 32, progress: ProgressLine(isEnabled: false))
        }
        // The tiny preset's 8k × 128 token table alone is over a million values, × 16 bytes.
        let what = memoryBudgetRefusal(under: 1_000_000, build)
        #expect(what?.hasPrefix("the weights, gradients and AdamW moments of the model of --preset tiny") == true, "\(what ?? "nil")")
        #expect(memoryBudgetRefusal(under: 1e10, build) == nil)
    }
}
