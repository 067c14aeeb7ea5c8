// JSONValue: the JSON document model used for tokenizer.json and vocab.json. Objects keep their
// keys in file order (so a file we read and write back keeps HF's layout), integers stay exact
// (token ids must never pass through Double), and lookups report a JSON path for error messages.
// Follows RFC 8259. Not handled: duplicate keys are kept as they come (the first one wins on lookup).

import TextInput

/// A parsed JSON value.
///
/// ```swift
/// let value = try JSONParser.parse(Array(#"{"a": [1, 2.5, "x"]}"#.utf8), source: "inline")
/// value["a"]?[0]?.intValue   // 1
/// ```
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    /// A number written without a fraction or an exponent that fits in `Int`.
    case integer(Int)
    /// Any other number.
    case double(Double)
    case string(String)
    case array([JSONValue])
    /// Key–value pairs in the order they appear in the text.
    case object([(key: String, value: JSONValue)])

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(a), .bool(b)): return a == b
        case let (.integer(a), .integer(b)): return a == b
        case let (.double(a), .double(b)): return a == b
        case let (.integer(a), .double(b)), let (.double(b), .integer(a)): return Double(a) == b
        case let (.string(a), .string(b)): return a == b
        case let (.array(a), .array(b)): return a == b
        case let (.object(a), .object(b)):
            return a.count == b.count && zip(a, b).allSatisfy { $0.key == $1.key && $0.value == $1.value }
        default: return false
        }
    }

    // MARK: - Access

    /// The value under `key` if this is an object that has it.
    public subscript(key: String) -> JSONValue? {
        guard case let .object(pairs) = self else { return nil }
        return pairs.first(where: { $0.key == key })?.value
    }

    /// The element at `index` if this is an array that long.
    public subscript(index: Int) -> JSONValue? {
        guard case let .array(items) = self, items.indices.contains(index) else { return nil }
        return items[index]
    }

    public var isNull: Bool { if case .null = self { return true } else { return false } }
    public var stringValue: String? { if case let .string(s) = self { return s } else { return nil } }
    public var boolValue: Bool? { if case let .bool(b) = self { return b } else { return nil } }
    public var arrayValue: [JSONValue]? { if case let .array(a) = self { return a } else { return nil } }
    public var objectValue: [(key: String, value: JSONValue)]? {
        if case let .object(o) = self { return o } else { return nil }
    }

    /// The value as an exact integer (a double such as `3.0` counts when it is whole).
    public var intValue: Int? {
        switch self {
        case let .integer(i): return i
        case let .double(d) where d.rounded() == d && abs(d) < 9.0e15: return Int(d)
        default: return nil
        }
    }

    /// The value as a floating-point number.
    public var doubleValue: Double? {
        switch self {
        case let .integer(i): return Double(i)
        case let .double(d): return d
        default: return nil
        }
    }

    /// A short name of the kind of value, for error messages ("a string", "an array", …).
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .integer, .double: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}

// MARK: - Typed field reading with paths

/// Reads fields of one JSON object and turns every mismatch into a `TokenizationError` that names
/// the source file and the JSON path (`post_processor.special_tokens.[CLS].ids`).
struct JSONFields {
    let value: JSONValue
    let source: String
    let path: String

    init(_ value: JSONValue, source: String, path: String) throws {
        guard case .object = value else {
            throw TokenizationError.invalidField(source: source, path: path, reason: "must be an object, found \(value.kindName)")
        }
        self.value = value
        self.source = source
        self.path = path
    }

    func fieldPath(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// The raw value of `key`; nil when absent (`null` is returned as `.null`).
    func optional(_ key: String) -> JSONValue? { value[key] }

    func required(_ key: String) throws -> JSONValue {
        guard let field = value[key] else { throw TokenizationError.missingField(source: source, path: fieldPath(key)) }
        return field
    }

    func string(_ key: String) throws -> String {
        let field = try required(key)
        guard let text = field.stringValue else { throw wrongKind(key, "a string", field) }
        return text
    }

    /// A string, or nil when the field is absent or null.
    func optionalString(_ key: String) throws -> String? {
        guard let field = value[key], !field.isNull else { return nil }
        guard let text = field.stringValue else { throw wrongKind(key, "a string or null", field) }
        return text
    }

    func bool(_ key: String, default fallback: Bool) throws -> Bool {
        guard let field = value[key], !field.isNull else { return fallback }
        guard let flag = field.boolValue else { throw wrongKind(key, "true or false", field) }
        return flag
    }

    /// A whole number in `range`, or `fallback` when absent or null.
    func int(_ key: String, default fallback: Int? = nil, in range: ClosedRange<Int> = 0...Int(Int32.max)) throws -> Int {
        guard let field = value[key], !field.isNull else {
            if let fallback { return fallback }
            throw TokenizationError.missingField(source: source, path: fieldPath(key))
        }
        guard let number = field.intValue else { throw wrongKind(key, "a whole number", field) }
        guard range.contains(number) else {
            throw TokenizationError.invalidField(source: source, path: fieldPath(key),
                                                 reason: "must be \(describeRange(range)), found \(number)")
        }
        return number
    }

    func array(_ key: String) throws -> [JSONValue] {
        let field = try required(key)
        guard let items = field.arrayValue else { throw wrongKind(key, "an array", field) }
        return items
    }

    func object(_ key: String) throws -> JSONFields {
        try JSONFields(try required(key), source: source, path: fieldPath(key))
    }

    func wrongKind(_ key: String, _ expected: String, _ found: JSONValue) -> TokenizationError {
        .invalidField(source: source, path: fieldPath(key), reason: "must be \(expected), found \(found.kindName)")
    }
}
