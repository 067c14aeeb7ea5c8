// ContextualitySample: the word occurrences a contextuality measurement works on. Each sentence of
// a sample is run through the model once; each of its words (as the pre-tokenizer cuts them,
// pooled from their sub-word tokens) becomes one occurrence with a vector at every layer. Words
// without a letter or digit (punctuation) are left out, as they carry no meaning of their own.
// Reference: Ethayarajh (2019), "How contextual are contextualized word representations?", §3
// (a word's representations in its contexts); the sentences come from TextCorpus.sampleLines.
// Not handled: words of the second text of a pair; lemmatisation (a word type is the word's text
// through the tokenizer's normaliser: lowercased, and accents stripped, when the model is uncased).

import Encoder
import Foundation
import TensorCore

/// Word occurrences of a set of sentences with their vectors at some layers.
///
/// Occurrence i is word `words[i]` of sentence `sentenceOf[i]`; its vector at `layers[p]` is
/// `vectors[p][i·C ..< (i+1)·C]`. Occurrences are stored sentence by sentence, in order.
public struct ContextualitySample: Sendable {
    /// The layers held (0 is the embedding output).
    public let layers: [Int]
    /// Model width C.
    public let width: Int
    /// The word (type) of each occurrence.
    public private(set) var words: [String] = []
    /// The sentence (0-based) of each occurrence.
    public private(set) var sentenceOf: [Int] = []
    /// [layer position][occurrence · C].
    public private(set) var vectors: [[Float]]
    /// Sentences added, including those that gave no occurrence.
    public private(set) var sentenceCount = 0

    public init(layers: [Int], width: Int) {
        self.layers = layers
        self.width = width
        vectors = Array(repeating: [], count: layers.count)
    }

    /// Occurrences held.
    public var count: Int { words.count }

    /// Occurrence `index`'s vector at `layers[position]`, C values.
    public func vector(position: Int, occurrence index: Int) -> ArraySlice<Float> {
        vectors[position][(index * width)..<((index + 1) * width)]
    }

    /// Whether a word counts as an occurrence: it holds a letter or a digit.
    public static func isCounted(_ word: String) -> Bool {
        word.unicodeScalars.contains { $0.properties.isAlphabetic || $0.properties.numericType != nil }
    }

    /// Adds one sentence: its words in order, each with its vectors `[layer position][C]`.
    /// Words that are not counted (`isCounted`) are skipped.
    public mutating func appendSentence(_ sentence: [(word: String, vectors: [[Float]])]) {
        for (word, perLayer) in sentence where Self.isCounted(word) {
            precondition(perLayer.count == layers.count && perLayer.allSatisfy { $0.count == width },
                         "appendSentence: \"\(word)\" has \(perLayer.map(\.count)) values per layer, expected \(layers.count) × \(width)")
            words.append(word)
            sentenceOf.append(sentenceCount)
            for position in layers.indices { vectors[position] += perLayer[position] }
        }
        sentenceCount += 1
    }
}

extension SentenceEmbedder {
    /// The contextuality sample of `sentences`: every sentence through the model once (batches of
    /// `batchSize`), its words pooled from their tokens with `pooling`, at `layers` (default: all).
    /// Sentences longer than the model's positions are cut when `truncates` is set (a
    /// sentence-transformers folder with max_seq_length cuts anyway), else refused.
    ///
    /// - Parameters:
    ///   - sentences: one sentence (or short text) each.
    ///   - layers: indices into HF's `hidden_states`, 0...L.
    ///   - pooling: how a word's vector is made from its tokens' vectors (`WordPooling`).
    ///   - chunk: sentences whose token states are held at once (the word vectors are kept).
    ///   - progress: called with the number of sentences done after each chunk.
    /// - Throws: `ContextualError.layerOutOfRange`, `EncoderInputError`.
    /// - Complexity: one forward pass per sentence; memory O(occurrences × layers × C).
    ///
    /// ```swift
    /// let sample = try embedder.contextualitySample(["The bank of the river.", "A bank loan."])
    /// let report = try Contextuality.measure(sample, minimumContexts: 2)
    /// ```
    public func contextualitySample(_ sentences: [String], layers: [Int]? = nil, pooling: WordPooling = .mean,
                                    chunk: Int = 256, progress: ((Int) -> Void)? = nil) throws -> ContextualitySample {
        let layers = try checkLayers(layers ?? allLayers)
        var sample = ContextualitySample(layers: layers, width: config.width)
        var start = 0
        while start < sentences.count {
            let part = Array(sentences[start..<min(start + max(chunk, 1), sentences.count)])
            for text in try layerStates(part, layers: layers) {
                let words = text.words
                let vectors = text.wordVectors(words, pooling: pooling)      // [layer position][word][C]
                sample.appendSentence(words.indices.map { index in (wordType(words[index].text), vectors.map { $0[index] }) })
            }
            start += part.count
            progress?(start)
        }
        return sample
    }

    /// A word's type: its text through the tokenizer's normaliser, so that an uncased model's
    /// "The" and "the" (the same tokens) are one word, and a cased model's are two.
    public func wordType(_ text: String) -> String {
        tokenizer.normalizer?.normalize(text) ?? text
    }
}
