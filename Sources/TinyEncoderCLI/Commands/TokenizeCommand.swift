// `tinyencoder tokenize`: text to token ids with any HF tokenizer.json (or GPT-2 vocab.json +
// merges.txt), adding the special tokens as HF's `encode` does (--no-special to leave them out),
// with no padding unless --pad-to asks for it. Plain mode prints one line per text; --json reads a
// JSON array of strings on stdin and prints a JSON array of arrays. --tokens prints token strings
// instead of ids. Lines on stdin are streamed in blocks.
// Not handled: pairs of texts (use the library's `encode(_:pair:)`).

import Foundation
import TextInput
import TensorCore
import Tokenization

enum TokenizeCommand: Command {
    static let name = "tokenize"
    static let summary = "text to token ids (or tokens) with an HF tokenizer.json"
    static var help: HelpPage {
        HelpPage(
            usage: ["tokenize --tokenizer FILE [--json] [--no-special] [--tokens] [--pad-to N] [--decode]",
                    "         [--special-text \(SpecialTextChoice.choiceList)] [--merges FILE] [TEXT ...]"],
            description: "Token ids for the TEXT arguments or, with none, for every line of standard input (UTF-8). "
                + "Special tokens are added as the tokenizer's post-processor says ([CLS] … [SEP] for BERT), as HF's "
                + "encode and the Swift API do. The tokenizer.json's own padding section is ignored: nothing is padded unless --pad-to asks.",
            options: [
                HelpOption("--tokenizer FILE", "tokenizer.json (HF format), or vocab.json with --merges merges.txt"),
                HelpOption("--merges FILE", "GPT-2 merges.txt (with --tokenizer vocab.json)"),
                HelpOption("--json", "read a JSON array of strings on standard input (or the TEXT arguments); print JSON"),
                HelpOption("--no-special", "leave out the special tokens", default: "added"),
                HelpOption("--tokens", "print the token strings instead of the ids", default: "ids"),
                HelpOption("--pad-to N", "pad every text to N tokens with the padding token (the tokenizer.json's padding section's, else [PAD] or <pad>); longer texts stay as they are",
                           default: "no padding"),
                HelpOption("--decode", "also print each text decoded from its ids"),
                HelpOption("--special-text P", "special-token text inside the input: recognize (as HF), text (tokenise it as plain text) or refuse (an error)",
                           default: "recognize"),
            ],
            output: """
                plain: one line per text, its ids (or with --tokens its tokens) separated by spaces; with --decode, a tab and the decoded text.
                --json: one line, a JSON array with one array of ids (or token strings) per text; with --decode a second line, the array of decoded texts.
                Tokens are printed as the vocabulary stores them (byte-level BPE shows a leading space as Ġ); --json prints them exactly.
                """,
            examples: [
                "tokenize --tokenizer tokenizer.json \"Hello, world!\"",
                "tokenize --tokenizer tokenizer.json --tokens --no-special < lines.txt",
                "tokenize --tokenizer tokenizer.json --json --pad-to 16 < texts.json",
            ])
    }
    static let flagNames: Set<String> = ["json", "no-special", "tokens", "decode"]

    /// What each line (or JSON item) shows.
    struct Layout {
        var tokens: Bool
        var decode: Bool
    }

    static func run(_ arguments: inout Arguments) throws {
        let path = try arguments.required("tokenizer")
        let mergesPath = arguments.string("merges")
        let asJSON = arguments.flag("json")
        let addSpecial = !arguments.flag("no-special")
        let layout = Layout(tokens: arguments.flag("tokens"), decode: arguments.flag("decode"))
        let padTo = try arguments.string("pad-to").map { _ in try arguments.int("pad-to", default: 0, in: 1...Padding.maximumLength) }
        let policy = try arguments.choice("special-text", default: SpecialTextChoice.recognize).policy
        try arguments.rejectUnknown()

        var tokenizer = try loadTokenizer(path: path, merges: mergesPath)
        tokenizer.specialTokenPolicy = policy
        tokenizer.padding = try padTo.map { try fixedPadding($0, for: tokenizer, file: path) }
        if !asJSON && arguments.positionals.isEmpty {
            return try streamLines(tokenizer, addSpecialTokens: addSpecial, layout: layout)
        }
        let texts = try readTexts(positionals: arguments.positionals, asJSON: asJSON)
        let encodings = try encodeWithProgress(tokenizer, texts, addSpecialTokens: addSpecial)

        var output = ""
        if asJSON {
            let rows = encodings.map { encoding in
                JSONValue.array(layout.tokens ? encoding.tokens.map { .string($0) } : encoding.ids.map { .integer($0) })
            }
            output = JSONWriter.string(.array(rows), pretty: false) + "\n"
            if layout.decode {
                let decoded = try encodings.map { JSONValue.string(try tokenizer.decode($0.ids)) }
                output += JSONWriter.string(.array(decoded), pretty: false) + "\n"
            }
        } else {
            for encoding in encodings { output += try line(encoding, tokenizer, layout) }
        }
        FileHandle.standardOutput.write(Data(output.utf8))
    }

    /// One plain-mode line: ids or tokens, then a tab and the decoded text with --decode.
    static func line(_ encoding: Encoding, _ tokenizer: Tokenizer, _ layout: Layout) throws -> String {
        var line = layout.tokens ? encoding.tokens.joined(separator: " ") : encoding.ids.map(String.init).joined(separator: " ")
        if layout.decode { line += "\t" + (try tokenizer.decode(encoding.ids)) }
        return line + "\n"
    }

    /// Padding to `length` tokens with the tokenizer.json's padding token (and direction), else
    /// its [PAD] or <pad> token.
    static func fixedPadding(_ length: Int, for tokenizer: Tokenizer, file: String) throws -> Padding {
        if var padding = tokenizer.padding {
            padding.strategy = .fixed(length)
            padding.padToMultipleOf = nil
            return padding
        }
        for candidate in ["[PAD]", "<pad>"] {
            if let id = tokenizer.id(forToken: candidate) { return Padding(strategy: .fixed(length), padID: id, padToken: candidate) }
        }
        throw CLIError("tokenize: --pad-to needs a padding token, and \(file) has no padding section and no [PAD] or <pad> token")
    }

    /// Plain mode on stdin: lines are read, encoded and printed in blocks of about 4 MB, so memory
    /// grows with the block, not with the input. Errors name the byte and line in the whole input.
    static func streamLines(_ tokenizer: Tokenizer, addSpecialTokens: Bool, layout: Layout) throws {
        var status = stat()
        let inputBytes = fstat(0, &status) == 0 && (status.st_mode & S_IFMT) == S_IFREG ? Double(status.st_size) : 0
        let progress = ProgressReporter(label: "tokenizing", total: inputBytes / 1e6, unit: "MB")
        var pending: [UInt8] = []
        var (doneBytes, doneLines) = (0, 0)
        func encode(_ block: ArraySlice<UInt8>) throws {
            let bytes = Array(block)
            let lines = try bytes.withUnsafeBufferPointer {
                try TextLines.strings($0, source: "standard input", firstByte: doneBytes, firstLine: doneLines + 1)
            }
            var output = ""
            for encoding in try tokenizer.encode(batch: lines, addSpecialTokens: addSpecialTokens, threads: Threads.count) {
                output += try line(encoding, tokenizer, layout)
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
        if !positionals.isEmpty { return positionals }
        let bytes = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
        if asJSON {
            let value = try JSONParser.parse(bytes, source: "stdin")
            guard let items = value.arrayValue else { throw CLIError("tokenize: --json expects a JSON array of strings on stdin") }
            return try items.enumerated().map { index, item in
                guard let text = item.stringValue else { throw CLIError("tokenize: stdin item \(index) is \(item.kindName), not a string") }
                return text
            }
        }
        let lines = try TextLines.strings(bytes, source: "standard input")
        return lines
    }

    /// Encodes in slices of 8,192 texts, with a progress line when the input is large (over 10 MB).
    static func encodeWithProgress(_ tokenizer: Tokenizer, _ texts: [String], addSpecialTokens: Bool) throws -> [Encoding] {
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
