// The masked-LM head of BERT (Devlin et al., 2019, §3.1): for each masked position's hidden
// state h, logits = LN(GELU(W·h + b))·Eᵀ + b_out, where E is the token-embedding matrix itself
// (the decoder is tied: one [V, C] parameter serves both as input table and output projection,
// and its gradient accumulates from both uses). Cross-entropy is taken only at masked positions,
// so the [N, V] logits exist only for the ~15% of tokens that are masked.
// Not handled: next-sentence prediction, untied decoders.

import Autograd
import NeuralNetwork
import TensorCore

/// Dense → activation → LayerNorm → tied decoder + bias.
public final class MaskedLMHead: Layer {
    public let transform: Linear   // [C, C]
    public let norm: LayerNorm
    public let bias: Parameter     // [V]
    public let activation: Activation

    public init(config: EncoderConfig, generator: inout SeededGenerator) {
        transform = Linear(inFeatures: config.width, outFeatures: config.width, standardDeviation: config.initializerRange, generator: &generator)
        norm = LayerNorm(dimension: config.width, epsilon: config.layerNormEpsilon)
        bias = Parameter(Tensor(zeros: [config.vocabularySize]), decays: false)
        activation = config.activation
    }

    public var localParameters: [(name: String, parameter: Parameter)] { [("bias", bias)] }
    public var children: [(name: String, layer: any Layer)] { [("transform", transform), ("norm", norm)] }
    public var summary: String { "MaskedLMHead(tied decoder)" }

    /// hidden [N, C] (the masked positions only), tokenEmbedding [V, C] → logits [N, V].
    public func callAsFunction(_ hidden: Variable, tokenEmbedding: Parameter, context: ForwardContext) -> Variable {
        var h = transform(hidden, context: context)                                  // [N, C]
        switch activation {
        case .gelu: h = gelu(h)
        case .geluTanh: h = gelu(h, approximation: .tanh)
        case .relu: h = relu(h)
        }
        h = norm(h, context: context)                                                // [N, C]
        context.record("mlm.transform", h)
        // The decoder is the token embedding: logits = h·Eᵀ + b, E: [V, C] in Linear's [out, in] layout.
        return linear(h, weight: context.variable(for: tokenEmbedding), bias: context.variable(for: bias))  // [N, V]
    }
}

/// An encoder with its masked-LM head: what pretraining trains.
public final class MaskedLanguageModel: Layer {
    public let encoder: TransformerEncoder
    public let head: MaskedLMHead

    public init(config: EncoderConfig, seed: UInt64 = 0) {
        encoder = TransformerEncoder(config: config, seed: seed)
        var generator = SeededGenerator(seed: seed &+ 0x4D4C_4D48)  // "MLMH": the head draws from its own stream
        head = MaskedLMHead(config: config, generator: &generator)
    }

    public init(encoder: TransformerEncoder, head: MaskedLMHead) {
        self.encoder = encoder
        self.head = head
    }

    public var children: [(name: String, layer: any Layer)] { [("encoder", encoder), ("head", head)] }
    public var summary: String { "MaskedLanguageModel" }

    /// The mean cross-entropy over `maskedPositions` (flat indices into [B, T]) against `targets`.
    ///
    /// - Returns: the scalar loss, the logits [N, V] at the masked positions, and the encoder output.
    public func loss(_ input: EncoderInput, maskedPositions: [Int], targets: [Int], context: ForwardContext)
        -> (loss: Variable, logits: Variable, output: EncoderOutput) {
        precondition(maskedPositions.count == targets.count, "loss: \(maskedPositions.count) positions but \(targets.count) targets")
        let output = encoder(input, context: context)
        let width = encoder.config.width
        let flat = reshape(output.hidden, [input.batch * input.length, width])          // [B·T, C]
        let selected = gatherRows(flat, indices: maskedPositions)                      // [N, C]
        let (loss, logits) = headLoss(selected, targets: targets, context: context)
        return (loss, logits, output)
    }

    /// The same loss with the last block run at the masked positions only
    /// (`TransformerEncoder.hiddenStates(_:rows:context:)`): nothing the loss reads is skipped, so
    /// loss and gradients equal `loss`'s to rounding, for less work (in the 4-layer benchmark model
    /// with 15% masked, 16.5% of a training step's arithmetic). What it cannot give is the hidden state of
    /// every position: terms that pool whole sequences use `loss`.
    public func maskedPositionsLoss(_ input: EncoderInput, maskedPositions: [Int], targets: [Int], context: ForwardContext)
        -> (loss: Variable, logits: Variable) {
        precondition(maskedPositions.count == targets.count, "loss: \(maskedPositions.count) positions but \(targets.count) targets")
        let selected = encoder.hiddenStates(input, rows: maskedPositions, context: context).hidden   // [N, C]
        return headLoss(selected, targets: targets, context: context)
    }

    private func headLoss(_ selected: Variable, targets: [Int], context: ForwardContext) -> (loss: Variable, logits: Variable) {
        let logits = head(selected, tokenEmbedding: encoder.embeddings.token.weight, context: context)  // [N, V]
        let loss = crossEntropy(logits: logits, targets: targets)
        context.record("mlm.logits", logits)
        context.record("mlm.loss", loss)
        return (loss, logits)
    }
}
