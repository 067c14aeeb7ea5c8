// Batch-parallel inference (BatchParallelForward.swift): one pass per thread over whole
// sequences must give exactly the op-parallel pass's numbers, and must only be taken for plain
// inference with enough tokens per thread.

import Autograd
@testable import Encoder
import NeuralNetwork
import Testing
import TensorCore

/// How many elements differ in any bit (0 for bit-identical tensors of one shape).
private func differing(_ a: Tensor, _ b: Tensor) -> Int {
    a.shape != b.shape ? -1 : zip(a.scalars, b.scalars).filter { $0.bitPattern != $1.bitPattern }.count
}

@Suite struct BatchParallelForwardTests {
    static func encoder() -> TransformerEncoder {
        let config = EncoderConfig(vocabularySize: 50, width: 16, layerCount: 2, headCount: 2, intermediateSize: 32,
                                   maxPositions: 160, hiddenDropout: 0.1, attentionDropout: 0.1, initializerRange: 0.2)
        return TransformerEncoder(config: config, seed: 11)
    }

    /// Seven sequences of 150, 97, 150, 3, 120, 150 and 64 tokens, padded to 150.
    static func input() -> EncoderInput {
        var generator = SeededGenerator(seed: 4)
        let lengths = [150, 97, 150, 3, 120, 150, 64]
        return EncoderInput(sequences: lengths.map { n in (0..<n).map { _ in 1 + generator.nextInt(below: 49) } }, padId: 0)
    }

    @Test func sequenceParallelForwardEqualsTheWholeBatch() throws {
        let saved = Threads.count
        Threads.count = max(2, saved)   // process-wide; every kernel gives the same bits at any count
        defer { Threads.count = saved }
        let encoder = Self.encoder(), input = Self.input()
        let whole = encoder.forward(input, masked: true, context: .inference())
        let split = try #require(encoder.forwardBySequences(input, masked: true, context: .inference()))
        #expect(split.hidden.value.shape == [7, 150, 16])
        #expect(differing(split.hidden.value, whole.hidden.value) == 0)
        #expect(split.attention.count == 2)
        for (a, b) in zip(split.attention, whole.attention) {
            #expect(a.shape == [7, 2, 150, 150])
            #expect(differing(a, b) == 0)
        }
        // The public call takes the split path and returns the same.
        #expect(differing(encoder(input, context: .inference()).hidden.value, whole.hidden.value) == 0)
    }

    @Test func onlyPlainInferenceWithEnoughTokensIsSplit() {
        let saved = Threads.count
        Threads.count = max(2, saved)
        defer { Threads.count = saved }
        let encoder = Self.encoder(), input = Self.input()
        #expect(encoder.forwardBySequences(input.rows(0..<1), masked: false, context: .inference()) == nil)  // one sequence
        let short = EncoderInput(sequences: [[1, 2, 3], [4, 5]], padId: 0)                                  // 3 tokens a thread
        #expect(encoder.forwardBySequences(short, masked: true, context: .inference()) == nil)
        #expect(encoder.forwardBySequences(input.rows(3..<5), masked: true, context: .inference()) != nil)
        #expect(encoder.forwardBySequences(input, masked: true, context: .training(generator: SeededGenerator(seed: 1))) == nil)
        let traced = ForwardContext.inference()
        traced.recorder = ActivationRecorder()
        #expect(encoder.forwardBySequences(input, masked: true, context: traced) == nil)
    }
}
