// One loaded model shared by 8 tasks of a TaskGroup: every task's sentence vectors equal, bit for
// bit, what the same calls give one after another. The tasks start on a freshly loaded model, so
// they also race to build its lazily packed weights (Parameter.packedTransposed, under a lock).
// The model is the shipped one (ShippedWeights); the texts differ per task in number and length.
// Not checked here: speed-up from the tasks (the forward pass already uses every core).
import Encoder
import ShippedWeights
import Testing
import TestSupport

@Suite struct ConcurrencyTests {
    /// Task t embeds 2 + t mod 3 texts of its own.
    static let texts: [[String]] = (0..<8).map { task in
        let sentences = [
            "A man is playing a guitar on the stage.",
            "Someone plays an instrument.",
            "The stock market fell sharply this morning, and traders expect more losses tomorrow.",
            "Cats sleep.",
        ]
        return (0..<(2 + task % 3)).map { index in sentences[(task + index) % sentences.count] + " (\(task))" }
    }

    static func bits(_ vectors: [[Float]]) -> [[UInt32]] { vectors.map { $0.map(\.bitPattern) } }

    @Test func oneModelServesEightTasksBitForBit() async throws {
        let embedder = try SentenceEmbedder.shipped()
        let texts = Self.texts
        let concurrent = try await resultsOfConcurrentTasks(8) { task in
            try embedder.embed(texts[task], normalize: task % 2 == 1)
        }
        let serial = try texts.indices.map { task in try embedder.embed(texts[task], normalize: task % 2 == 1) }
        #expect(concurrent.map(\.count) == texts.map(\.count))
        #expect(concurrent.allSatisfy { $0.allSatisfy { $0.count == embedder.dimension } })
        for task in texts.indices {
            #expect(Self.bits(concurrent[task]) == Self.bits(serial[task]), "task \(task)")
        }
    }

    @Test func copiesWithOtherSettingsShareTheModel() async throws {
        // A SentenceEmbedder is a value: a task may change its copy's settings without touching
        // the others', while all copies use one loaded model.
        let embedder = try SentenceEmbedder.shipped()
        let texts = Self.texts
        let concurrent = try await resultsOfConcurrentTasks(8) { task in
            var copy = embedder
            copy.batchSize = 1 + task % 3
            copy.pooling = Pooling(task % 2 == 0 ? .mean : .cls)
            return try copy.embed(texts[task])
        }
        #expect(embedder.batchSize == 32 && embedder.pooling.strategy == .mean)
        for task in texts.indices {
            var copy = embedder
            copy.pooling = Pooling(task % 2 == 0 ? .mean : .cls)
            #expect(Self.bits(concurrent[task]) == Self.bits(try copy.embed(texts[task])), "task \(task)")
        }
    }
}
