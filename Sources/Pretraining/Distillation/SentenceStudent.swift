// SentenceStudent: the model a distillation trains. An encoder with its masked-LM head (the head
// is trained only when the masked-LM term is on), mean pooling, and a learned projection to the
// teacher's width when the two differ:
//   h = Encoder(ids)                 [B, T, C]
//   p = maskedMean(h)                [B, C]
//   s = p·Wᵀ + b                     [B, Dₜ]   (s = p when C = Dₜ and no projection was asked for)
// Saved, it is a sentence-transformers folder: Transformer, Pooling (mean), the projection as a
// Dense module, and Normalize when the teacher normalises; so `embed`, sentence-transformers and
// transformers all load it, and its vectors live in the teacher's space.
// Not handled: CLS or max pooling for the student (mean is what the objective is written for).

import Autograd
import Encoder
import Foundation
import NeuralNetwork
import TensorCore

// B batch, T tokens, C student width, Dₜ teacher width.

/// Encoder, pooling and projection, trained together.
public final class SentenceStudent: Layer {
    public let model: MaskedLanguageModel
    /// ℝᶜ → ℝᴰᵗ, or nil when the student's pooled vector is compared as it is.
    public let projection: Linear?

    /// - Parameters:
    ///   - teacherWidth: Dₜ; a projection is made when it differs from the encoder's width.
    public init(model: MaskedLanguageModel, teacherWidth: Int, seed: UInt64 = 0) {
        self.model = model
        let width = model.encoder.config.width
        if width != teacherWidth {
            var generator = SeededGenerator(seed: seed &+ 0x5052_4F4A)  // "PROJ"
            projection = Linear(inFeatures: width, outFeatures: teacherWidth, standardDeviation: model.encoder.config.initializerRange,
                                generator: &generator)
        } else {
            projection = nil
        }
    }

    /// A student whose projection is given (a resumed run, or `--init-from` a student folder).
    public init(model: MaskedLanguageModel, projection: Linear?) {
        self.model = model
        self.projection = projection
    }

    public var children: [(name: String, layer: any Layer)] {
        var result: [(name: String, layer: any Layer)] = [("encoder", model.encoder), ("head", model.head)]
        if let projection { result.append(("projection", projection)) }
        return result
    }

    public var summary: String { "SentenceStudent" }

    /// The width of the vectors compared with the teacher's.
    public var outputWidth: Int { projection?.outFeatures ?? model.encoder.config.width }

    /// s = projection(maskedMean(Encoder(input))), [B, Dₜ].
    public func sentenceVectors(_ input: EncoderInput, context: ForwardContext) -> Variable {
        let hidden = model.encoder(input, context: context).hidden          // [B, T, C]
        let pooled = maskedMeanPooling(hidden, mask: input.mask)             // [B, C]
        guard let projection else { return pooled }
        return projection(pooled, context: context)                          // [B, Dₜ]
    }

    /// The projection as the sentence-transformers Dense module it is saved as.
    public var denseModules: [DenseModule] {
        guard let projection else { return [] }
        return [DenseModule(weight: projection.weight.value, bias: projection.bias?.value)]
    }

    /// Rebuilds the projection from a saved folder's Dense module (exactly its values).
    public static func projection(from dense: [DenseModule], width: Int) -> Linear? {
        guard let module = dense.first, module.inFeatures == width else { return nil }
        var generator = SeededGenerator(seed: 0)
        let linear = Linear(inFeatures: module.inFeatures, outFeatures: module.outFeatures, bias: module.bias != nil, generator: &generator)
        linear.weight.value = module.weight
        if let bias = module.bias { linear.bias?.value = bias }
        return linear
    }

    /// A static model's table [V, C] rescaled for use as the token embedding: every value times one
    /// factor, so that the root mean square over the non-zero rows is `rootMeanSquare`. BERT's
    /// embedding LayerNorm normalises word + position + type, so only their ratio matters; a
    /// trained BERT's word rows sit at about 2.5× the position rows (all-MiniLM-L6-v2: RMS 0.056
    /// and 0.025), which the default, 2.5 × the initialiser's σ, reproduces against fresh positions.
    public static func tokenTable(fromStatic table: Tensor, rootMeanSquare: Float) -> Tensor {
        let width = table.shape[1]
        var squares: Double = 0, count = 0
        table.withUnsafeBufferPointer { values in
            for row in 0..<table.shape[0] {
                let line = values[(row * width)..<((row + 1) * width)]
                guard line.contains(where: { $0 != 0 }) else { continue }
                for value in line { squares += Double(value) * Double(value) }
                count += width
            }
        }
        guard count > 0, squares > 0 else { return table }
        return table.scaled(by: rootMeanSquare / Float((squares / Double(count)).squareRoot()))
    }
}
