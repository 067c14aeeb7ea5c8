// TokenizerJSON: reading and writing HF's tokenizer.json. The top level is version, truncation,
// padding, added_tokens and the five components; we write the keys in HF's order and its layout,
// so a file loaded and saved again is byte-identical, and HF loads every file we save.
// Reference: HF tokenizers tokenizer/serialization.rs, utils/{truncation,padding}.rs (serde forms).
// Not handled: files with a `version` other than "1.0" (HF refuses them too).

import Foundation
import TextInput

extension Tokenizer {
    /// Loads an HF tokenizer.json.
    /// - Throws: `TokenizationError` naming the file and the field: malformed JSON, missing or
    ///   wrong fields, unsupported component types, merges that name missing tokens.
    public init(contentsOf url: URL) throws {
        let bytes = try readFile(url)
        try self.init(json: try JSONParser.parse(bytes, source: url.path), source: url.path)
    }

    /// Builds a tokenizer from a parsed tokenizer.json. `source` names it in error messages.
    public init(json: JSONValue, source: String = "tokenizer.json") throws {
        let fields = try JSONFields(json, source: source, path: "")
        if let version = try fields.optionalString("version"), version != "1.0" {
            throw TokenizationError.invalidField(source: source, path: "version", reason: "is \"\(version)\"; only \"1.0\" exists")
        }
        let model = try ComponentJSON.model(try fields.required("model"), source: source, path: "model")
        self.init(model: model,
                  normalizer: try ComponentJSON.normalizer(fields.optional("normalizer") ?? .null, source: source, path: "normalizer"),
                  preTokenizer: try ComponentJSON.preTokenizer(fields.optional("pre_tokenizer") ?? .null, source: source, path: "pre_tokenizer"),
                  postProcessor: try ComponentJSON.postProcessor(fields.optional("post_processor") ?? .null, source: source, path: "post_processor"),
                  decoder: try ComponentJSON.decoder(fields.optional("decoder") ?? .null, source: source, path: "decoder"),
                  addedTokens: try Tokenizer.addedTokens(fields.optional("added_tokens") ?? .array([]), source: source),
                  truncation: try Tokenizer.truncation(fields.optional("truncation") ?? .null, source: source),
                  padding: try Tokenizer.padding(fields.optional("padding") ?? .null, source: source))
    }

    /// The tokenizer.json document.
    public var json: JSONValue {
        .object([
            ("version", .string("1.0")),
            ("truncation", truncation.map(Tokenizer.json(truncation:)) ?? .null),
            ("padding", padding.map(Tokenizer.json(padding:)) ?? .null),
            ("added_tokens", addedVocabulary.json),
            ("normalizer", normalizer?.json ?? .null),
            ("pre_tokenizer", preTokenizer?.json ?? .null),
            ("post_processor", postProcessor?.json ?? .null),
            ("decoder", decoder?.json ?? .null),
            ("model", model.json),
        ])
    }

    /// Writes tokenizer.json (pretty, as HF's `save` does) through a temporary file and a rename,
    /// so a failure never leaves a half-written file.
    public func save(to url: URL, pretty: Bool = true) throws {
        try writeFileAtomically(JSONWriter.bytes(json, pretty: pretty), to: url)
    }

    // MARK: - Top-level fields

    static func addedTokens(_ value: JSONValue, source: String) throws -> [AddedToken] {
        if value.isNull { return [] }
        guard let items = value.arrayValue else {
            throw TokenizationError.invalidField(source: source, path: "added_tokens", reason: "must be an array, found \(value.kindName)")
        }
        return try items.enumerated().map { index, item in
            let fields = try JSONFields(item, source: source, path: "added_tokens[\(index)]")
            let special = try fields.bool("special", default: false)
            return AddedToken(content: try fields.string("content"), id: try fields.int("id", in: 0...(BPE.idLimit - 1)),
                              special: special, singleWord: try fields.bool("single_word", default: false),
                              leftStrip: try fields.bool("lstrip", default: false), rightStrip: try fields.bool("rstrip", default: false),
                              normalized: try fields.bool("normalized", default: !special))
        }
    }

    static func truncation(_ value: JSONValue, source: String) throws -> Truncation? {
        if value.isNull { return nil }
        let fields = try JSONFields(value, source: source, path: "truncation")
        let strategyName = try fields.optionalString("strategy") ?? "LongestFirst"
        guard let strategy = Truncation.Strategy(rawValue: strategyName) else {
            throw TokenizationError.invalidField(source: source, path: "truncation.strategy",
                                                 reason: "is \"\(strategyName)\"; use LongestFirst, OnlyFirst or OnlySecond")
        }
        let directionName = try fields.optionalString("direction") ?? "Right"
        guard let direction = Truncation.Direction(rawValue: directionName) else {
            throw TokenizationError.invalidField(source: source, path: "truncation.direction", reason: "is \"\(directionName)\"; use Right or Left")
        }
        return Truncation(maxLength: try fields.int("max_length"), stride: try fields.int("stride", default: 0),
                          strategy: strategy, direction: direction)
    }

    static func padding(_ value: JSONValue, source: String) throws -> Padding? {
        if value.isNull { return nil }
        let fields = try JSONFields(value, source: source, path: "padding")
        var strategy = Padding.Strategy.longest
        if let raw = fields.optional("strategy") {
            if raw.stringValue == "BatchLongest" {
                strategy = .longest
            } else if let fixed = raw["Fixed"]?.intValue, fixed >= 0, fixed <= Padding.maximumLength {
                strategy = .fixed(fixed)
            } else {
                throw TokenizationError.invalidField(source: source, path: "padding.strategy",
                                                     reason: "must be \"BatchLongest\" or {\"Fixed\": N} with N from 0 to \(Padding.maximumLength)")
            }
        }
        let directionName = try fields.optionalString("direction") ?? "Right"
        guard let direction = Padding.Direction(rawValue: directionName) else {
            throw TokenizationError.invalidField(source: source, path: "padding.direction", reason: "is \"\(directionName)\"; use Right or Left")
        }
        let multiple = fields.optional("pad_to_multiple_of").flatMap { $0.isNull ? nil : $0 }
        return Padding(strategy: strategy, direction: direction,
                       padToMultipleOf: try multiple.map { _ in try fields.int("pad_to_multiple_of", in: 0...Padding.maximumLength) },
                       padID: try fields.int("pad_id", default: 0), padTypeID: try fields.int("pad_type_id", default: 0),
                       padToken: try fields.optionalString("pad_token") ?? "[PAD]")
    }

    static func json(truncation: Truncation) -> JSONValue {
        .object([("direction", .string(truncation.direction.rawValue)), ("max_length", .integer(truncation.maxLength)),
                 ("strategy", .string(truncation.strategy.rawValue)), ("stride", .integer(truncation.stride))])
    }

    static func json(padding: Padding) -> JSONValue {
        let strategy: JSONValue
        switch padding.strategy {
        case .longest: strategy = .string("BatchLongest")
        case let .fixed(length): strategy = .object([("Fixed", .integer(length))])
        }
        return .object([("strategy", strategy), ("direction", .string(padding.direction.rawValue)),
                        ("pad_to_multiple_of", padding.padToMultipleOf.map { .integer($0) } ?? .null),
                        ("pad_id", .integer(padding.padID)), ("pad_type_id", .integer(padding.padTypeID)),
                        ("pad_token", .string(padding.padToken))])
    }
}

// MARK: - Files

/// The bytes of a file, or a typed error naming it.
func readFile(_ url: URL) throws -> [UInt8] {
    do {
        return try TextFile.bytes(url.path, action: "reading the tokenizer")
    } catch let error as TextFileError {
        throw TokenizationError.fileSystem(path: url.path, reason: "cannot be read: \(error.cause)")
    }
}

/// The lines of a text file (TextLines: "\n" ends a line, a "\r" before it is dropped), decoded
/// under the process's InvalidUTF8Policy; bad bytes are `TokenizationError.invalidUTF8`.
func readLines(_ url: URL) throws -> [String] {
    let bytes = try readFile(url)
    do {
        return try TextLines.strings(bytes, source: url.path)
    } catch let error as InvalidUTF8Error {
        throw TokenizationError.invalidUTF8(source: error.source, byteOffset: error.byteOffset, line: error.line)
    }
}

/// Writes `bytes` to a temporary file beside `url`, flushes it to disk, then renames it over `url`.
/// Temporaries of killed writers beside `url` are removed first (`removeStaleTemporaries`).
func writeFileAtomically(_ bytes: [UInt8], to url: URL) throws {
    removeStaleTemporaries(of: url)
    let directory = url.deletingLastPathComponent()
    let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
    do {
        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else { throw CocoaError(.fileNoSuchFile) }
        let handle = try FileHandle(forWritingTo: temporary)
        defer { try? handle.close() }
        try handle.write(contentsOf: bytes)
        try handle.synchronize()
    } catch {
        try? FileManager.default.removeItem(at: temporary)
        if isDiskFull(error) {
            throw TokenizationError.fileSystem(path: url.path, reason: "cannot be written: the disk is full; free some space and run again (the old file, if any, is unchanged)")
        }
        throw TokenizationError.fileSystem(path: url.path, reason: "cannot be written (\(error.localizedDescription)); check that the folder exists and is writable")
    }
    guard rename(temporary.path, url.path) == 0 else {
        let reason = String(cString: strerror(errno))
        try? FileManager.default.removeItem(at: temporary)
        throw TokenizationError.fileSystem(path: url.path, reason: "cannot be replaced (\(reason))")
    }
}

/// Whether `error` means the disk or the quota is full (Foundation's code 640, ENOSPC, EDQUOT).
func isDiskFull(_ error: Error) -> Bool {
    let nsError = error as NSError
    if nsError.domain == NSCocoaErrorDomain && nsError.code == 640 { return true }
    if nsError.domain == NSPOSIXErrorDomain && (nsError.code == Int(ENOSPC) || nsError.code == Int(EDQUOT)) { return true }
    if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError { return isDiskFull(underlying) }
    return false
}

/// Removes ".NAME.tmp-PID-…" files beside `url` whose writer process no longer exists (it was
/// killed mid-write). The same rule as TensorCore's `AtomicFile.removeStaleTemporaries`
/// (Tokenization depends on no other module).
func removeStaleTemporaries(of url: URL) {
    let manager = FileManager.default
    let directory = url.deletingLastPathComponent()
    let prefix = ".\(url.lastPathComponent).tmp-"
    guard let entries = try? manager.contentsOfDirectory(atPath: directory.path) else { return }
    for entry in entries where entry.hasPrefix(prefix) {
        guard let pid = Int32(entry.dropFirst(prefix.count).prefix { $0 != "-" }), pid != getpid(),
              kill(pid, 0) != 0, errno == ESRCH else { continue }
        try? manager.removeItem(at: directory.appendingPathComponent(entry))
    }
}
