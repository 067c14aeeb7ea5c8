// Fuzz harness: a model folder (`ModelFolder.load`): config.json and model.safetensors, joined by
// one NUL byte in the input. This is where sizes from one file (config.json) meet the bytes of
// another, so it catches a config that asks for a model far larger than its weights file.
// Property: a folder that loads encodes one short sequence without trapping.
// Not handled: the tokenizer and pooling files (fuzz-tokenizer-json and fuzz-config-json).

import Encoder
import FuzzSupport
import Foundation
import NeuralNetwork

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let parts = Fuzz.split(Fuzz.bytes(data, size), into: 2)
    Fuzz.file("folder/config.json", parts[0])
    Fuzz.file("folder/model.safetensors", parts[1])
    do {
        let folder = try ModelFolder.load(Fuzz.scratch.appendingPathComponent("folder"))
        let input = EncoderInput(sequences: [[0, 1, 2].map { $0 % folder.config.vocabularySize }], padId: folder.config.padTokenId)
        try input.validate(for: folder.config)
        _ = folder.model.encoder(input, context: .inference())
    } catch {
        Fuzz.describe(error)
    }
    return 0
}
