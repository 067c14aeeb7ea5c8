// Helpers for the golden fixtures in Tests/Fixtures/Tokenization (made by
// Scripts/tokenization/make_fixtures.py with HF tokenizers): loading them, and comparing an
// Encoding field by field with HF's record of it.
// Not handled: anything a test should assert itself.
import Foundation
import Testing
import TestSupport
@testable import Tokenization

enum Fixtures {
    static func url(_ name: String) -> URL { fixtureURL("Tokenization/" + name) }

    static func json(_ name: String) throws -> JSONValue {
        try JSONParser.parse([UInt8](try Data(contentsOf: url(name))), source: name)
    }

    static func tokenizer(_ name: String) throws -> Tokenizer { try Tokenizer(contentsOf: url(name)) }

    static func strings(_ value: JSONValue?) -> [String] { value?.arrayValue?.compactMap(\.stringValue) ?? [] }
    static func ints(_ value: JSONValue?) -> [Int] { value?.arrayValue?.compactMap(\.intValue) ?? [] }
    static func optionalInts(_ value: JSONValue?) -> [Int?] { value?.arrayValue?.map { $0.intValue } ?? [] }
    static func ranges(_ value: JSONValue?) -> [Range<Int>] {
        value?.arrayValue?.compactMap { pair in
            guard let start = pair[0]?.intValue, let end = pair[1]?.intValue else { return nil }
            return start..<end
        } ?? []
    }
}

/// Checks every field HF records (ids, type ids, tokens, offsets in characters — and in bytes
/// when recorded —, word and sequence ids, both masks, and the overflow windows, recursively).
func expectMatchesHF(_ encoding: Encoding, _ record: JSONValue, _ label: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(encoding.ids == Fixtures.ints(record["ids"]), "\(label): ids", sourceLocation: sourceLocation)
    #expect(encoding.typeIds == Fixtures.ints(record["type_ids"]), "\(label): type ids", sourceLocation: sourceLocation)
    #expect(encoding.tokens == Fixtures.strings(record["tokens"]), "\(label): tokens", sourceLocation: sourceLocation)
    #expect(encoding.characterOffsets == Fixtures.ranges(record["offsets"]), "\(label): character offsets", sourceLocation: sourceLocation)
    if let bytes = record["byte_offsets"] {
        #expect(encoding.offsets == Fixtures.ranges(bytes), "\(label): byte offsets", sourceLocation: sourceLocation)
    }
    #expect(encoding.wordIndices == Fixtures.optionalInts(record["word_ids"]), "\(label): word ids", sourceLocation: sourceLocation)
    #expect(encoding.sequenceIndices == Fixtures.optionalInts(record["sequence_ids"]), "\(label): sequence ids", sourceLocation: sourceLocation)
    #expect(encoding.specialTokensMask == Fixtures.ints(record["special_tokens_mask"]), "\(label): special mask", sourceLocation: sourceLocation)
    #expect(encoding.attentionMask == Fixtures.ints(record["attention_mask"]), "\(label): attention mask", sourceLocation: sourceLocation)
    let windows = record["overflowing"]?.arrayValue ?? []
    #expect(encoding.overflowing.count == windows.count, "\(label): overflow windows", sourceLocation: sourceLocation)
    for (index, (window, expected)) in zip(encoding.overflowing, windows).enumerated() {
        expectMatchesHF(window, expected, "\(label) overflow \(index)", sourceLocation: sourceLocation)
    }
}
