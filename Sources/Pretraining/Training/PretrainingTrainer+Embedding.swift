// The token embedding's own schedule during pretraining, for runs started from static vectors:
//   freezing   for the first N steps the embedding (and with it the tied MLM decoder) gets no
//              gradient and no update, not even weight decay; from step N + 1 it trains with its
//              own AdamW, whose step count (and so bias correction) starts at its first update,
//              as PyTorch's per-parameter Adam state does when requires_grad is switched on;
//   static layer  E = R + S·Pᵀ is computed on the tape of each micro-batch and bound to the
//              model's table, so the lookup and the tied decoder both see it and their gradients
//              flow to R and P; after each update E is folded back into the table.
// Without either option nothing here changes a run (one AdamW over every parameter, as before).
// Reference: HF/PyTorch practice (requires_grad_(False) then True); Peters et al. 2018 for the static layer.
// Not handled: freezing other parameters; separate learning rates for the embedding.

import Autograd
import Encoder
import NeuralNetwork
import StaticVectorInitialization
import TensorCore

extension PretrainingTrainer {
    /// The main AdamW (everything but the embedding when it has its own schedule) and the embedding's.
    static func makeOptimizers(model: MaskedLanguageModel, configuration: PretrainingConfiguration,
                               staticLayer: StaticEmbeddingLayer?) -> (AdamW, AdamW?) {
        let tokenWeight = model.encoder.embeddings.token.weight
        let separate = staticLayer != nil || (configuration.freezeEmbeddingSteps ?? 0) > 0
        guard separate else { return (AdamW(parameters: model.parameters(), configuration: configuration.optimizer), nil) }
        let all = model.parameters()
        let main = all.filter { $0.parameter !== tokenWeight }
        let embedding = staticLayer?.parameters(prefix: "staticLayer") ?? all.filter { $0.parameter === tokenWeight }.prefix(1).map { $0 }
        return (AdamW(parameters: main, configuration: configuration.optimizer),
                AdamW(parameters: embedding, configuration: configuration.optimizer))
    }

    static func checkStaticLayer(_ staticLayer: StaticEmbeddingLayer?, model: MaskedLanguageModel,
                                 configuration: PretrainingConfiguration) throws {
        let wanted = configuration.staticLayer ?? false
        guard wanted == (staticLayer != nil) else {
            throw PretrainingError.invalidConfiguration(field: "staticLayer (--static-layer)",
                problem: wanted ? "is on but no static layer was given (it needs --init-vectors)" : "is off but a static layer was given")
        }
        if let staticLayer, staticLayer.residual.shape != model.encoder.embeddings.token.weight.shape {
            throw PretrainingError.invalidConfiguration(field: "staticLayer",
                problem: "has a table of shape \(staticLayer.residual.shape) but the model's is \(model.encoder.embeddings.token.weight.shape)")
        }
    }

    /// Every parameter a step may update: the main optimizer's, then the embedding's.
    var trainedParameters: [NamedParameter] {
        optimizer.parameters + (embeddingOptimizer?.parameters ?? [])
    }

    /// Whether the step about to be taken leaves the embedding as it is.
    public var isEmbeddingFrozen: Bool {
        state.step < (configuration.freezeEmbeddingSteps ?? 0)
    }

    /// Switches the embedding's parameters on or off for the step about to be taken.
    func prepareEmbedding() {
        guard let embeddingOptimizer else { return }
        for entry in embeddingOptimizer.parameters { entry.parameter.requiresGradient = !isEmbeddingFrozen }
    }

    /// With the static layer (and not frozen): the model's table is E = R + S·Pᵀ on this tape.
    func bindEmbedding(in context: ForwardContext) {
        guard let staticLayer, !isEmbeddingFrozen else { return }
        context.bind(model.encoder.embeddings.token.weight, to: staticLayer.table(context: context))
    }

    /// After the main update: the embedding's update (unless frozen), then E folded into the table.
    func updateEmbedding(learningRate: Float) {
        guard let embeddingOptimizer, !isEmbeddingFrozen else { return }
        embeddingOptimizer.update(learningRate: learningRate)
        if let staticLayer { model.encoder.embeddings.token.weight.value = staticLayer.foldedTable() }
    }

    /// The embedding optimizer's step count after `step` trainer steps: the unfrozen ones.
    func embeddingUpdates(after step: Int) -> Int {
        max(0, step - (configuration.freezeEmbeddingSteps ?? 0))
    }
}
