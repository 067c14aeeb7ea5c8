// One tokenizer (HF tokenizer.json, byte-level BPE with 8k merges) shared by 8 tasks of a
// TaskGroup: every task's encodings (ids, tokens, offsets, masks) and decodings equal what the
// same calls give one after another. Copies of a Tokenizer share its model and its pool of word
// caches; each task borrows a workspace of its own, so the caches fill while the tasks race.
// Not checked here: the encodings' agreement with HF (HFParityTests does that on these texts).
import Testing
import TestSupport
import Tokenization

@Suite struct TokenizerConcurrencyTests {
    @Test func oneTokenizerServesEightTasks() async throws {
        let tokenizer = try Fixtures.tokenizer("hf-bpe-8k.json")
        let texts = Fixtures.strings(try Fixtures.json("parity-texts.json"))
        #expect(texts.count >= 8)
        // Task t encodes every text, starting at text t, so the tasks hit the caches in different orders.
        let order: @Sendable (Int) -> [Int] = { task in texts.indices.map { (task + $0) % texts.count } }
        let concurrent = try await resultsOfConcurrentTasks(8) { task in
            let encodings = try order(task).map { try tokenizer.encode(texts[$0]) }
            let decoded = try encodings.map { try tokenizer.decode($0.ids) }
            return (encodings, decoded)
        }
        for task in 0..<8 {
            let serial = try order(task).map { try tokenizer.encode(texts[$0]) }
            #expect(concurrent[task].0 == serial, "task \(task)")
            #expect(try concurrent[task].1 == serial.map { try tokenizer.decode($0.ids) }, "task \(task)")
        }
    }
}
