// A small seeded random model folder for following the Docs without the shipped model:
// 2 layers × 64 wide, 4 heads, sinusoidal positions (up to 512 tokens), initialisation σ = 0.2 so
// that attention is visibly non-uniform, with the committed 2k-token byte-level BPE tokenizer
// (Tests/Fixtures/Encoder/tokenizer-2k.json). Also prints the trace names and shapes of one
// masked pass (Docs/Trace.md). Its attention patterns come from random weights and positions,
// not from language: use it to learn the tools, not to interpret heads.
// Not handled: training (see the PretrainTiny example and Docs/Pretraining.md).

import Foundation
import TinyEncoder

enum DemoModel {
    /// The package root: this file is Examples/AttentionByHand/DemoModel.swift.
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let tokenizerURL = packageRoot.appendingPathComponent("Tests/Fixtures/Encoder/tokenizer-2k.json")

    static let config = EncoderConfig(vocabularySize: 2000, width: 64, layerCount: 2, headCount: 4, maxPositions: 512,
                                      hiddenDropout: 0, attentionDropout: 0, initializerRange: 0.2,
                                      positionEmbeddingType: .sinusoidal)

    static func write(to path: String) throws {
        let folder = URL(fileURLWithPath: path)
        let tokenizer = try Data(contentsOf: tokenizerURL)
        try ModelFolder.save(MaskedLanguageModel(config: config, seed: 2024), pooling: Pooling(.mean, normalize: true),
                             tokenizerJSON: tokenizer, to: folder)
        print("""
            wrote a random demo model to \(folder.path):
              config.json (2 layers × 64 wide, 4 heads, sinusoidal positions, 512 positions), model.safetensors,
              tokenizer.json (2,000-token byte-level BPE, "[CLS] $A [SEP]"), modules.json, 1_Pooling/config.json
            try:
              swift run -c release tinyencoder attention --model \(folder.path) --text "The cat sat on the mat." --out attention.html
              swift run -c release tinyencoder attention --model \(folder.path) --text "The cat sat on the mat." --out head.svg --layer 1 --head 2
              swift run -c release tinyencoder trace --model \(folder.path) --text "The cat sat on the mat." --mask 3 --out trace.safetensors
            """)
    }

    /// Runs EncoderTrace on the demo model (in memory) and prints every name with its shape.
    static func listTrace() throws {
        let tokenizer = try Tokenizer(contentsOf: tokenizerURL)
        let text = "The cat sat on the mat."
        let encoding = try tokenizer.encode(text)
        let model = MaskedLanguageModel(config: config, seed: 2024)
        print("=== EncoderTrace of \"\(text)\" on the demo model, token 3 masked ===")
        print("tokens: " + encoding.tokens.enumerated().map { "\($0.offset):\($0.element)" }.joined(separator: " ") + "\n")
        let trace = try EncoderTrace.run(model: model, ids: encoding.ids, maskedPositions: [3], maskTokenId: 4)
        for (name, tensor) in trace {
            let preview = tensor.scalars.prefix(3).map { String(format: "%.4g", $0) }.joined(separator: ", ")
            print(pad(name, 66, left: true) + pad("\(tensor.shape)", 18, left: true) + "  " + preview + (tensor.count > 3 ? ", …" : ""))
        }
        print("\n\(trace.count) tensors.\n")
    }
}
