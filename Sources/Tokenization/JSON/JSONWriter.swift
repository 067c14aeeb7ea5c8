// JSONWriter: turns a `JSONValue` into UTF-8 text laid out exactly as serde_json writes it
// (HF tokenizers' `save(pretty=True)`: two-space indent, `"key": value`, `[]`/`{}` when empty), so a
// tokenizer.json that we load and save again is byte-identical to HF's file.
// Follows serde_json's PrettyFormatter and its string escaping (only `"`, `\` and controls escaped).
// Not handled: sorting keys (order is the caller's), non-finite numbers (JSON has none).

/// Writes JSON text.
///
/// ```swift
/// let text = JSONWriter.string(.object([("a", .integer(1))]), pretty: true)   // "{\n  \"a\": 1\n}"
/// ```
public enum JSONWriter: Sendable {
    /// The UTF-8 bytes of `value`, indented like serde_json's pretty printer or compact.
    public static func bytes(_ value: JSONValue, pretty: Bool) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(1 << 16)
        write(value, into: &output, pretty: pretty, indent: 0)
        return output
    }

    /// `bytes(_:pretty:)` as a String.
    public static func string(_ value: JSONValue, pretty: Bool) -> String {
        String(decoding: bytes(value, pretty: pretty), as: UTF8.self)
    }

    // MARK: - Values

    private static func write(_ value: JSONValue, into output: inout [UInt8], pretty: Bool, indent: Int) {
        switch value {
        case .null: output.append(contentsOf: "null".utf8)
        case let .bool(flag): output.append(contentsOf: (flag ? "true" : "false").utf8)
        case let .integer(number): output.append(contentsOf: String(number).utf8)
        case let .double(number): output.append(contentsOf: formatDouble(number).utf8)
        case let .string(text): writeString(text, into: &output)
        case let .array(items):
            if items.isEmpty { output.append(contentsOf: "[]".utf8); return }
            output.append(UInt8(ascii: "["))
            for (position, item) in items.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                newline(into: &output, pretty: pretty, indent: indent + 1)
                write(item, into: &output, pretty: pretty, indent: indent + 1)
            }
            newline(into: &output, pretty: pretty, indent: indent)
            output.append(UInt8(ascii: "]"))
        case let .object(pairs):
            if pairs.isEmpty { output.append(contentsOf: "{}".utf8); return }
            output.append(UInt8(ascii: "{"))
            for (position, pair) in pairs.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                newline(into: &output, pretty: pretty, indent: indent + 1)
                writeString(pair.key, into: &output)
                output.append(UInt8(ascii: ":"))
                if pretty { output.append(UInt8(ascii: " ")) }
                write(pair.value, into: &output, pretty: pretty, indent: indent + 1)
            }
            newline(into: &output, pretty: pretty, indent: indent)
            output.append(UInt8(ascii: "}"))
        }
    }

    private static func newline(into output: inout [UInt8], pretty: Bool, indent: Int) {
        guard pretty else { return }
        output.append(0x0A)
        output.append(contentsOf: repeatElement(UInt8(ascii: " "), count: 2 * indent))
    }

    // MARK: - Strings and numbers

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Writes `text` quoted. Escapes `"`, `\`, and bytes below 0x20 (`\b \t \n \f \r` by name, the
    /// rest as `\u00XX`); everything else, including non-ASCII, goes out as raw UTF-8 (serde_json does the same).
    static func writeString(_ text: String, into output: inout [UInt8]) {
        output.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            for byte in utf8 {
                switch byte {
                case UInt8(ascii: "\""): output.append(UInt8(ascii: "\\")); output.append(UInt8(ascii: "\""))
                case UInt8(ascii: "\\"): output.append(UInt8(ascii: "\\")); output.append(UInt8(ascii: "\\"))
                case 0x08: output.append(UInt8(ascii: "\\")); output.append(UInt8(ascii: "b"))
                case 0x09: output.append(UInt8(ascii: "\\")); output.append(UInt8(ascii: "t"))
                case 0x0A: output.append(UInt8(ascii: "\\")); output.append(UInt8(ascii: "n"))
                case 0x0C: output.append(UInt8(ascii: "\\")); output.append(UInt8(ascii: "f"))
                case 0x0D: output.append(UInt8(ascii: "\\")); output.append(UInt8(ascii: "r"))
                case 0..<0x20:
                    output.append(contentsOf: "\\u00".utf8)
                    output.append(hexDigits[Int(byte >> 4)])
                    output.append(hexDigits[Int(byte & 0xF)])
                default: output.append(byte)
                }
            }
        }
        output.append(UInt8(ascii: "\""))
    }

    /// Shortest round-tripping decimal, with serde_json's (ryu's) exponent style: `1e20`, `1.5e-7`, `0.1`.
    static func formatDouble(_ number: Double) -> String {
        var text = "\(number)"
        if let exponent = text.firstIndex(of: "e") {
            var mantissa = String(text[..<exponent])
            var power = String(text[text.index(after: exponent)...])
            if mantissa.hasSuffix(".0") { mantissa.removeLast(2) }
            let negative = power.hasPrefix("-")
            if power.hasPrefix("+") || negative { power.removeFirst() }
            while power.count > 1, power.hasPrefix("0") { power.removeFirst() }
            text = mantissa + "e" + (negative ? "-" : "") + power
        }
        return text
    }
}
