// `tinyencoder embed`: sentence vectors (or contextual token vectors) for texts given as arguments
// or, with none, read from standard input: one per line, or one JSON value per line (JSON Lines,
// so texts may hold newlines). Input is read and written in chunks, so memory grows with the chunk,
// not with the input; more than 500 texts show a progress line on standard error. Output formats
// and their exact layout: EmbedOutput.swift and the help page.
// Not handled: text pairs.

import Encoder
import Foundation
import Pretraining
import ShippedWeights
import TensorCore
import TextInput
import Tokenization

/// How embed reads standard input.
enum EmbedInput: String, OptionChoice {
    case lines, jsonl
}

enum EmbedCommand: Command {
    static let name = "embed"
    static let summary = "sentence (or token) vectors for texts, with the shipped model by default"
    static var help: HelpPage {
        HelpPage(
            usage: ["embed [--model DIR] [--pooling \(EmbedPooling.choiceList)] [--normalize] [--format \(EmbedFormat.choiceList)]",
                    "      [--layer N|all] [--words [--word-pooling \(WordPooling.choiceList)]]",
                    "      [--out FILE] [--input \(EmbedInput.choiceList)] [--text-key KEY] [--truncate] [--batch N] [--precision \(Precision.choiceList)] [--quiet] [TEXT ...]"],
            description: "Sentence vectors for the TEXT arguments or, with none, for standard input. A vector is "
                + "as wide as the model (hidden_size), or as the out_features of its last Dense module "
                + "when the folder has sentence-transformers Dense modules. Vectors are not normalised unless "
                + "--normalize is given or the folder ends in a Normalize module\(shippedModelNote). "
                + "With --pooling none: the contextual vector of every token instead. --layer reads another layer "
                + "(0 is the embedding output, as Hugging Face's hidden_states; pooled without the Dense modules), "
                + "--words gives one vector per word (the pre-tokenizer's words, from their sub-word tokens).",
            options: [
                HelpOption("--model DIR", "a model folder: config.json, model.safetensors, tokenizer.json (sentence-transformers files are read too)",
                           default: "$TINYENCODER_MODEL, else the shipped model"),
                HelpOption("--pooling P", "\(EmbedPooling.choiceList); none gives token vectors",
                           default: "the folder's (1_Pooling/config.json), else mean"),
                HelpOption("--normalize", "scale every vector to unit length (sentence-transformers' normalize_embeddings), so that a dot product is the cosine",
                           default: "off"),
                HelpOption("--format F", EmbedFormat.choiceList, default: "from --out's extension, else tsv"),
                HelpOption("--out FILE", "write to FILE (atomically: a temporary file, then a rename); npy and safetensors need it; an existing file needs --force",
                           default: "standard output"),
                HelpOption("--input I", "\(EmbedInput.choiceList): one text per standard-input line, or one JSON string or object per line",
                           default: "lines"),
                HelpOption("--text-key KEY", "with --input jsonl, the field of an object that holds the text", default: "text"),
                HelpOption("--truncate", "cut texts longer than the model's positions instead of refusing them (a sentence-transformers folder with max_seq_length is always cut there)"),
                HelpOption("--layer L", "a layer number 0...L, or all (every layer from one forward pass); sentence vectors of a layer are its tokens pooled, without Dense modules",
                           default: "the model's output"),
                HelpOption("--words", "one vector per word, with the word: its sub-word tokens' vectors pooled (--word-pooling)"),
                HelpOption("--word-pooling W", "\(WordPooling.choiceList): a word's first token, the mean of its tokens, or its last token", default: "mean"),
                HelpOption("--batch N", "texts per forward pass", default: "32"),
                precisionHelpOption,
                HelpOption("--quiet", "no progress line (shown on standard error from the 500th text on)"),
                forceHelpOption,
            ],
            output: """
                tsv: one line per text, its numbers separated by tabs.
                json: an array of one array per text.
                npy: a float32 array [texts, width] (numpy.load).
                safetensors: tensor "embeddings" F32 [texts, width]; metadata "model", "pooling", "normalized".
                --pooling none: tsv "TEXT_INDEX<TAB>TOKEN_INDEX<TAB>numbers" per token (special tokens included); json an array of token arrays per text; safetensors "embeddings" [tokens, width] and "token_counts" I64 [texts]; npy refused.
                --layer all (tsv or json): tsv "TEXT_INDEX<TAB>LAYER<TAB>numbers" per text and layer (tokens: "TEXT_INDEX<TAB>LAYER<TAB>TOKEN_INDEX<TAB>numbers"); json an array of one vector (tokens: one token array) per layer for each text.
                --words (tsv or json): tsv "TEXT_INDEX<TAB>WORD_INDEX<TAB>WORD<TAB>numbers" per word (with --layer all: "TEXT_INDEX<TAB>LAYER<TAB>WORD_INDEX<TAB>WORD<TAB>numbers"); json an array per text of {"word": W, "vector": [...]} (with --layer all: {"word": W, "layers": [[...], ...]}).
                Numbers are printed in the shortest form that reads back to the same float32; texts come out in input order.
                """,
            examples: [
                "embed \"A man is playing a guitar.\" \"Someone plays an instrument.\"",
                "embed --model all-MiniLM-L6-v2 --normalize --out vectors.npy < sentences.txt",
                "embed --input jsonl --text-key body --out documents.safetensors < documents.jsonl",
                "embed --model all-MiniLM-L6-v2 --words --layer all \"I sat by the river bank.\"",
            ])
    }
    static let flagNames: Set<String> = ["truncate", "normalize", "quiet", "force", "words"]

    /// ", as for the shipped model (255 wide)": read from its files, so it follows the model.
    static var shippedModelNote: String {
        guard let folder = try? ShippedModel.folderURL(),
              let data = FileManager.default.contents(atPath: folder.appendingPathComponent("config.json").path),
              let config = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any],
              let hidden = config["hidden_size"] as? Int,
              let dense = try? SentenceTransformersFiles.readDense(folder: folder),
              let pooling = try? SentenceTransformersFiles.readPooling(folder: folder) ?? Pooling(.mean) else { return "" }
        return " (the shipped model's vectors: \(dense.last?.outFeatures ?? hidden) wide, \(pooling.normalize ? "" : "not ")normalised)"
    }

    static func run(_ arguments: inout Arguments) throws {
        let modelOption = arguments.string("model")
        let pooling = try arguments.choice("pooling", EmbedPooling.self)
        let normalize = arguments.flag("normalize")
        let out = try arguments.output("out", kind: .file)
        let format = try arguments.choice("format", EmbedFormat.self) ?? out.flatMap(EmbedFormat.inferred(from:)) ?? .tsv
        let input = try arguments.choice("input", default: EmbedInput.lines)
        let textKey = arguments.string("text-key")
        let truncate = arguments.flag("truncate")
        let batch = try arguments.int("batch", default: 32, in: 1...4096)
        let quiet = arguments.flag("quiet")
        let precision = try arguments.precision()
        let layerSelection = try arguments.string("layer").map { try LayerSelection.parse($0, command: "embed") }
        let words = arguments.flag("words")
        let wordPooling = try arguments.choice("word-pooling", WordPooling.self)
        try arguments.rejectUnknown()
        if wordPooling != nil && !words { throw CLIError("embed: --word-pooling applies to --words") }
        if words && pooling != nil { throw CLIError("embed: --words gives word vectors; --pooling applies to sentence and token vectors, so drop one of them") }
        let layered = words || layerSelection == .all   // written by LayeredTextSink
        if layered && format.isBinary {
            throw CLIError("embed: --\(words ? "words" : "layer all") writes tsv or json (words are strings, layers several matrices); use --format tsv|json, or --layer N for one matrix")
        }
        if format.isBinary && out == nil {
            throw CLIError("embed: --format \(format.rawValue) writes a binary file; give --out FILE")
        }
        if pooling == EmbedPooling.none && format == .npy {
            throw CLIError("embed: --pooling none needs --format safetensors (it also stores each text's token count), tsv or json; npy holds one matrix")
        }
        if input == .jsonl && !arguments.positionals.isEmpty {
            throw CLIError("embed: --input jsonl reads standard input; give no TEXT arguments")
        }
        if textKey != nil && input != .jsonl { throw CLIError("embed: --text-key applies to --input jsonl") }
        let modelURL = try DefaultModel.resolve(modelOption)  // after rejectUnknown: a misspelt --model is named as such
        if StaticEmbedder.isStaticFolder(modelURL) {
            throw CLIError("embed: \(modelURL.path) is a static model (distill-static); embed reads Transformer folders. "
                           + "Use similarity, probe or agreement with it, or sentence-transformers' StaticEmbedding")
        }
        var embedder = try SentenceEmbedder(folder: modelURL, precision: precision)
        if truncate { embedder.truncates = true }  // a sentence-transformers folder with max_seq_length truncates anyway
        embedder.batchSize = batch
        if let strategy = pooling?.strategy { embedder.pooling = Pooling(strategy, normalize: embedder.pooling.normalize) }
        let tokens = pooling == EmbedPooling.none
        let metadata = ["model": modelURL.path, "pooling": pooling?.rawValue ?? embedder.pooling.strategy.rawValue,
                        "normalized": String(!tokens && (normalize || embedder.pooling.normalize))]
        let layers = try layerSelection?.layers(of: embedder) ?? (words ? [embedder.config.layerCount] : nil)
        let width = tokens || layers != nil ? embedder.config.width : embedder.dimension

        /// --layer and --words: one pass per batch gives every layer asked for.
        func produceLayers(_ output: ByteOutput, layers: [Int], progress: EmbedProgress) throws {
            let single: EmbeddingSink? = layered ? nil : try {
                switch format {
                case .tsv, .json: return try TextEmbeddingSink(output, json: format == .json)
                case .npy: return try NpyEmbeddingSink(output, width: width)
                case .safetensors: return try SafetensorsEmbeddingSink(output, width: width, tokenMode: tokens, metadata: metadata.merging(["layer": "\(layers[0])"]) { $1 })
                }
            }()
            let sink = layered ? try LayeredTextSink(output, json: format == .json, layers: layers, showsLayer: layerSelection == .all) : nil
            try forEachChunk(positionals: arguments.positionals, input: input, textKey: textKey ?? "text", embedder: embedder) { texts, bytes in
                if words {
                    try sink!.write(words: try embedder.layerStates(texts, layers: layers), pooling: wordPooling ?? .mean)
                } else if tokens {
                    let states = try embedder.layerStates(texts, layers: layers)
                    if let single { try single.write(tokens: states.map { $0.tokenVectors(position: 0) }) } else { try sink!.write(tokens: states) }
                } else {
                    let vectors = try embedder.layerSentenceVectors(texts, layers: layers, normalize: normalize)
                    if let single { try single.write(sentences: vectors.map { $0[0] }) } else { try sink!.write(sentences: vectors) }
                }
                progress.add(texts: texts.count, bytes: bytes)
            }
            if let single { try single.finish() } else { try sink!.finish() }
            progress.finish()
        }

        func produce(_ handle: FileHandle) throws {
            let output = ByteOutput(handle)
            let progress = EmbedProgress(enabled: !quiet, texts: arguments.positionals.isEmpty ? nil : arguments.positionals.count,
                                         bytes: arguments.positionals.isEmpty ? standardInputSize() : nil)
            if let layers, layered || layerSelection != nil {
                try produceLayers(output, layers: layers, progress: progress)
                return
            }
            let sink: EmbeddingSink
            switch format {
            case .tsv, .json: sink = try TextEmbeddingSink(output, json: format == .json)
            case .npy: sink = try NpyEmbeddingSink(output, width: width)
            case .safetensors: sink = try SafetensorsEmbeddingSink(output, width: width, tokenMode: tokens, metadata: metadata)
            }
            try forEachChunk(positionals: arguments.positionals, input: input, textKey: textKey ?? "text", embedder: embedder) { texts, bytes in
                if tokens {
                    try sink.write(tokens: try embedder.tokenVectors(texts))
                } else {
                    try sink.write(sentences: try embedder.embed(texts, normalize: normalize))
                }
                progress.add(texts: texts.count, bytes: bytes)
            }
            try sink.finish()
            progress.finish()
        }
        if let out {
            // Errors of the input or the model reach the user as they are; AtomicFile words the
            // file system's own (Cocoa and POSIX domains: a full disk, a missing folder).
            var failure: Error? = nil
            do {
                try AtomicFile.write(to: out) { temporary in
                    do {
                        guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
                            throw CLIError("embed: cannot create \(out.path): check that the folder exists and is writable")
                        }
                        let handle = try FileHandle(forWritingTo: temporary)
                        defer { try? handle.close() }
                        try produce(handle)
                        try handle.synchronize()
                    } catch {
                        let domain = (error as NSError).domain
                        if domain != NSCocoaErrorDomain && domain != NSPOSIXErrorDomain { failure = error }
                        throw error
                    }
                }
            } catch {
                throw failure ?? error
            }
        } else {
            try produce(FileHandle.standardOutput)
        }
    }

    /// The size of standard input when it is a regular file (for the progress line's ETA).
    static func standardInputSize() -> Int? {
        var status = stat()
        guard fstat(0, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(status.st_size)
    }

    /// Lines of standard input longer than this are cut here: the model reads a few hundred tokens,
    /// which a line's first 4 MiB give unless they are almost all spaces or characters the
    /// normaliser drops (`SentenceEmbedder.prefixDecidesTokens` checks; such a line is refused).
    static let longLineBytes = 4 << 20

    /// The texts in chunks of up to 1024 (with the input bytes they took): the arguments, or
    /// standard input's lines or JSON Lines. A line over `longLineBytes` is read as its first
    /// 4 MiB when they decide its tokens, so memory does not grow with the line.
    static func forEachChunk(positionals: [String], input: EmbedInput, textKey: String, embedder: SentenceEmbedder,
                             _ body: ([String], Int) throws -> Void) throws {
        if !positionals.isEmpty {
            var start = 0
            while start < positionals.count {
                try body(Array(positionals[start..<min(start + 1024, positionals.count)]), 0)
                start += 1024
            }
            return
        }
        var chunk: [String] = []
        var chunkBytes = 0
        var lineNumber = 0
        let reader = LineReader(standardInput: "standard input")
        if input == .lines { reader.maximumLineBytes = longLineBytes }   // a cut JSON line would not parse
        while let line = try reader.next() {
            lineNumber += 1
            if reader.lastLineWasCut, try !embedder.prefixDecidesTokens(line) {
                throw LongLineError(line: lineNumber, limitBytes: longLineBytes, maximumTokens: embedder.maximumLength)
            }
            chunkBytes += line.utf8.count + 1
            switch input {
            case .lines: chunk.append(line)
            case .jsonl:
                if line.trimmingCharacters(in: .whitespaces).isEmpty {
                    throw CLIError("embed: standard input line \(lineNumber) is empty; JSON Lines needs one JSON string or object per line")
                }
                chunk.append(try jsonText(line, lineNumber: lineNumber, key: textKey))
            }
            if chunk.count == 1024 {
                try body(chunk, chunkBytes)
                chunk.removeAll(keepingCapacity: true)
                chunkBytes = 0
            }
        }
        if !chunk.isEmpty { try body(chunk, chunkBytes) }
    }

    /// The text of one JSON Lines line: a JSON string, or an object's `key` field.
    static func jsonText(_ line: String, lineNumber: Int, key: String) throws -> String {
        let value = try JSONParser.parse(Array(line.utf8), source: "standard input line \(lineNumber)")
        if let text = value.stringValue { return text }
        guard value.objectValue != nil else {
            throw CLIError("embed: standard input line \(lineNumber) is a JSON \(value.kindName); give a string, or an object with a \"\(key)\" string")
        }
        guard let field = value[key] else {
            throw CLIError("embed: standard input line \(lineNumber) has no \"\(key)\" field; name the text's field with --text-key")
        }
        guard let text = field.stringValue else {
            throw CLIError("embed: standard input line \(lineNumber): \"\(key)\" is a JSON \(field.kindName), not a string")
        }
        return text
    }
}

/// embed's progress line: silent for the first 500 texts, then texts done, rate and (when the
/// total is known: the arguments, or standard input read from a file) the share done and the time
/// left, on standard error.
final class EmbedProgress {
    let line: ProgressLine
    let totalTexts: Int?
    let totalBytes: Int?
    let start = monotonicSeconds()
    private(set) var done = 0
    private(set) var bytesDone = 0

    init(enabled: Bool, texts: Int?, bytes: Int?) {
        line = ProgressLine(isEnabled: enabled)
        totalTexts = texts
        totalBytes = bytes
    }

    func add(texts: Int, bytes: Int) {
        done += texts
        bytesDone += bytes
        guard done > 500 else { return }
        line.update { text() }
    }

    func text() -> String {
        let seconds = max(monotonicSeconds() - start, 1e-9)
        var text = "embed: \(ProgressFormat.count(Double(done))) texts, \(ProgressFormat.count(Double(done) / seconds)) texts/s"
        let share = totalTexts.map { Double(done) / Double(max($0, 1)) } ?? totalBytes.map { Double(bytesDone) / Double(max($0, 1)) }
        if let share, share > 0 {
            text += String(format: ", %.0f%%, ETA %@", 100 * min(share, 1), ProgressFormat.duration(seconds * max(1 - share, 0) / share))
        }
        return text
    }

    func finish() {
        guard done > 500 else { return }
        let seconds = monotonicSeconds() - start
        line.update(force: true) { "embed: \(ProgressFormat.count(Double(done))) texts in \(ProgressFormat.duration(seconds))" }
        line.finish()
    }
}

/// A standard-input line over `EmbedCommand.longLineBytes` whose first bytes do not decide its
/// tokens (an input error: exit status 1).
struct LongLineError: Error, CustomStringConvertible {
    let line: Int
    let limitBytes: Int
    let maximumTokens: Int

    var description: String {
        "standard input line \(line) is longer than \(limitBytes >> 20) MiB, and its first \(limitBytes >> 20) MiB do not give the model's "
            + "\(maximumTokens) tokens (mostly spaces or characters the tokenizer drops?), so it cannot be embedded without holding it "
            + "whole; split it into shorter lines"
    }
}
