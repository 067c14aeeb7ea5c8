// Pre-LN against post-LN at initialisation, measured: the same 6-layer encoder built both ways,
// one masked-LM loss on the same random batch, then per layer the size of the residual stream
// (RMS of each block's output), the gradient reaching it, and the gradient of the layer's
// attention query weights and first feed-forward weights. Docs/EncoderBlock.md explains the
// pattern (Xiong et al., 2020, "On Layer Normalization in the Transformer Architecture").
// Not handled: training curves (see Docs/Pretraining.md), learning-rate warm-up experiments.

import Foundation
import TinyEncoder

enum PreVersusPostLN {
    static func run() {
        let (layers, width, batch, length, vocabulary) = (12, 64, 8, 32, 500)
        print("=== Pre-LN vs post-LN at initialisation: \(layers) layers × \(width) wide, 4 heads, one MLM loss on \(batch)×\(length) random tokens ===\n")
        var generator = SeededGenerator(seed: 42)
        let sequences = (0..<batch).map { _ in (0..<length).map { _ in 5 + generator.nextInt(below: vocabulary - 5) } }
        var positions: [Int] = [], targets: [Int] = []
        var masked = sequences
        for row in 0..<batch {
            for column in 1..<(length - 1) where generator.nextUniform() < 0.15 {
                positions.append(row * length + column)
                targets.append(sequences[row][column])
                masked[row][column] = 4  // the [MASK] id of this toy vocabulary
            }
        }
        let input = EncoderInput(sequences: masked, padId: 0)
        for sigma in [0.02, (1 / Double(width)).squareRoot()] {
            print("--- weights ~ N(0, σ²), σ = \(String(format: "%.3f", sigma))\(sigma == 0.02 ? " (BERT's initializer_range)" : " = 1/√C (Xavier-like, as in Xiong et al.)") ---\n")
            for preLayerNorm in [false, true] {
                let config = EncoderConfig(vocabularySize: vocabulary, width: width, layerCount: layers, headCount: 4, maxPositions: 64,
                                           hiddenDropout: 0, attentionDropout: 0, initializerRange: Float(sigma), preLayerNorm: preLayerNorm)
                report(MaskedLanguageModel(config: config, seed: 7), input: input, positions: positions, targets: targets)
            }
        }
        print("""
            Post-LN normalises after every residual sum, so each block's output has RMS ≈ 1 and the gradient must
            pass through every LayerNorm on its way down. Pre-LN leaves the residual stream un-normalised (its RMS
            grows with depth) and keeps an identity path from the loss to every layer: each block's input receives
            the gradient of everything above it added together. With σ = 0.02 the branches are so small that
            both arrangements are almost the identity at step 0 and the two tables nearly coincide.

            """)
    }

    /// One masked-LM loss and backward; per layer: output RMS and gradient norms.
    static func report(_ model: MaskedLanguageModel, input: EncoderInput, positions: [Int], targets: [Int]) {
        let context = ForwardContext(tape: Tape(), isTraining: false, generator: SeededGenerator(seed: 0))
        let recorder = ActivationRecorder()
        context.recorder = recorder
        let (loss, _, _) = model.loss(input, maskedPositions: positions, targets: targets, context: context)
        context.tape!.backward(from: loss)
        context.accumulateGradients()
        let vocabulary = model.encoder.config.vocabularySize
        print("\(model.encoder.config.preLayerNorm ? "pre-LN:  h = x + Attn(LN(x)); y = h + FFN(LN(h)); final LN" : "post-LN: h = LN(x + Attn(x)); y = LN(h + FFN(h))")   loss \(String(format: "%.4f", loss.value.scalar)) (log \(vocabulary) = \(String(format: "%.4f", log(Double(vocabulary)))))")
        print("  layer   RMS(output)   ‖∂L/∂output‖   ‖∂L/∂W_q‖   ‖∂L/∂W_ffn1‖")
        for (index, block) in model.encoder.layers.enumerated() {
            let output = recorder.values.first { $0.name == "layers.\(index).output" }!.variable
            let rms = (output.value.scalars.map { Double($0) * Double($0) }.reduce(0, +) / Double(output.value.count)).squareRoot()
            let outputGradient = context.tape!.gradient(of: output).map(norm) ?? 0
            let query = block.attention.query.weight.gradient.map(norm) ?? 0
            let ffn = block.feedForward.intermediate.weight.gradient.map(norm) ?? 0
            print("  " + pad(String(index), 5) + pad(String(format: "%.3f", rms), 14) + pad(String(format: "%.3e", outputGradient), 15)
                  + pad(String(format: "%.3e", query), 12) + pad(String(format: "%.3e", ffn), 14))
        }
        print("")
    }

    /// The Frobenius norm √Σ x².
    static func norm(_ t: Tensor) -> Double { t.scalars.map { Double($0) * Double($0) }.reduce(0, +).squareRoot() }
}
