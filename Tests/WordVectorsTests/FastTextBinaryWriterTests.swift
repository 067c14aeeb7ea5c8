// Writing fastText .bin models. The committed fixture written/fasttext-tiny.bin was written by
// `tinyencoder vectors-train --algorithm fasttext` and loaded by the official fastText bindings and
// by gensim (Scripts/wordvectors/check_written_fasttext.py, which wrote fasttext-tiny.json from
// what they gave). Here: our writer reproduces that file byte for byte from the model read back,
// our vectors for known and unseen words equal fastText's and gensim's, a model trained here
// survives write → read with every row, and what cannot be written is refused.

import Foundation
import TensorCore
import Testing
import TestSupport
@testable import WordVectors

@Suite struct FastTextBinaryWriterTests {
    static let fixture = fixtureURL("WordVectors/written/fasttext-tiny.bin")

    @Test func rewritingTheCheckedFileGivesTheSameBytes() throws {
        let model = try FastTextBinary.read(Self.fixture, keepingOutputMatrix: true)
        let bytes = try model.serialized()
        let original = [UInt8](try Data(contentsOf: Self.fixture))
        #expect(bytes.count == original.count)
        let firstDifference = zip(bytes, original).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(firstDifference == nil, "the bytes differ from byte \(firstDifference ?? -1) on")
    }

    @Test func vectorsEqualFastTextAndGensim() throws {
        let reference = try #require(try fixtureJSON("written/fasttext-tiny.json") as? [String: Any])
        let vectors = try VectorFile.read(Self.fixture)
        #expect(vectors.count == reference["nwords"] as? Int && vectors.dimension == reference["dim"] as? Int)
        #expect(Array(vectors.words.prefix(5)) == reference["first_words"] as? [String])
        let model = try #require(vectors.fastTextModel)
        #expect(model.inputMatrix.shape[0] == reference["input_rows"] as? Int)
        for tool in ["fasttext", "gensim"] {
            let expected = try #require(reference[tool] as? [String: Any])
            #expect(expected.count >= 8)   // known words, unseen words, a non-Latin one
            for (word, values) in expected {
                let error = maxScaledError(try vectors.vector(for: word), floats(values), floor: 1e-6)
                #expect(error < 2e-6, "\(tool) \(word): \(error)")
            }
        }
        #expect(!vectors.contains("unseenwordxyz"))  // its vector came from its n-grams
    }

    @Test func aTrainedModelSurvivesWriteAndRead() throws {
        var config = FastTextConfig()
        (config.dimension, config.bucket, config.minCount, config.epochs, config.threads) = (6, 97, 1, 1, 1)
        let corpus = try TextCorpus(contentsOf: URL(fileURLWithPath: temporaryFile(twoTopicCorpus(lines: 60))))
        let trained = try FastText.train(corpus: corpus, config: config)
        let url = URL(fileURLWithPath: temporaryPath("model.bin"))
        try VectorFile.write(trained.keyedVectors, to: url, format: .fastTextBinary)
        let back = try FastTextBinary.read(url, keepingOutputMatrix: true)
        #expect(back.words == trained.vocabulary.words && back.counts == trained.vocabulary.counts)
        #expect(back.inputMatrix == trained.inputMatrix && back.outputMatrix == trained.outputMatrix)
        #expect((back.dimension, back.window, back.negative, back.bucket, back.minn, back.maxn) == (6, 5, 5, 97, 3, 6))
        #expect(back.model == FastTextBinary.Model.skipGram.rawValue && back.loss == FastTextBinary.Loss.negativeSampling.rawValue)
        #expect(back.samplingThreshold == config.sample && back.tokenCount == trained.vocabulary.corpusTokens)
        let (ours, theirs) = (trained.keyedVectors, back.keyedVectors)
        #expect(try theirs.vector(for: "horses") == ours.vector(for: "horses"))   // unseen: from n-grams
        #expect(try theirs.vector(for: "cat") == ours.vector(for: "cat"))
    }

    /// The header by hand: magic 793712314, version 12, then dim (args start at byte 8).
    @Test func headerFields() throws {
        let bytes = try FastTextBinary.read(Self.fixture, keepingOutputMatrix: true).serialized()
        func int32(at offset: Int) -> Int32 { bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: Int32.self) } }
        #expect(int32(at: 0) == 793_712_314 && int32(at: 4) == 12 && int32(at: 8) == 4)   // magic, version, dim
        #expect(int32(at: 8 + 4 * 8) == 500)   // the ninth argument: bucket
    }

    @Test func refusesWhatCannotBeWritten() throws {
        let plain = KeyedVectors(words: ["a"], vectors: Tensor(shape: [1, 2], scalars: [1, 2]))
        let url = URL(fileURLWithPath: temporaryPath("plain.bin"))
        #expect { try VectorFile.write(plain, to: url, format: .fastTextBinary) } throws: { "\($0)".contains("fasttext-bin") && "\($0)".contains("n-gram") }
        let withoutOutput = try FastTextBinary.read(Self.fixture)
        #expect { try withoutOutput.write(to: url) } throws: { "\($0)".contains("keepingOutputMatrix") }
        var supervised = try FastTextBinary.read(Self.fixture, keepingOutputMatrix: true)
        supervised.model = FastTextBinary.Model.supervised.rawValue
        #expect { try supervised.write(to: url) } throws: { "\($0)".contains("supervised") }
        #expect(!FileManager.default.fileExists(atPath: url.path))
    }
}
