// A model folder, laid out as Hugging Face and sentence-transformers expect:
//   config.json          EncoderConfig with HF BERT keys (+ ours)
//   model.safetensors    weights with HF BERT names ("bert." encoder, "cls." masked-LM head)
//   tokenizer.json       the HF tokenizer file (read by the Tokenization module)
//   modules.json, 1_Pooling/config.json   sentence-transformers' pooling (mean/cls/max), and
//   a Normalize module when sentence vectors are L2-normalised; sentence_bert_config.json
//   (max_seq_length, do_lower_case)
//   vocab.txt (+ tokenizer_config.json)    BERT's tokenizer when there is no tokenizer.json
// Saving writes a new folder next to the target and renames it into place.
//   N_Dense/             sentence-transformers Dense modules after the pooling (DenseModule.swift)
// Not handled: sharded weights, PyTorch .bin files.

import Foundation
import NeuralNetwork
import TensorCore
import Tokenization
import TextInput

/// A loaded model folder: config, model, pooling, and where the tokenizer file is.
public struct ModelFolder: Sendable {
    public let url: URL
    public let config: EncoderConfig
    public let model: MaskedLanguageModel
    /// Whether the folder held masked-LM head weights (BertModel checkpoints do not).
    public let hasTrainedHead: Bool
    /// The sentence pooling the folder asks for (sentence-transformers files), else mean.
    public let pooling: Pooling
    /// sentence-transformers Dense modules applied to the pooled vector, in order (often none).
    public var dense: [DenseModule] = []
    /// tokenizer.json (or vocab.txt), if present.
    public let tokenizerURL: URL?
    /// sentence-transformers' text settings (maximum length, lowercasing), for its folders.
    public let textSettings: SentenceTransformersFiles.TextSettings?

    /// Tensors of model.safetensors that config.json leaves unused (num_hidden_layers below the
    /// layers stored, sinusoidal positions over a stored position table, …), sorted.
    public private(set) var unusedTensors: [String] = []
    /// The arithmetic of inference passes (`load(_:precision:)`): float32 unless asked.
    public private(set) var precision: Precision = .float32

    /// Where load warnings go (HF's "Some weights of the model checkpoint were not used"):
    /// standard error unless replaced. Reads and writes go through a lock.
    public static var warn: @Sendable (String) -> Void {
        get { warningSink.current }
        set { warningSink.withLock { $0 = newValue } }
    }
    private static let warningSink = Locked<@Sendable (String) -> Void>({
        FileHandle.standardError.write(Data(("warning: " + $0 + "\n").utf8))
    })

    /// Values a model may allocate beyond those stored in its weights file (the position table of a
    /// sinusoidal model, a head missing from a BertModel file): 16 M values, 64 MB.
    public static let allocationAllowance = 1 << 24

    /// Loads config.json and model.safetensors (and the pooling files, when present); inference
    /// passes run in `precision` (bfloat16: every Linear layer's product, see `Precision`).
    /// - Throws: `FileError` for a bad folder; `PrecisionError` when bfloat16 cannot run on this CPU.
    public static func load(_ url: URL, precision: Precision = .float32) throws -> ModelFolder {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue else {
            throw FileError(.notFound, file: url.path, field: "(folder)", problem: "is not a folder",
                            fix: "Give a model folder holding config.json and model.safetensors")
        }
        let config = try EncoderConfig.load(from: url.appendingPathComponent("config.json"))
        let weightsURL = url.appendingPathComponent("model.safetensors")
        guard FileManager.default.fileExists(atPath: weightsURL.path) else {
            let hasBin = FileManager.default.fileExists(atPath: url.appendingPathComponent("pytorch_model.bin").path)
            throw FileError(.notFound, file: weightsURL.path, field: "(file)", problem: "does not exist",
                            fix: hasBin ? "Only safetensors weights are read; convert pytorch_model.bin with the safetensors package" : "A model folder needs model.safetensors")
        }
        let weights = try Safetensors.read(weightsURL, skippingUnsupported: true)
        // Sizes come from config.json: check them against the weights before allocating the model.
        let storedValues = weights.tensors.values.reduce(0) { $0 + $1.count }
        guard config.allocatedValueCount <= storedValues + ModelFolder.allocationAllowance else {
            throw FileError(.mismatch, file: url.appendingPathComponent("config.json").path, field: "vocab_size, hidden_size, num_hidden_layers, …",
                            problem: "describes a model of \(config.allocatedValueCount) values but model.safetensors holds only \(storedValues)",
                            fix: "Use the config.json that was saved with these weights")
        }
        let model = MaskedLanguageModel(config: config)
        try ModelWeights.load(into: model.encoder, from: weights, source: weightsURL.path) { name in
            name.hasPrefix("pooler.")
        }
        let headNames = model.head.parameters(prefix: "head").map { CheckpointNames.huggingFaceName(for: $0.name) }
        let hasHead = headNames.allSatisfy { weights.tensors[$0] != nil }
        if hasHead { try ModelWeights.load(into: model.head, prefix: "head", from: weights, source: weightsURL.path) }
        if weights.tensors["pooler.dense.weight"] != nil || weights.tensors["bert.pooler.dense.weight"] != nil {
            var generator = SeededGenerator(seed: 0)
            let pooler = Linear(inFeatures: config.width, outFeatures: config.width, generator: &generator)
            try ModelWeights.load(into: pooler, prefix: "pooler", from: weights, source: weightsURL.path)
            model.encoder.pooler = pooler
        }
        var used = ModelWeights.storedNames(of: model.encoder, in: weights)
        if hasHead { used.formUnion(ModelWeights.storedNames(of: model.head, prefix: "head", in: weights)) }
        if let pooler = model.encoder.pooler { used.formUnion(ModelWeights.storedNames(of: pooler, prefix: "pooler", in: weights)) }
        let unused = Set(weights.tensors.keys).union(weights.skipped.keys).subtracting(used).filter { !ModelWeights.isIgnorable($0) }.sorted()
        let pooling = try SentenceTransformersFiles.readPooling(folder: url) ?? Pooling(.mean)
        let tokenizer = ["tokenizer.json", "vocab.txt"].map { url.appendingPathComponent($0) }
            .first { FileManager.default.fileExists(atPath: $0.path) }
        var folder = ModelFolder(url: url, config: config, model: model, hasTrainedHead: hasHead, pooling: pooling, tokenizerURL: tokenizer,
                                 textSettings: try SentenceTransformersFiles.readTextSettings(folder: url))
        folder.dense = try SentenceTransformersFiles.readDense(folder: url)
        folder.unusedTensors = unused
        try model.setInferencePrecision(precision)
        folder.precision = precision
        if !unused.isEmpty {
            let shown = unused.prefix(8).joined(separator: ", ") + (unused.count > 8 ? ", … (\(unused.count) in all)" : "")
            warn("\(weightsURL.path): \(unused.count) tensor\(unused.count == 1 ? " is" : "s are") not used by config.json "
                 + "(num_hidden_layers \(config.layerCount), position_embedding_type \(config.positionEmbeddingType.rawValue)): \(shown); "
                 + "check that config.json is the one saved with these weights")
        }
        if let first = folder.dense.first, first.inFeatures != config.width {
            throw FileError(.malformed, file: url.appendingPathComponent("modules.json").path, field: "Dense in_features",
                            problem: "is \(first.inFeatures) but the pooled vectors are \(config.width) wide (hidden_size)", fix: "Re-export the Dense module")
        }
        for (previous, next) in zip(folder.dense, folder.dense.dropFirst()) where previous.outFeatures != next.inFeatures {
            throw FileError(.malformed, file: url.appendingPathComponent("modules.json").path, field: "Dense in_features",
                            problem: "a Dense module takes \(next.inFeatures) values but the one before it gives \(previous.outFeatures)", fix: "Re-export the Dense modules")
        }
        return folder
    }

    /// The folder's tokenizer: tokenizer.json, else vocab.txt read as BERT's tokenizer with
    /// tokenizer_config.json's do_lower_case (default true), tokenize_chinese_chars and
    /// strip_accents, as transformers' BertTokenizer does.
    /// - Throws: `FileError` if the folder has neither file; `TokenizationError` for a bad one.
    public func loadTokenizer() throws -> Tokenizer {
        guard let tokenizerURL else {
            throw FileError(.notFound, file: url.appendingPathComponent("tokenizer.json").path, field: "(file)", problem: "does not exist",
                            fix: "A model folder needs its tokenizer: tokenizer.json (or BERT's vocab.txt)")
        }
        if tokenizerURL.lastPathComponent == "tokenizer.json" { return try Tokenizer(contentsOf: tokenizerURL) }
        let settingsURL = url.appendingPathComponent("tokenizer_config.json")
        let settings = try SentenceTransformersFiles.jsonObject(settingsURL) ?? [:]
        func flag(_ key: String) throws -> Bool? {
            guard let value = settings[key], !(value is NSNull) else { return nil }
            guard let flag = value as? Bool else {
                throw FileError(.malformed, file: settingsURL.path, field: key, problem: "\(value) is not true or false", fix: "Write true, false or null")
            }
            return flag
        }
        return try Tokenizer.bert(vocabulary: tokenizerURL, lowercase: try flag("do_lower_case") ?? true,
                                  stripAccents: try flag("strip_accents"),
                                  handleChineseCharacters: try flag("tokenize_chinese_chars") ?? true)
    }

    /// Writes a complete folder atomically: a temporary folder next to `url` is filled, then
    /// swapped in; the previous folder (if any) is removed only after the new one is in place.
    ///
    /// - Parameters:
    ///   - tokenizerJSON: the bytes of tokenizer.json to include, if any.
    ///   - dtype: `.float16` halves the weights' size (the loader widens them).
    ///   - includeHead: false leaves the masked-LM head out (a BertModel folder), for a model whose
    ///     head was never trained (a distilled student), so no tool mistakes it for a trained one.
    public static func save(_ model: MaskedLanguageModel, pooling: Pooling, tokenizerJSON: Data?,
                            to url: URL, dtype: SafetensorsDType = .float32, metadata: [String: String] = [:],
                            dense: [DenseModule] = [], includeHead: Bool = true) throws {
        try AtomicFolder.write(to: url) { folder in
            try model.encoder.config.write(to: folder.appendingPathComponent("config.json"), withHead: includeHead)
            let tensors = includeHead ? ModelWeights.tensors(of: model) : ModelWeights.tensors(of: model.encoder)
            try Safetensors.write(tensors, metadata: metadata.merging(["format": "pt"]) { a, _ in a },
                                  dtype: dtype, to: folder.appendingPathComponent("model.safetensors"))
            if let tokenizerJSON { try AtomicFile.write(tokenizerJSON, to: folder.appendingPathComponent("tokenizer.json")) }
            try SentenceTransformersFiles.write(pooling: pooling, width: model.encoder.config.width, folder: folder, dense: dense)
        }
    }
}

/// Replacing a whole folder so that a crash leaves the old folder or the new one.
public enum AtomicFolder: Sendable {
    /// Fills a temporary sibling folder with `body`, then moves it to `url`. An existing `url` is
    /// swapped with the new folder in one step where the system can (Linux renameat2
    /// RENAME_EXCHANGE, macOS RENAME_SWAP); elsewhere it is renamed aside first and restored on
    /// failure, and a kill between those two renames leaves it at ".NAME.old-…" (which
    /// `PretrainingCheckpoint.recover` puts back). The old folder is deleted last. Temporaries of
    /// killed writers beside `url` are removed first (`AtomicFile.removeStaleTemporaries`).
    /// The new folder gets an `OutputMarker` listing what `body` wrote; entries of the old folder
    /// its marker does not list are carried over (`carryForeignEntries`).
    public static func write(to url: URL, _ body: (URL) throws -> Void) throws {
        let manager = FileManager.default
        AtomicFile.removeStaleTemporaries(of: url)
        let parent = url.deletingLastPathComponent()
        let suffix = "\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
        let temporary = parent.appendingPathComponent(".\(url.lastPathComponent).tmp-\(suffix)")
        let aside = parent.appendingPathComponent(".\(url.lastPathComponent).old-\(suffix)")
        do {
            try manager.createDirectory(at: temporary, withIntermediateDirectories: true)
            try body(temporary)
            try OutputMarker.write(in: temporary)
            try carryForeignEntries(from: url, into: temporary)
        } catch {
            try? manager.removeItem(at: temporary)
            throw error
        }
        let hadOld = manager.fileExists(atPath: url.path)
        if hadOld && exchange(temporary.path, url.path) {
            try? manager.removeItem(at: temporary)  // it now holds the old folder
            return
        }
        if hadOld && rename(url.path, aside.path) != 0 {
            try? manager.removeItem(at: temporary)
            throw FileError(.writeFailed, file: url.path, field: "(folder)", problem: "cannot move the old folder aside",
                            fix: "Check that the parent folder is writable")
        }
        if rename(temporary.path, url.path) != 0 {
            if hadOld { _ = rename(aside.path, url.path) }
            try? manager.removeItem(at: temporary)
            throw FileError(.writeFailed, file: url.path, field: "(folder)", problem: "cannot move the new folder into place",
                            fix: "Check that the parent folder is writable")
        }
        if hadOld { try? manager.removeItem(at: aside) }
    }

    /// Copies (hard-links where possible) into the new folder the entries of the old one that its
    /// OutputMarker does not list (a user's notes in a checkpoint folder), so a swap never removes
    /// them. The originals stay in place until the swap, so a kill loses nothing.
    /// - Throws: `FileError` when the new folder writes an entry of the same name.
    static func carryForeignEntries(from old: URL, into new: URL) throws {
        let manager = FileManager.default
        for name in OutputMarker.foreignEntries(in: old) {
            let source = old.appendingPathComponent(name), destination = new.appendingPathComponent(name)
            guard !manager.fileExists(atPath: destination.path) else {
                throw FileError(.writeFailed, file: source.path, field: "(file)",
                                problem: "TinyEncoder did not write this file, and the new output has one of the same name",
                                fix: "Move it out of \(old.path); the folder is unchanged")
            }
            if link(source.path, destination.path) != 0 { try manager.copyItem(at: source, to: destination) }
        }
    }

    /// Swaps two paths in one step, or returns false where the system or file system cannot.
    /// Linux's renameat2 is looked up at run time: Glibc's Swift module does not export it.
    static func exchange(_ first: String, _ second: String) -> Bool {
        #if os(Linux)
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>?, Int32, UnsafePointer<CChar>?, UInt32) -> Int32
        guard let symbol = dlsym(nil, "renameat2") else { return false }
        let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
        return renameat2(AT_FDCWD, first, AT_FDCWD, second, 1 << 1 /* RENAME_EXCHANGE */) == 0
        #elseif canImport(Darwin)
        return renamex_np(first, second, UInt32(RENAME_SWAP)) == 0
        #else
        return false
        #endif
    }
}
