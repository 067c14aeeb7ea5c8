// EmbeddingInitializer: the one hook through which a new model's token-embedding table can come
// from elsewhere than BERT's random draw (static word vectors, another model's table). The model is
// Encoder's, so the protocol is too: a module that builds tables (StaticVectorInitialization)
// conforms without depending on a trainer, and a trainer (Pretraining's makeMaskedLanguageModel)
// calls it without knowing where the rows come from.
// Not handled: initialising any parameter other than the token table.

import TensorCore

/// Makes the [V, C] token-embedding table from the tokenizer's vocabulary.
///
/// ```swift
/// struct ZeroEmbeddings: EmbeddingInitializer {
///     func tokenEmbedding(vocabulary: [String], width: Int) throws -> Tensor { Tensor(zeros: [vocabulary.count, width]) }
/// }
/// let model = try makeMaskedLanguageModel(config: config, vocabulary: tokenizer.vocabulary,
///                                         initialization: .embeddings(ZeroEmbeddings(), seed: 0))
/// ```
public protocol EmbeddingInitializer {
    /// - Parameters:
    ///   - vocabulary: token text by id ("" for unused ids), `vocabulary.count` = V.
    ///   - width: C, the model width.
    /// - Returns: a [V, C] tensor of finite values.
    func tokenEmbedding(vocabulary: [String], width: Int) throws -> Tensor

    /// The same, given the model's freshly drawn random table `random` [V, C], whose rows an
    /// initializer keeps where it has nothing better. The default ignores it.
    func tokenEmbedding(vocabulary: [String], random: Tensor) throws -> Tensor
}

extension EmbeddingInitializer {
    public func tokenEmbedding(vocabulary: [String], random: Tensor) throws -> Tensor {
        try tokenEmbedding(vocabulary: vocabulary, width: random.shape[1])
    }
}
