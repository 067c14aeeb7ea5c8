// `tinyencoder tokenize`: text to token ids with any HF tokenizer.json (or GPT-2 vocab.json +
// merges.txt). Plain mode prints one line of space-separated ids per text; --json reads a JSON
// array of strings on stdin and prints a JSON array of id arrays. Contract: ARCHITECTURE.md.
// Lines on stdin are streamed in blocks, unless the tokenizer pads to the longest text (then the
// whole input is one batch) or --json is given (one JSON document).
// Not handled: pairs of texts (use the library's `encode(_:pair:)`).

import Foundation
import TensorCore
import Tokenization

enum TokenizeCommand: Command {
    static let name = "tokenize"
    static let summary = "text to token ids with an HF tokenizer.json"
    static let usage = """
        usage: tinyencoder tokenize --tokenizer FILE [--json] [--special] [--special-text recognize|text|refuse]
                                    [--decode] [--threads N] [TEXT ...]
          --tokenizer FILE   tokenizer.json (HF format), or vocab.json with --merges merges.txt
          --merges FILE      GPT-2 merges.txt (with --tokenizer vocab.json)
          --json             stdin is a JSON array of strings; stdout a JSON array of id arrays
          --special          add the post-processor's special tokens ([CLS] … [SEP])
          --special-text P   special-token text inside the input: recognize (default, as HF), text
                             (tokenise it as plain text) or refuse (exit with an error)
          --decode           also print the decoded text (plain mode: a tab, then the text)
        With no TEXT and no --json, every stdin line is one text. Input must be UTF-8.
        """
    static let flagNames: Set<String> = ["json", "special", "decode"]

    static func run(_ arguments: inout Arguments) throws {
        let path = try arguments.required("tokenizer")
        let mergesPath = arguments.string("merges")
        let asJSON = arguments.flag("json")
        let addSpecial = arguments.flag("special")
        let decode = arguments.flag("decode")
        let policyName = arguments.string("special-text") ?? "recognize"
        try arguments.rejectUnknown()
        let policies: [String: SpecialTokenPolicy] = ["recognize": .recognize, "text": .treatAsText, "refuse": .refuse]
        guard let policy = policies[policyName] else {
            throw CLIError("tokenize: --special-text must be recognize, text or refuse, got \"\(policyName)\"")
        }

        var tokenizer = try loadTokenizer(path: path, merges: mergesPath)
        tokenizer.specialTokenPolicy = policy
        if !asJSON && arguments.positionals.isEmpty && !padsToLongest(tokenizer) {
            return try streamLines(tokenizer, addSpecialTokens: addSpecial, decode: decode)
        }
        let texts = try readTexts(positionals: arguments.positionals, asJSON: asJSON)
        let encodings = try encodeWithProgress(tokenizer, texts, addSpecialTokens: addSpecial)

        var output = ""
        if asJSON {
            let rows = encodings.map { JSONValue.array($0.ids.map { JSONValue.integer($0) }) }
            output = JSONWriter.string(.array(rows), pretty: false) + "\n"
            if decode {
                let decoded = try encodings.map { JSONValue.string(try tokenizer.decode($0.ids)) }
                output += JSONWriter.string(.array(decoded), pretty: false) + "\n"
            }
        } else {
            for encoding in encodings {
                output += encoding.ids.map(String.init).joined(separator: " ")
                if decode { output += "\t" + (try tokenizer.decode(encoding.ids)) }
                output += "\n"
            }
        }
        FileHandle.standardOutput.write(Data(output.utf8))
    }

    /// Whether the tokenizer pads every text to the longest of its batch (then the whole input is one batch).
    static func padsToLongest(_ tokenizer: Tokenizer) -> Bool {
        guard let padding = tokenizer.padding else { return false }
        return padding.strategy == .longest
    }

    /// Plain mode on stdin: lines are read, encoded and printed in blocks of about 4 MB, so memory
    /// grows with the block, not with the input. Errors name the byte and line in the whole input.
    static func streamLines(_ tokenizer: Tokenizer, addSpecialTokens: Bool, decode: Bool) throws {
        var status = stat()
        let inputBytes = fstat(0, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG ? Double(status.st_size) : 0
        let progress = ProgressReporter(label: "tokenizing", total: inputBytes / 1e6, unit: "MB")
        var pending: [UInt8] = []
        var (doneBytes, doneLines) = (0, 0)
        func encode(_ block: ArraySlice<UInt8>) throws {
            let bytes = Array(block)
            if let bad = firstInvalidUTF8Byte(in: bytes) {
                throw TokenizationError.invalidUTF8(source: "stdin", byteOffset: doneBytes + bad,
                                                    line: doneLines + bytes[..<bad].filter { $0 == 0x0A }.count + 1)
            }
            var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            if lines.last == "" { lines.removeLast() }
            var output = ""
            for encoding in try tokenizer.encode(batch: lines, addSpecialTokens: addSpecialTokens, threads: Threads.count) {
                output += encoding.ids.map(String.init).joined(separator: " ")
                if decode { output += "\t" + (try tokenizer.decode(encoding.ids)) }
                output += "\n"
            }
            FileHandle.standardOutput.write(Data(output.utf8))
            doneBytes += bytes.count
            doneLines += lines.count
            if doneBytes > 10_000_000 { progress.update(done: Double(doneBytes) / 1e6) }
        }
        while true {
            let chunk = FileHandle.standardInput.readData(ofLength: 1 << 20)
            pending += chunk
            if chunk.isEmpty {
                if !pending.isEmpty { try encode(pending[...]) }  // the last line may lack its newline
                break
            }
            if pending.count >= 4 << 20, let lastNewline = pending.lastIndex(of: 0x0A) {
                try encode(pending[...lastNewline])
                pending.removeFirst(lastNewline + 1)
            }
        }
        if doneBytes > 10_000_000 { progress.finish(done: Double(doneBytes) / 1e6) }
    }

    /// tokenizer.json, or vocab.json + merges.txt.
    static func loadTokenizer(path: String, merges: String?) throws -> Tokenizer {
        let url = URL(fileURLWithPath: path)
        if let merges { return try Tokenizer.gpt2(vocabulary: url, merges: URL(fileURLWithPath: merges)) }
        return try Tokenizer(contentsOf: url)
    }

    /// The texts: the positionals, or stdin (one per line, or a JSON array with --json).
    static func readTexts(positionals: [String], asJSON: Bool) throws -> [String] {
        if !asJSON && !positionals.isEmpty { return positionals }
        let bytes = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
        if asJSON {
            let value = try JSONParser.parse(bytes, source: "stdin")
            guard let items = value.arrayValue else { throw CLIError("tokenize: --json expects a JSON array of strings on stdin") }
            return try items.enumerated().map { index, item in
                guard let text = item.stringValue else { throw CLIError("tokenize: stdin item \(index) is \(item.kindName), not a string") }
                return text
            }
        }
        if let bad = firstInvalidUTF8Byte(in: bytes) {
            throw TokenizationError.invalidUTF8(source: "stdin", byteOffset: bad, line: bytes[..<bad].filter { $0 == 0x0A }.count + 1)
        }
        var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    /// Encodes in slices of 8,192 texts, with a progress line when the input is large (over 10 MB).
    /// (With padding, the whole input is one batch, so "pad to the longest" means the longest of all.)
    static func encodeWithProgress(_ tokenizer: Tokenizer, _ texts: [String], addSpecialTokens: Bool) throws -> [Encoding] {
        if tokenizer.padding != nil {
            return try tokenizer.encode(batch: texts, addSpecialTokens: addSpecialTokens, threads: Threads.count)
        }
        let totalBytes = texts.reduce(0) { $0 + $1.utf8.count }
        let progress = ProgressReporter(label: "tokenizing", total: Double(totalBytes) / 1e6, unit: "MB", enabled: totalBytes > 10_000_000)
        var encodings: [Encoding] = []
        encodings.reserveCapacity(texts.count)
        var done = 0
        var start = 0
        while start < texts.count {
            let slice = Array(texts[start..<min(texts.count, start + 8192)])
            encodings += try tokenizer.encode(batch: slice, addSpecialTokens: addSpecialTokens, threads: Threads.count)
            done += slice.reduce(0) { $0 + $1.utf8.count }
            progress.update(done: Double(done) / 1e6)
            start += slice.count
        }
        if totalBytes > 10_000_000 { progress.finish() }
        return encodings
    }
}
