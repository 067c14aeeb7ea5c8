// Fuzz harness: BERT's vocab.txt (`Tokenizer.bert(vocabulary:)`, the WordPiece pipeline HF's
// BertTokenizer builds when a folder has no tokenizer.json). The first input byte picks the
// settings (lowercase, strip accents, Chinese characters); the rest is vocab.txt, up to a NUL,
// then the text to encode (or a fixed sentence).
// Property: every id of an encoding is a line of the file, and decoding it never traps.
// Not handled: tokenizer_config.json (read by ModelFolder.loadTokenizer, a few booleans).

import FuzzSupport
import Foundation
import Tokenization

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let settings = data[0]
    let parts = Fuzz.split(Fuzz.bytes(data + 1, size - 1), into: 2)
    let vocabulary = Fuzz.file("vocab.txt", parts[0])
    let lineCount = parts[0].split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).count
    let text = parts[1].isEmpty ? "Hello, World! naïve CAFÉ 123 [MASK] 中文 unaffable" : String(decoding: parts[1], as: UTF8.self)
    do {
        let tokenizer = try Tokenizer.bert(vocabulary: vocabulary, lowercase: settings & 1 == 0,
                                           stripAccents: settings & 2 == 0 ? nil : settings & 4 == 0,
                                           handleChineseCharacters: settings & 8 == 0)
        for pair in [nil, text] as [String?] {
            do {
                let encoding = try tokenizer.encode(text, pair: pair)
                Fuzz.check(encoding.ids.allSatisfy { $0 >= 0 && $0 < lineCount }, "an id outside the file's \(lineCount) lines")
                Fuzz.check(encoding.ids.count == encoding.offsets.count, "ids and offsets differ in length")
                _ = try? tokenizer.decode(encoding.ids)
                _ = try? tokenizer.decode(encoding.ids, skipSpecialTokens: true)
            } catch {
                Fuzz.describe(error)
            }
        }
    } catch {
        Fuzz.describe(error)
    }
    return 0
}
