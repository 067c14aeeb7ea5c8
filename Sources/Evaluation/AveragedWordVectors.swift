// Averaged static word vectors as a sentence embedder: a text's vector is the mean of the vectors
// of its known words, the classic bag-of-words baseline that a probe or an agreement scores beside
// a model. Words follow WordVectors' one word rule (`WordTokenizer`: lowercase, split on
// characters other than letters, digits, "_" and "'", as Scripts/peers/wordrule.py), the vectors
// come from any file `VectorFile` reads (word2vec text or binary, GloVe, fastText .vec/.bin), and
// a fastText model builds vectors for unknown words from their n-grams, as gensim's does.
// A text with no known word gets the zero vector (Scripts/peers/supersense_probe.py does the same).
// Not handled: SIF weighting (KeyedVectors.sentenceVector(for:weighting:) has it; vectors read from
// a file carry no counts).

import Encoder
import Foundation
import TensorCore
import WordVectors

/// Static word vectors behind the `TextEmbedding` protocol.
///
/// ```swift
/// let baseline = try AveragedWordVectors(contentsOf: URL(fileURLWithPath: "vectors.bin"))
/// let rows = try baseline.embed(["The cat sat.", "A dog lay."], normalize: false)   // 2 × dimension
/// ```
public struct AveragedWordVectors: TextEmbedding {
    public let vectors: KeyedVectors

    public init(_ vectors: KeyedVectors) { self.vectors = vectors }

    /// Reads `url` with `VectorFile.read` (the format told by the file's first bytes).
    /// - Throws: `WordVectorsError` naming the file, the field and the fix; `InvalidUTF8Error`
    ///   under the refuse policy.
    public init(contentsOf url: URL) throws { self.init(try VectorFile.read(url)) }

    public var dimension: Int { vectors.dimension }

    /// The mean of the known words' vectors of `text`, or zeros when none is known.
    public func vector(for text: String) -> [Float] {
        // .mean never throws (only SIF needs counts).
        (try? vectors.sentenceVector(for: text, weighting: .mean)) ?? [Float](repeating: 0, count: dimension)
    }

    /// One vector per text; with `normalize`, scaled to unit length (a zero vector stays zero).
    public func embed(_ texts: [String], normalize: Bool) throws -> [[Float]] {
        texts.map { normalize ? vector(for: $0).normalized() : vector(for: $0) }   // TensorCore: zero stays zero
    }
}
