// The trace of one forward (and, with masked positions, backward) pass: every intermediate
// tensor by name, for teachers inspecting attention and for checking us against PyTorch.
//   embeddings, layers.L.attention.{query,key,value,scores,probabilities,context,output},
//   layers.L.feedForward.hidden, layers.L.output, hidden, pooled
// With masked positions: those tokens are replaced by the mask id, and mlm.logits, mlm.loss,
// and NAME.grad for every activation above and for every parameter (parameters under their
// Hugging Face names, e.g. bert.encoder.layer.0.attention.self.query.weight.grad) are added.
// Shapes keep the batch axis (B = 1). Names are documented in Docs/Trace.md.
// Not handled: tracing a padded batch of several texts (trace one text at a time).

import Autograd
import NeuralNetwork
import TensorCore

/// Runs a model once with recording on and returns the named tensors.
public enum EncoderTrace: Sendable {
    /// - Parameters:
    ///   - model: the encoder and its masked-LM head.
    ///   - ids: one tokenised text (with its special tokens).
    ///   - maskedPositions: positions to replace by `maskTokenId` and predict; empty for forward only.
    ///   - maskTokenId: the [MASK] id (required when `maskedPositions` is not empty).
    ///   - pooling: how `pooled` is computed.
    /// - Returns: (name, tensor) pairs in the order they were produced.
    public static func run(model: MaskedLanguageModel, ids: [Int], maskedPositions: [Int] = [], maskTokenId: Int? = nil,
                           pooling: Pooling = Pooling(.mean)) throws -> [(name: String, tensor: Tensor)] {
        var inputIds = ids
        var targets: [Int] = []
        for position in maskedPositions {
            guard position >= 0 && position < ids.count else {
                throw EncoderInputError.tokenOutOfRange(sequence: 0, position: position, id: -1, vocabularySize: ids.count)
            }
            targets.append(ids[position])
            if let maskTokenId { inputIds[position] = maskTokenId }
        }
        let input = EncoderInput(sequences: [inputIds], padId: model.encoder.config.padTokenId)
        try input.validate(for: model.encoder.config)
        let training = !maskedPositions.isEmpty
        let context = ForwardContext(tape: training ? Tape() : nil, isTraining: false, generator: SeededGenerator(seed: 0))
        let recorder = ActivationRecorder()
        context.recorder = recorder
        var pooled: Variable
        if training {
            let (loss, _, output) = model.loss(input, maskedPositions: maskedPositions, targets: targets, context: context)
            pooled = pooling(output.hidden, mask: input.mask)
            context.tape!.backward(from: loss)
            context.accumulateGradients()
        } else {
            pooled = pooling(model.encoder(input, context: context).hidden, mask: input.mask)
        }
        var result = recorder.values.map { (name: $0.name, tensor: $0.variable.value) }
        result.append(("pooled", pooled.value))
        if training, let tape = context.tape {
            for (name, variable) in recorder.values {
                if let gradient = tape.gradient(of: variable) { result.append(("\(name).grad", gradient)) }
            }
            let named = model.encoder.parameters(prefix: "bert") + model.head.parameters(prefix: "head")
            var seen = Set<ObjectIdentifier>()
            for entry in named where seen.insert(ObjectIdentifier(entry.parameter)).inserted {
                guard let gradient = entry.parameter.gradient else { continue }
                let base = entry.name.hasPrefix("bert.") ? "bert." + CheckpointNames.huggingFaceName(for: String(entry.name.dropFirst(5)))
                                                          : CheckpointNames.huggingFaceName(for: entry.name)
                result.append(("\(base).grad", gradient))
                entry.parameter.zeroGradient()
            }
        }
        return result
    }
}
