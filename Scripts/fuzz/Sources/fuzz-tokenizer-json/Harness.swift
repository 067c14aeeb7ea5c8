// Fuzz harness: tokenizer.json (`JSONParser.parse` + `Tokenizer(json:)`), then the loaded
// tokenizer encodes a text (the bytes after the first NUL, or a fixed sentence) and decodes it.
// Properties: what loads saves and loads again to the same JSON; decoding an encoding never traps.
// Not handled: the file-reading wrapper `Tokenizer(contentsOf:)` (it only adds `Data(contentsOf:)`).

import FuzzSupport
import Foundation
import Tokenization

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let parts = Fuzz.split(Fuzz.bytes(data, size), into: 2)
    do {
        let json = try JSONParser.parse(parts[0], source: "fuzz-tokenizer.json")
        var tokenizer = try Tokenizer(json: json, source: "fuzz-tokenizer.json")
        let saved = JSONWriter.bytes(tokenizer.json, pretty: true)
        let reloaded = try Tokenizer(json: try JSONParser.parse(saved, source: "saved"), source: "saved")
        Fuzz.check(reloaded.json == tokenizer.json, "tokenizer.json changes when saved and loaded again")
        let texts = parts[1].isEmpty ? ["Hello, world! naïve café 123 <mask> [CLS]"] : [String(decoding: parts[1], as: UTF8.self)]
        for policy in [SpecialTokenPolicy.recognize, .treatAsText] {
            tokenizer.specialTokenPolicy = policy
            for text in texts {
                do {
                    let single = try tokenizer.encode(text)
                    _ = try? tokenizer.decode(single.ids)
                    _ = try? tokenizer.decode(single.ids, skipSpecialTokens: true)
                    let pair = try tokenizer.encode(text, pair: text)
                    Fuzz.check(pair.ids.count == pair.offsets.count, "ids and offsets differ in length")
                    _ = try tokenizer.encode(batch: [text, "", text + text], threads: 1)
                } catch {
                    Fuzz.describe(error)
                }
            }
        }
    } catch {
        Fuzz.describe(error)
    }
    return 0
}
