// Initialisation of a model to pretrain: BERT's random initialisation (truncated normal, σ = 0.02,
// which TransformerEncoder and MaskedLMHead already apply), optionally with the token embedding
// replaced by rows from an `EmbeddingInitializer` (Encoder), such as static word vectors (module
// StaticVectorInitialization's `StaticVectorInitializer`); it is handed the random table so that
// uncovered rows keep it.
// Not handled: initialising other parameters from vectors; continuing from a model folder is
// `ModelFolder.load` followed by a trainer (the CLI's --init-from).

import Encoder
import NeuralNetwork
import TensorCore

/// How a new model's weights start.
public enum ModelInitialization {
    /// Every parameter from BERT's scheme, drawn from `seed`.
    case random(seed: UInt64)
    /// BERT's scheme, then the token embedding from `initializer`.
    case embeddings(any EmbeddingInitializer, seed: UInt64)
}

/// A masked-LM model for `config`, initialised as asked.
///
/// - Throws: `PretrainingError.invalidConfiguration` if the initializer's table has the wrong
///   shape or non-finite values.
public func makeMaskedLanguageModel(config: EncoderConfig, vocabulary: [String],
                                    initialization: ModelInitialization) throws -> MaskedLanguageModel {
    switch initialization {
    case let .random(seed):
        return MaskedLanguageModel(config: config, seed: seed)
    case let .embeddings(initializer, seed):
        let model = MaskedLanguageModel(config: config, seed: seed)
        var rows = vocabulary
        if rows.count < config.vocabularySize { rows += Array(repeating: "", count: config.vocabularySize - rows.count) }
        let table = try initializer.tokenEmbedding(vocabulary: rows, random: model.encoder.embeddings.token.weight.value)
        guard table.shape == [config.vocabularySize, config.width] else {
            throw PretrainingError.invalidConfiguration(field: "token embedding initializer",
                                                        problem: "returned shape \(table.shape), expected [\(config.vocabularySize), \(config.width)]")
        }
        guard table.scalars.allSatisfy(\.isFinite) else {
            throw PretrainingError.invalidConfiguration(field: "token embedding initializer", problem: "returned NaN or Inf values")
        }
        model.encoder.embeddings.token.weight.value = table
        return model
    }
}
