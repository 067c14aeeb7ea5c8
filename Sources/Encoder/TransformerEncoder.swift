// TransformerEncoder: token ids and an attention mask in, contextual token embeddings out.
//   E = Embeddings(ids)                         [B, T, C]
//   Hₗ = Blockₗ(Hₗ₋₁, mask), l = 1…L             [B, T, C]
//   H = LN_final(H_L) for pre-LN models, else H_L
// Padding never changes a real token's output: padded keys get probability exactly 0 in every
// head, and everything else is per-token (tested by embedding a text alone and inside a batch).
// Reference: Devlin et al. (2019) for BERT's post-LN; Xiong et al. (2020) for pre-LN.
// Not handled: decoders, cross-attention, the BERT pooler's use (it is loaded and saved only).

import Autograd
import Foundation
import NeuralNetwork
import TensorCore
import TextInput

// B batch, T tokens, C model width, H heads, L layers.

/// What a forward pass returns.
public struct EncoderOutput {
    /// Contextual token embeddings [B, T, C] ([N, C] from `hiddenStates(_:rows:context:)`).
    public let hidden: Variable
    /// Per layer, the attention probabilities [B, H, T, T] (for a pass split over threads, joined
    /// from the threads' parts when first read: most callers never read them).
    public var attention: [Tensor] { probabilities.value }
    /// Every layer's output, L + 1 tensors [B, T, C] as HF's `hidden_states`: index 0 is the
    /// embedding output, index l the output of block l (for a pre-LN model, index L is after the
    /// final LayerNorm, so it always equals `hidden`). Empty for `hiddenStates(_:rows:context:)`.
    /// Kept from the pass (no extra compute); joined from the threads' parts when first read.
    public var hiddenStates: [Tensor] { layerOutputs.value }
    private let probabilities: Deferred<[Tensor]>
    private let layerOutputs: Deferred<[Tensor]>

    public init(hidden: Variable, attention: [Tensor], hiddenStates: [Tensor] = []) {
        self.hidden = hidden
        probabilities = Deferred(value: attention)
        layerOutputs = Deferred(value: hiddenStates)
    }

    /// An output whose attention probabilities and hidden states are made on first read.
    init(hidden: Variable, deferredAttention attention: @escaping @Sendable () -> [Tensor],
         deferredHiddenStates hiddenStates: @escaping @Sendable () -> [Tensor]) {
        self.hidden = hidden
        probabilities = Deferred(attention)
        layerOutputs = Deferred(hiddenStates)
    }
}

/// A value computed once, on first read, from any thread (the making runs under the lock).
final class Deferred<Value: Sendable>: Sendable {
    private enum State: Sendable {
        case made(Value)
        case pending(@Sendable () -> Value)
    }
    private let state: Locked<State>

    init(value: Value) { state = Locked(.made(value)) }
    init(_ make: @escaping @Sendable () -> Value) { state = Locked(.pending(make)) }

    var value: Value {
        state.withLock { state in
            switch state {
            case let .made(value):
                return value
            case let .pending(make):
                let made = make()
                state = .made(made)
                return made
            }
        }
    }
}

/// A stack of encoder blocks over token, position and type embeddings.
public final class TransformerEncoder: Layer {
    public let config: EncoderConfig
    public let embeddings: Embeddings
    public let layers: [EncoderBlock]
    /// The last LayerNorm of a pre-LN model (post-LN blocks end normalised already).
    public let finalNorm: LayerNorm?
    /// BERT's pooler (dense + tanh over [CLS]); kept only so checkpoints round-trip.
    public var pooler: Linear? {
        get { poolerSlot.current }
        set { poolerSlot.withLock { $0 = newValue } }
    }
    private let poolerSlot = Locked<Linear?>(nil)  // set while loading or exporting

    /// A freshly initialised encoder (BERT's truncated normal, σ = initializerRange).
    public init(config: EncoderConfig, seed: UInt64 = 0) {
        var generator = SeededGenerator(seed: seed)
        self.config = config
        embeddings = Embeddings(config: config, generator: &generator)
        layers = (0..<config.layerCount).map { _ in
            EncoderBlock(width: config.width, headCount: config.headCount, hiddenWidth: config.intermediateSize,
                         activation: config.activation, layerNormEpsilon: config.layerNormEpsilon,
                         preLayerNorm: config.preLayerNorm, dropoutProbability: config.hiddenDropout,
                         attentionDropoutProbability: config.attentionDropout,
                         standardDeviation: config.initializerRange, generator: &generator)
        }
        finalNorm = config.preLayerNorm ? LayerNorm(dimension: config.width, epsilon: config.layerNormEpsilon) : nil
    }

    public var children: [(name: String, layer: any Layer)] {
        var result: [(name: String, layer: any Layer)] = [("embeddings", embeddings)]
        for (index, layer) in layers.enumerated() { result.append(("layers.\(index)", layer)) }
        if let finalNorm { result.append(("finalNorm", finalNorm)) }
        if let pooler { result.append(("pooler", pooler)) }
        return result
    }

    public var summary: String {
        "TransformerEncoder(\(config.layerCount) layers × \(config.width) wide, \(config.headCount) heads, \(config.preLayerNorm ? "pre-LN" : "post-LN"), \(config.positionEmbeddingType == .sinusoidal ? "sinusoidal" : "learned") positions)"
    }

    /// The layer tree with parameter counts (nanoGPT's "number of parameters", per layer).
    public func parameterSummary() -> String {
        treeDescription()
    }

    /// Contextual token embeddings for a padded batch.
    ///
    /// - Parameters:
    ///   - input: ids and mask [B, T]; call `input.validate(for: config)` first for user input.
    ///   - context: `.inference()` or a training context with a tape.
    /// - Returns: hidden states [B, T, C] and each layer's attention probabilities.
    /// - Complexity: per layer ≈ 2·B·T·(4C² + 2C·F) + 4·B·T²·C multiply-adds.
    public func callAsFunction(_ input: EncoderInput, context: ForwardContext) -> EncoderOutput {
        let masked = !input.lengths.allSatisfy({ $0 == input.length })
        // Plain inference on several threads: whole sequences per thread (BatchParallelForward.swift).
        if let output = forwardBySequences(input, masked: masked, context: context) { return output }
        return forward(input, masked: masked, context: context)
    }

    /// Hidden states [N, C] at the flat positions `rows` of [B, T] only. Every layer but the last
    /// runs on all positions (their keys and values are needed); the last block runs its queries,
    /// attention, output projection, feed-forward block and LayerNorms on the N rows alone
    /// (EncoderBlock). The
    /// values are those of `callAsFunction` at those rows, to rounding. A masked-LM step needs no
    /// more: its loss reads the masked positions only.
    public func hiddenStates(_ input: EncoderInput, rows: [Int], context: ForwardContext) -> EncoderOutput {
        forward(input, masked: !input.lengths.allSatisfy({ $0 == input.length }), context: context, rows: rows)
    }

    /// The pass itself; `masked` says whether the attention mask is applied (any padding in the
    /// batch it came from); `rows`, when given, limits the last block's output to those positions.
    func forward(_ input: EncoderInput, masked: Bool, context: ForwardContext, rows: [Int]? = nil) -> EncoderOutput {
        var hidden = embeddings(ids: input.ids, tokenTypes: input.tokenTypes, batch: input.batch, length: input.length, context: context)
        var attention: [Tensor] = []
        var states: [Tensor] = []   // HF's hidden_states: the embedding output, then each block's
        let mask: Tensor? = masked ? input.mask : nil
        if let rows, layers.isEmpty { hidden = gatherRows(reshape(hidden, [input.batch * input.length, config.width]), indices: rows) }
        if rows == nil { states.append(hidden.value) }
        for (index, block) in layers.enumerated() {
            let last = index == layers.count - 1
            let (output, probabilities) = block(hidden, mask: mask, context: context, name: "layers.\(index)", rows: last ? rows : nil)
            hidden = output
            attention.append(probabilities)
            if rows == nil && !last { states.append(hidden.value) }
        }
        if let finalNorm {
            hidden = finalNorm(hidden, context: context)
            context.record("finalNorm", hidden)
        }
        if rows == nil && !layers.isEmpty { states.append(hidden.value) }   // the last one after finalNorm (pre-LN)
        context.record("hidden", hidden)
        return EncoderOutput(hidden: hidden, attention: attention, hiddenStates: states)
    }
}
