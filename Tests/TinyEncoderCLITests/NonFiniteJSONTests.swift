// `embed --format json` cannot print NaN or Infinity (JSON has neither): the sink refuses the
// first non-finite number, naming the text and the element. TSV prints it as it is.
// Not handled: how a model comes to produce NaN (the weights' business).

import Foundation
import Testing
@testable import TinyEncoderCLI

@Suite struct NonFiniteJSONTests {
    func sink(json: Bool) throws -> (TextEmbeddingSink, URL) {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("te-nan-\(UUID().uuidString)")
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        return (try TextEmbeddingSink(ByteOutput(try FileHandle(forWritingTo: url)), json: json), url)
    }

    @Test func nanInJSONIsRefusedNamingTheText() throws {
        let (json, _) = try sink(json: true)
        #expect {
            try json.write(sentences: [[1, 2], [3, .nan]])
        } throws: { error in
            "\(error)".contains("text 1 (input line 2): element 1 of its vector is nan")
        }
        let (tokens, _) = try sink(json: true)
        #expect { try tokens.write(tokens: [[[0, 1], [.infinity, 0]]]) } throws: { "\($0)".contains("text 0 (input line 1): token 1, element 0") }
        let (tsv, _) = try sink(json: false)
        try tsv.write(sentences: [[.nan]])  // TSV can hold "nan"
    }
}
