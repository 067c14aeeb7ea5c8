// StaticEmbedder: a static sentence-embedding model. Every token id has one vector, and a text's
// vector is the mean of its tokens' vectors (special tokens left out), L2-normalised when the
// folder ends in a Normalize module. No attention, no positions: a table look-up and an average,
// tens of thousands of sentences a second on one core. This is what Model2Vec (Tulkens & van
// Dongen, 2024) distils from a sentence encoder; `StaticDistillation` (Pretraining) makes one.
// On disk, sentence-transformers' StaticEmbedding layout (which sentence-transformers loads):
//   modules.json        [StaticEmbedding (path "" or "0_StaticEmbedding"), Normalize?]
//   model.safetensors   "embedding.weight" [V, D]   (Model2Vec's own files: "embeddings")
//   tokenizer.json      the HF tokenizer the ids come from
// Model2Vec's own folders (config.json with "model_type": "model2vec", no modules.json) load too.
// Not handled: Model2Vec's separate per-token "weights" tensor (folded models only), truncation.

import Foundation
import TensorCore
import Tokenization

/// Texts in, mean-of-token vectors out.
///
/// ```swift
/// let model = try StaticEmbedder(folder: URL(fileURLWithPath: "minilm-static"))
/// let vectors = try model.embed(["A man plays a guitar.", "Someone plays an instrument."])
/// let similarity = vectors[0].cosineSimilarity(to: vectors[1])
/// ```
public struct StaticEmbedder: Sendable {
    /// [V, D]: row i is token i's vector.
    public var table: Tensor
    public let tokenizer: Tokenizer
    /// Divide each text's mean vector by its length (the folder has a Normalize module).
    public var normalize: Bool

    /// The module type sentence-transformers records for a StaticEmbedding (any package path is read).
    public static let moduleType = "sentence_transformers.models.StaticEmbedding"

    public init(table: Tensor, tokenizer: Tokenizer, normalize: Bool) {
        precondition(table.rank == 2, "StaticEmbedder: table must be [V, D], got \(table.shape)")
        var tokenizer = tokenizer
        tokenizer.padding = nil
        tokenizer.truncation = nil
        self.table = table
        self.tokenizer = tokenizer
        self.normalize = normalize
    }

    /// Tokens in the table (V) and the width of a vector (D).
    public var vocabularySize: Int { table.shape[0] }
    public var dimension: Int { table.shape[1] }

    // MARK: - Embedding

    /// Token ids per text, without special tokens (sentence-transformers' StaticEmbedding encodes
    /// with add_special_tokens=False).
    public func tokenize(_ texts: [String]) throws -> [[Int]] {
        try tokenizer.encode(batch: texts, addSpecialTokens: false, threads: Threads.count).map(\.ids)
    }

    /// One vector per text: the mean of its tokens' rows (a text with no token gets zeros), then
    /// L2-normalised when the folder says so (`normalize`) or the caller asks (`normalize:`).
    ///
    /// - Complexity: O(tokens · D) for the whole batch.
    public func embed(_ texts: [String], normalize requested: Bool = false) throws -> [[Float]] {
        let normalize = self.normalize || requested
        let sequences = try tokenize(texts)
        let D = dimension
        return table.withUnsafeBufferPointer { rows in
            sequences.map { ids in
                var sum = [Double](repeating: 0, count: D)
                for id in ids where id >= 0 && id < vocabularySize {
                    let row = rows.baseAddress! + id * D
                    for column in 0..<D { sum[column] += Double(row[column]) }
                }
                let count = Double(max(ids.count, 1))
                var vector = sum.map { Float($0 / count) }
                if normalize {
                    let norm = vector.reduce(0) { $0 + $1 * $1 }.squareRoot()
                    if norm > 1e-12 { vector = vector.map { $0 / norm } }
                }
                return vector
            }
        }
    }

    /// The static vector of each token of each text: [tokens][D] per text.
    public func tokenVectors(_ texts: [String]) throws -> [[[Float]]] {
        let rows = table.scalars
        let D = dimension
        return try tokenize(texts).map { ids in ids.map { Array(rows[($0 * D)..<(($0 + 1) * D)]) } }
    }

    // MARK: - Files

    /// Whether `folder` holds a static model (modules.json naming a StaticEmbedding, or a Model2Vec
    /// config.json). Reads only those small JSON files.
    public static func isStaticFolder(_ folder: URL) -> Bool {
        if let modules = try? SentenceTransformersFiles.readModules(folder: folder) {
            return modules.modules.first.map { SentenceTransformersFiles.kind(of: $0) == "StaticEmbedding" } ?? false
        }
        let config = try? SentenceTransformersFiles.jsonObject(folder.appendingPathComponent("config.json"))
        return (config?["model_type"] as? String) == "model2vec"
    }

    /// Loads a static model folder.
    /// - Throws: `FileError` naming the file and field for a missing file, a table whose shape
    ///   disagrees with the tokenizer, or an unsupported module.
    public init(folder: URL) throws {
        var modulePath = ""
        var normalize: Bool
        if let (modulesURL, modules) = try SentenceTransformersFiles.readModules(folder: folder) {
            let kinds = modules.map(SentenceTransformersFiles.kind(of:))
            guard kinds.first == "StaticEmbedding" else {
                throw FileError(.unsupported, file: modulesURL.path, field: "modules[0].type", problem: "is \(kinds.first ?? "missing"), not StaticEmbedding",
                                fix: "Load this folder as a Transformer model (SentenceEmbedder)")
            }
            if let other = kinds.dropFirst().first(where: { $0 != "Normalize" }) {
                throw FileError(.unsupported, file: modulesURL.path, field: "type", problem: "module \"\(other)\" after a StaticEmbedding is not supported",
                                fix: "Only a Normalize module may follow the StaticEmbedding")
            }
            modulePath = (modules[0]["path"] as? String) ?? ""
            normalize = kinds.contains("Normalize")
        } else {
            let config = try SentenceTransformersFiles.jsonObject(folder.appendingPathComponent("config.json")) ?? [:]
            guard (config["model_type"] as? String) == "model2vec" else {
                throw FileError(.notFound, file: folder.appendingPathComponent("modules.json").path, field: "(file)", problem: "does not exist",
                                fix: "A static model folder has modules.json with a StaticEmbedding module (or a Model2Vec config.json)")
            }
            normalize = (config["normalize"] as? Bool) ?? true
        }
        let moduleURL = modulePath.isEmpty ? folder : folder.appendingPathComponent(modulePath)
        let weightsURL = moduleURL.appendingPathComponent("model.safetensors")
        let file = try Safetensors.read(weightsURL)
        let name = file.tensors["embedding.weight"] != nil ? "embedding.weight" : "embeddings"
        let table = try file.tensor(name, file: weightsURL.path)
        guard table.rank == 2, table.shape[0] > 0, table.shape[1] > 0 else {
            throw FileError(.malformed, file: weightsURL.path, field: name, problem: "has shape \(table.shape), not [V, D]", fix: "Save the static model again")
        }
        let tokenizerURL = [moduleURL, folder].map { $0.appendingPathComponent("tokenizer.json") }
            .first { FileManager.default.fileExists(atPath: $0.path) } ?? moduleURL.appendingPathComponent("tokenizer.json")
        let tokenizer = try Tokenizer(contentsOf: tokenizerURL)
        guard tokenizer.vocabularySize <= table.shape[0] else {
            throw FileError(.mismatch, file: weightsURL.path, field: name,
                            problem: "has \(table.shape[0]) rows but tokenizer.json has \(tokenizer.vocabularySize) tokens",
                            fix: "Use the tokenizer.json the table was made with")
        }
        self.init(table: table, tokenizer: tokenizer, normalize: normalize)
    }

    /// Writes the folder atomically in sentence-transformers' layout (StaticEmbedding at the root,
    /// then Normalize when `normalize` is set).
    ///
    /// - Parameters:
    ///   - metadata: stored in model.safetensors' header (e.g. the teacher and the recipe).
    public func save(to url: URL, dtype: SafetensorsDType = .float32, metadata: [String: String] = [:]) throws {
        try AtomicFolder.write(to: url) { folder in
            try Safetensors.write([(name: "embedding.weight", tensor: table)], metadata: metadata, dtype: dtype,
                                  to: folder.appendingPathComponent("model.safetensors"))
            try tokenizer.save(to: folder.appendingPathComponent("tokenizer.json"))
            var modules: [[String: Any]] = [["idx": 0, "name": "0", "path": "", "type": StaticEmbedder.moduleType]]
            if normalize {
                modules.append(["idx": 1, "name": "1", "path": "1_Normalize", "type": "sentence_transformers.models.Normalize"])
                try FileManager.default.createDirectory(at: folder.appendingPathComponent("1_Normalize"), withIntermediateDirectories: true)
            }
            try AtomicFile.write(try JSONSerialization.data(withJSONObject: modules, options: [.prettyPrinted, .sortedKeys]),
                                 to: folder.appendingPathComponent("modules.json"))
            let settings: [String: Any] = ["model_type": "SentenceTransformer", "similarity_fn_name": "cosine"]
            try AtomicFile.write(try JSONSerialization.data(withJSONObject: settings, options: [.prettyPrinted, .sortedKeys]),
                                 to: folder.appendingPathComponent("config_sentence_transformers.json"))
        }
    }
}
