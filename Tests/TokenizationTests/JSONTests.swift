// The JSON reader and writer: values, escapes, numbers, key order, and serde_json's layout.
import Testing
@testable import Tokenization

@Suite struct JSONTests {
    @Test func parsesEveryKindOfValue() throws {
        let text = #"{"b": [1, -2, 3.5, 1e3, true, false, null], "a": "x\"\\\/\n\t\u00e9\ud83d\ude00", "c": {}}"#
        let value = try JSONParser.parse(Array(text.utf8), source: "t")
        #expect(value["b"] == .array([.integer(1), .integer(-2), .double(3.5), .double(1000), .bool(true), .bool(false), .null]))
        #expect(value["a"]?.stringValue == "x\"\\/\n\té😀")
        #expect(value.objectValue?.map(\.key) == ["b", "a", "c"])  // file order kept
        #expect(value["c"] == .object([]))
    }

    /// serde_json's pretty layout: two spaces, "key": value, empty containers inline, and only
    /// quote, backslash and control characters escaped (controls without a short name as \u00XX).
    @Test func writesLikeSerdeJSON() {
        let value = JSONValue.object([("a", .array([.integer(1), .string("é\u{1}\n\"")])), ("b", .object([])), ("c", .array([]))])
        #expect(JSONWriter.string(value, pretty: true) == "{\n  \"a\": [\n    1,\n    \"é\\u0001\\n\\\"\"\n  ],\n  \"b\": {},\n  \"c\": []\n}")
        #expect(JSONWriter.string(value, pretty: false) == #"{"a":[1,"é\u0001\n\""],"b":{},"c":[]}"#)
        #expect(JSONWriter.formatDouble(0.1) == "0.1")
        #expect(JSONWriter.formatDouble(1e20) == "1e20")
        #expect(JSONWriter.formatDouble(1.5e-7) == "1.5e-7")
    }

    @Test func roundTripsThroughText() throws {
        let value = JSONValue.object([("k", .array([.integer(Int(Int32.max)), .double(-0.25), .string("\u{7F}\u{2028}"), .null]))])
        let again = try JSONParser.parse(JSONWriter.bytes(value, pretty: true), source: "t")
        #expect(again == value)
    }
}
