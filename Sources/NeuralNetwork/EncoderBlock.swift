// One Transformer encoder block, in both arrangements of the residual and LayerNorm:
//   post-LN (BERT, Vaswani et al.):  h = LN₁(x + Drop(Attn(x)));    y = LN₂(h + Drop(FFN(h)))
//   pre-LN  (Xiong et al., 2020):    h = x + Drop(Attn(LN₁(x)));    y = h + Drop(FFN(LN₂(h)))
// Pre-LN keeps an identity path from input to output, which trains stably without warm-up
// tricks; it then needs one final LayerNorm after the last block (TransformerEncoder adds it).
// Not handled: parallel attention/FFN blocks, layer scale, stochastic depth.

import Autograd
import TensorCore

/// Attention and feed-forward sub-blocks with residual connections and LayerNorm.
public final class EncoderBlock: Layer {
    public let attention: MultiHeadAttention
    public let attentionNorm: LayerNorm
    public let feedForward: FeedForward
    public let outputNorm: LayerNorm
    public let preLayerNorm: Bool
    public let dropoutProbability: Float

    public init(width: Int, headCount: Int, hiddenWidth: Int, activation: Activation, layerNormEpsilon: Float,
                preLayerNorm: Bool, dropoutProbability: Float = 0, attentionDropoutProbability: Float = 0,
                standardDeviation: Float = 0.02, generator: inout SeededGenerator) {
        attention = MultiHeadAttention(width: width, headCount: headCount, dropoutProbability: attentionDropoutProbability,
                                       standardDeviation: standardDeviation, generator: &generator)
        attentionNorm = LayerNorm(dimension: width, epsilon: layerNormEpsilon)
        feedForward = FeedForward(width: width, hiddenWidth: hiddenWidth, activation: activation,
                                  standardDeviation: standardDeviation, generator: &generator)
        outputNorm = LayerNorm(dimension: width, epsilon: layerNormEpsilon)
        self.preLayerNorm = preLayerNorm
        self.dropoutProbability = dropoutProbability
    }

    public var children: [(name: String, layer: any Layer)] {
        [("attention", attention), ("attentionNorm", attentionNorm), ("feedForward", feedForward), ("outputNorm", outputNorm)]
    }

    public var summary: String { "EncoderBlock(\(preLayerNorm ? "pre-LN" : "post-LN"))" }

    /// x: [B, T, C], mask: [B, T] → [B, T, C], and the attention probabilities [B, H, T, T].
    ///
    /// With `rows` (flat indices into [B, T]) the output is [N, C], those positions only. Every
    /// position still gives its key and value; the queries, the attention, the output projection,
    /// the feed-forward block and both LayerNorms run on the N rows alone, since nothing else
    /// crosses between positions. A masked-LM step's last block needs only its masked positions.
    public func callAsFunction(_ x: Variable, mask: Tensor?, context: ForwardContext, name: String,
                               rows: [Int]? = nil) -> (output: Variable, probabilities: Tensor) {
        let residual = rows.map { gatherRows(reshape(x, [x.shape[0] * x.shape[1], x.shape[2]]), indices: $0) } ?? x
        if preLayerNorm {
            let (attended, probabilities) = attention(attentionNorm(x, context: context), mask: mask, context: context,
                                                      name: "\(name).attention", rows: rows)
            let h = add(residual, drop(attended, context))                                                // [B, T, C]
            let y = add(h, drop(feedForward(outputNorm(h, context: context), context: context, name: "\(name).feedForward"), context))
            context.record("\(name).output", y)
            return (y, probabilities)
        }
        let (attended, probabilities) = attention(x, mask: mask, context: context, name: "\(name).attention", rows: rows,
                                                  rowsOfX: rows == nil ? nil : residual)   // post-LN: the same rows of x
        let h = attentionNorm(add(residual, drop(attended, context)), context: context)                   // [B, T, C]
        context.record("\(name).attentionNorm", h)
        let y = outputNorm(add(h, drop(feedForward(h, context: context, name: "\(name).feedForward"), context)), context: context)
        context.record("\(name).output", y)
        return (y, probabilities)
    }

    private func drop(_ x: Variable, _ context: ForwardContext) -> Variable {
        guard context.isTraining && dropoutProbability > 0 else { return x }
        return dropout(x, probability: dropoutProbability, generator: &context.generator)
    }
}
