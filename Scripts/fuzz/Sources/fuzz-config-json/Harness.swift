// Fuzz harness: config.json (`EncoderConfig.fromJSON` after JSONSerialization, as `load` does) and
// sentence-transformers' pooling files (`SentenceTransformersFiles.readPooling`). The input is
// config.json, modules.json and 1_Pooling/config.json joined by NUL bytes.
// Property: a config that loads writes back to a config.json that loads to the same config.
// Not handled: the weights (fuzz-model-folder reads config.json together with model.safetensors).

import Encoder
import FuzzSupport
import Foundation

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let parts = Fuzz.split(Fuzz.bytes(data, size), into: 3)
    do {
        let object = try JSONSerialization.jsonObject(with: Data(parts[0]))
        if let json = object as? [String: Any] {
            let config = try EncoderConfig.fromJSON(json, file: "config.json")
            let written = try JSONSerialization.data(withJSONObject: config.jsonObject())
            let again = try EncoderConfig.fromJSON(try JSONSerialization.jsonObject(with: written) as! [String: Any], file: "written")
            Fuzz.check(again == config, "config.json changes when written and read again")
        }
    } catch {
        Fuzz.describe(error)
    }
    Fuzz.remove("model")
    if !parts[1].isEmpty { Fuzz.file("model/modules.json", parts[1]) }
    if !parts[2].isEmpty { Fuzz.file("model/1_Pooling/config.json", parts[2]) }
    do {
        _ = try SentenceTransformersFiles.readPooling(folder: Fuzz.scratch.appendingPathComponent("model"))
    } catch {
        Fuzz.describe(error)
    }
    return 0
}
