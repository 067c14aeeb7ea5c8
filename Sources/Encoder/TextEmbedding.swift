// TextEmbedding: what every sentence-embedding model offers, whichever kind it is: a Transformer
// folder (SentenceEmbedder) or a static one (StaticEmbedder). Commands that only need sentence
// vectors (similarity, probe, agreement) take any of them; `loadTextEmbedder` picks the kind a
// folder holds. Averaged static word vectors are a TextEmbedding too (Evaluation's
// `AveragedWordVectors`), so that a probe or an agreement can score them beside a model.
// Not handled: comparing two embedders (Evaluation's PairAgreement).

import Foundation
import TensorCore

/// A model that turns texts into one vector each.
public protocol TextEmbedding: Sendable {
    /// One vector per text, in order: unit length when the model's folder ends in a Normalize
    /// module or `normalize` is set.
    func embed(_ texts: [String], normalize: Bool) throws -> [[Float]]
    /// The width of the vectors.
    var dimension: Int { get }
}

extension SentenceEmbedder: TextEmbedding {}
extension StaticEmbedder: TextEmbedding {}

/// The embedder of a model folder: StaticEmbedder for a static folder (modules.json naming a
/// StaticEmbedding, or a Model2Vec config), SentenceEmbedder otherwise (its products in
/// `precision`; a static model has no products, and takes float32 only).
/// - Throws: `PrecisionError` for bfloat16 on a static folder or on a CPU without the units.
public func loadTextEmbedder(folder: URL, precision: Precision = .float32) throws -> any TextEmbedding {
    if StaticEmbedder.isStaticFolder(folder) {
        guard precision == .float32 else {
            throw PrecisionError("bfloat16: \(folder.path) is a static model (a table look-up, no products to speed up); use --precision float32")
        }
        return try StaticEmbedder(folder: folder)
    }
    return try SentenceEmbedder(folder: folder, precision: precision)
}
