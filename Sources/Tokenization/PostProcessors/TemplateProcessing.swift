// TemplateProcessing: special tokens placed by a template such as "[CLS] $A [SEP]" for one
// sequence and "[CLS] $A [SEP] $B:1 [SEP]:1" for a pair, where ":1" sets the type id.
// Reference: HF tokenizers processors/template.rs (the piece syntax and the JSON layout).
// Not handled: nothing the JSON format can express.

/// A post-processor driven by templates.
///
/// ```swift
/// let template = try TemplateProcessing(single: "[CLS] $A [SEP]", pair: "[CLS] $A [SEP] $B:1 [SEP]:1",
///                                       specialTokens: [("[CLS]", 2), ("[SEP]", 3)])
/// ```
public struct TemplateProcessing: PostProcessor, Equatable, Sendable {
    /// One element of a template.
    public enum Piece: Equatable, Sendable {
        /// `$A` or `$B` (sequence 0 or 1) with a type id.
        case sequence(index: Int, typeId: Int)
        /// A special token by its template name, with a type id.
        case specialToken(name: String, typeId: Int)
    }

    /// A named special token: what it expands to (usually one id and one token).
    public struct SpecialToken: Equatable, Sendable {
        public var name: String
        public var ids: [Int]
        public var tokens: [String]
        public init(name: String, ids: [Int], tokens: [String]) {
            self.name = name
            self.ids = ids
            self.tokens = tokens
        }
    }

    public var single: [Piece]
    public var pair: [Piece]
    /// The special tokens, in the order they are written out.
    public var specialTokens: [SpecialToken]

    /// Builds from pieces; every special token a template names must be in `specialTokens`, and the
    /// pair template must use both sequences.
    public init(single: [Piece], pair: [Piece], specialTokens: [SpecialToken]) throws {
        self.single = single
        self.pair = pair
        self.specialTokens = specialTokens
        let known = Set(specialTokens.map(\.name))
        for case let .specialToken(name, _) in single + pair where !known.contains(name) {
            throw TokenizationError.invalidConfiguration(component: "TemplateProcessing", field: "special_tokens",
                                                         reason: "lacks \"\(name)\", which a template uses; add it with its id")
        }
        let pairSequences = Set(pair.compactMap { piece -> Int? in
            if case let .sequence(index, _) = piece { return index } else { return nil } })
        guard pairSequences == [0, 1] else {
            throw TokenizationError.invalidConfiguration(component: "TemplateProcessing", field: "pair",
                                                         reason: "must use both $A and $B")
        }
        for token in specialTokens where token.ids.count != token.tokens.count {
            throw TokenizationError.invalidConfiguration(component: "TemplateProcessing", field: "special_tokens.\(token.name)",
                                                         reason: "has \(token.ids.count) ids but \(token.tokens.count) tokens")
        }
    }

    /// Builds from template strings ("[CLS] $A [SEP]") and single-id special tokens.
    public init(single: String, pair: String? = nil, specialTokens: [(String, Int)]) throws {
        let singlePieces = try TemplateProcessing.parse(single)
        let pairPieces = try pair.map(TemplateProcessing.parse) ?? [.sequence(index: 0, typeId: 0), .sequence(index: 1, typeId: 1)]
        try self.init(single: singlePieces, pair: pairPieces,
                      specialTokens: specialTokens.map { SpecialToken(name: $0.0, ids: [$0.1], tokens: [$0.0]) })
    }

    /// Parses a template string: pieces separated by single spaces; `$A`, `$B`, `$` or `$N` (A with
    /// type id N) are sequences; anything else is a special token; `:N` sets the type id.
    public static func parse(_ template: String) throws -> [Piece] {
        try template.split(separator: " ", omittingEmptySubsequences: false).map { try parsePiece(String($0)) }
    }

    static func parsePiece(_ text: String) throws -> Piece {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let invalid = TokenizationError.invalidConfiguration(component: "TemplateProcessing", field: "template",
                                                             reason: "has the piece \"\(text)\"; write $A, $B, $A:1 or a token such as [CLS]")
        guard parts.count == 1 || parts.count == 2 else { throw invalid }
        var typeId = 0
        if parts.count == 2 {
            guard let value = Int(parts[1]), value >= 0 else { throw invalid }
            typeId = value
        }
        let name = parts[0]
        guard name.hasPrefix("$") else { return .specialToken(name: name, typeId: typeId) }
        switch name.dropFirst() {
        case "", "A", "a": return .sequence(index: 0, typeId: typeId)
        case "B", "b": return .sequence(index: 1, typeId: typeId)
        default:
            guard parts.count == 1, let value = Int(name.dropFirst()), value >= 0 else { throw invalid }
            return .sequence(index: 0, typeId: value)
        }
    }

    // MARK: - PostProcessor

    public func addedTokenCount(isPair: Bool) -> Int {
        (isPair ? pair : single).reduce(0) { total, piece in
            guard case let .specialToken(name, _) = piece else { return total }
            return total + (specialTokens.first(where: { $0.name == name })?.ids.count ?? 0)
        }
    }

    public func process(_ encodings: [Encoding], addSpecialTokens: Bool) -> [Encoding] {
        let template = encodings.count == 2 ? pair : single
        var parts: [Encoding] = []
        for piece in template {
            switch piece {
            case let .sequence(index, typeId):
                guard index < encodings.count else { continue }
                var part = encodings[index]
                part.setTypeIds(typeId)
                parts.append(part)
            case let .specialToken(name, typeId):
                guard addSpecialTokens, let token = specialTokens.first(where: { $0.name == name }) else { continue }
                parts.append(.specialTokens(ids: token.ids, tokens: token.tokens, typeId: typeId))
            }
        }
        return parts
    }

    public var json: JSONValue {
        func pieces(_ template: [Piece]) -> JSONValue {
            .array(template.map { piece in
                switch piece {
                case let .sequence(index, typeId):
                    return .object([("Sequence", .object([("id", .string(index == 0 ? "A" : "B")), ("type_id", .integer(typeId))]))])
                case let .specialToken(name, typeId):
                    return .object([("SpecialToken", .object([("id", .string(name)), ("type_id", .integer(typeId))]))])
                }
            })
        }
        // HF writes the special tokens sorted by name.
        let tokens = specialTokens.sorted { $0.name < $1.name }.map { token -> (key: String, value: JSONValue) in
            (token.name, .object([("id", .string(token.name)), ("ids", .array(token.ids.map { .integer($0) })),
                                  ("tokens", .array(token.tokens.map { .string($0) }))]))
        }
        return .object([("type", .string("TemplateProcessing")), ("single", pieces(single)),
                        ("pair", pieces(pair)), ("special_tokens", .object(tokens))])
    }
}
