// sentence-transformers' description of how a model makes sentence vectors: modules.json lists
// the modules (Transformer, Pooling, optionally Normalize); 1_Pooling/config.json says which
// pooling (v2–v5: "pooling_mode_mean_tokens" / "_cls_token" / "_max_tokens" flags; v6:
// "pooling_mode": "mean"); sentence_bert_config.json (or, from v6, tokenizer_config.json's
// "model_max_length") gives the length at which texts are cut, and "do_lower_case". We read
// mean/CLS/max, Dense (DenseModule.swift), Normalize and those settings, and write the same files
// for our folders.
// Not handled: weighted-mean, sqrt-length and last-token pooling, concatenated
// pooling modes, "include_prompt" (ignored: prompts are not added here, so it has no effect).

import Foundation
import TensorCore

/// Reading and writing modules.json and 1_Pooling/config.json.
public enum SentenceTransformersFiles: Sendable {
    /// The pooling described in `folder`, or nil if the folder has no sentence-transformers files.
    public static func readPooling(folder: URL) throws -> Pooling? {
        guard let (modulesURL, modules) = try readModules(folder: folder) else { return nil }
        var poolingPath: String?
        var normalize = false
        for module in modules {
            let type = (module["type"] as? String) ?? ""
            switch kind(of: module) {
            case "Transformer": continue
            case "Pooling": poolingPath = module["path"] as? String
            case "Normalize": normalize = true
            case "Dense": continue   // readDense(folder:)
            default:
                throw FileError(.unsupported, file: modulesURL.path, field: "type", problem: "module \"\(type)\" is not supported",
                                fix: "Only Transformer, Pooling, Dense and Normalize modules are read")
            }
        }
        guard let poolingPath else { return Pooling(.cls, normalize: normalize) }
        let configURL = folder.appendingPathComponent(poolingPath).appendingPathComponent("config.json")
        guard let poolingData = FileManager.default.contents(atPath: configURL.path),
              let config = (try? JSONSerialization.jsonObject(with: poolingData)) as? [String: Any] else {
            throw FileError(.notFound, file: configURL.path, field: "(file)", problem: "is missing or not a JSON object",
                            fix: "modules.json names a Pooling module at \(poolingPath); restore its config.json")
        }
        let modes: [(String, PoolingStrategy)] = [("pooling_mode_cls_token", .cls), ("pooling_mode_mean_tokens", .mean), ("pooling_mode_max_tokens", .max)]
        let chosen = modes.filter { (config[$0.0] as? Bool) == true }.map(\.1)
        // sentence-transformers v6: "pooling_mode": "mean" (or a list of modes, concatenated).
        if let value = config["pooling_mode"] {
            let names = (value as? String).map { [$0] } ?? (value as? [String]) ?? []
            let strategies = names.compactMap { PoolingStrategy(rawValue: $0.replacingSuffix("_tokens", with: "").replacingSuffix("_token", with: "")) }
            guard names.count == 1, strategies.count == 1 else {
                throw FileError(.unsupported, file: configURL.path, field: "pooling_mode",
                                problem: names.count > 1 ? "several pooling modes (\(names.joined(separator: ", "))) would be concatenated, which is not supported"
                                                         : "\(value) is not a supported pooling mode",
                                fix: "Use \"mean\", \"cls\" or \"max\"")
            }
            return Pooling(strategies[0], normalize: normalize)
        }
        let others = ["pooling_mode_mean_sqrt_len_tokens", "pooling_mode_weightedmean_tokens", "pooling_mode_lasttoken"]
        if let other = others.first(where: { (config[$0] as? Bool) == true }) {
            throw FileError(.unsupported, file: configURL.path, field: other, problem: "this pooling mode is not supported",
                            fix: "Use mean, CLS or max pooling")
        }
        guard chosen.count == 1 else {
            throw FileError(.unsupported, file: configURL.path, field: "pooling_mode_*",
                            problem: chosen.isEmpty ? "no pooling mode is set" : "several pooling modes are set (their concatenation is not supported)",
                            fix: "Set exactly one of pooling_mode_cls_token, pooling_mode_mean_tokens, pooling_mode_max_tokens")
        }
        return Pooling(chosen[0], normalize: normalize)
    }

    /// The Dense modules of modules.json, in order (empty without modules.json or without Dense).
    /// - Throws: `FileError` for a Dense module placed before the Pooling or after Normalize
    ///   (we apply them between the two), or for a bad module (DenseModule.read).
    public static func readDense(folder: URL) throws -> [DenseModule] {
        guard let (modulesURL, modules) = try readModules(folder: folder) else { return [] }
        let kinds = modules.map(kind(of:))
        var dense: [DenseModule] = []
        for (index, kind) in kinds.enumerated() where kind == "Dense" {
            let poolingBefore = kinds[..<index].contains("Pooling")
            let normalizeBefore = kinds[..<index].contains("Normalize")
            guard poolingBefore && !normalizeBefore else {
                throw FileError(.unsupported, file: modulesURL.path, field: "modules[\(index)]",
                                problem: "a Dense module \(poolingBefore ? "after Normalize" : "before the Pooling") is not supported",
                                fix: "Order the modules Transformer, Pooling, Dense…, Normalize")
            }
            guard let path = modules[index]["path"] as? String, !path.isEmpty else {
                throw FileError(.malformed, file: modulesURL.path, field: "modules[\(index)].path", problem: "is missing",
                                fix: "Give the Dense module's folder, e.g. \"2_Dense\"")
            }
            dense.append(try DenseModule.read(folder.appendingPathComponent(path)))
        }
        return dense
    }

    /// modules.json's list of modules, nil when the folder has none.
    /// - Throws: `FileError` when the file is not a JSON list.
    static func readModules(folder: URL) throws -> (url: URL, modules: [[String: Any]])? {
        let url = folder.appendingPathComponent("modules.json")
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        guard let modules = (try? JSONSerialization.jsonObject(with: data)) as? [[String: Any]] else {
            throw FileError(.malformed, file: url.path, field: "(file)", problem: "is not a JSON list of modules", fix: "Re-create the file")
        }
        return (url, modules)
    }

    /// A module's class name without its Python package ("…models.Pooling" → "Pooling").
    static func kind(of module: [String: Any]) -> String {
        ((module["type"] as? String) ?? "").split(separator: ".").last.map(String.init) ?? ""
    }

    /// What sentence-transformers does to texts before its Transformer module sees them.
    public struct TextSettings: Equatable, Sendable {
        /// Tokens (special tokens included) beyond which texts are cut: sentence_bert_config.json's
        /// "max_seq_length", else tokenizer_config.json's "model_max_length"; nil if neither says.
        public var maxSequenceLength: Int?
        /// sentence_bert_config.json's "do_lower_case": texts are lowercased before tokenising.
        public var lowercasesInput: Bool

        public init(maxSequenceLength: Int?, lowercasesInput: Bool) {
            self.maxSequenceLength = maxSequenceLength
            self.lowercasesInput = lowercasesInput
        }
    }

    /// The text settings of a sentence-transformers folder (nil without modules.json).
    /// - Throws: `FileError` naming the file and key for a malformed or out-of-range value.
    public static func readTextSettings(folder: URL) throws -> TextSettings? {
        guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("modules.json").path) else { return nil }
        let sentenceConfig = try jsonObject(folder.appendingPathComponent("sentence_bert_config.json"))
        let tokenizerConfig = try jsonObject(folder.appendingPathComponent("tokenizer_config.json"))
        var settings = TextSettings(maxSequenceLength: nil, lowercasesInput: false)
        for (object, key, name) in [(sentenceConfig, "max_seq_length", "sentence_bert_config.json"),
                                    (tokenizerConfig, "model_max_length", "tokenizer_config.json")] {
            guard settings.maxSequenceLength == nil, let value = object?[key], !(value is NSNull) else { continue }
            guard let number = value as? NSNumber, !(value is Bool), let length = Int(exactly: number.doubleValue), length > 0 else {
                throw FileError(.malformed, file: folder.appendingPathComponent(name).path, field: key,
                                problem: "\(value) is not a positive whole number", fix: "Write the maximum sequence length in tokens, e.g. 256")
            }
            // transformers writes a huge placeholder (1e30) when the tokenizer has no limit.
            if length < 1 << 30 { settings.maxSequenceLength = length }
        }
        if let value = sentenceConfig?["do_lower_case"], !(value is NSNull) {
            guard let flag = value as? Bool else {
                throw FileError(.malformed, file: folder.appendingPathComponent("sentence_bert_config.json").path, field: "do_lower_case",
                                problem: "\(value) is not true or false", fix: "Write true or false")
            }
            settings.lowercasesInput = flag
        }
        return settings
    }

    /// A JSON object file, nil if absent.
    static func jsonObject(_ url: URL) throws -> [String: Any]? {
        guard let data = FileManager.default.contents(atPath: url.path) else { return nil }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw FileError(.malformed, file: url.path, field: "(file)", problem: "is not a JSON object", fix: "Re-create the file")
        }
        return object
    }

    /// Writes modules.json, 1_Pooling/config.json, a folder per Dense module (2_Dense, …) and the
    /// Normalize folder when normalising, in sentence-transformers' order.
    public static func write(pooling: Pooling, width: Int, folder: URL, dense: [DenseModule] = []) throws {
        var modules: [[String: Any]] = [
            ["idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"],
            ["idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"],
        ]
        for module in dense {
            let index = modules.count
            try module.write(to: folder.appendingPathComponent("\(index)_Dense"))
            modules.append(["idx": index, "name": "\(index)", "path": "\(index)_Dense", "type": "sentence_transformers.models.Dense"])
        }
        if pooling.normalize {
            let index = modules.count
            modules.append(["idx": index, "name": "\(index)", "path": "\(index)_Normalize", "type": "sentence_transformers.models.Normalize"])
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("\(index)_Normalize"), withIntermediateDirectories: true)
        }
        try AtomicFile.write(try JSONSerialization.data(withJSONObject: modules, options: [.prettyPrinted, .sortedKeys]),
                             to: folder.appendingPathComponent("modules.json"))
        let poolingFolder = folder.appendingPathComponent("1_Pooling")
        try FileManager.default.createDirectory(at: poolingFolder, withIntermediateDirectories: true)
        let config: [String: Any] = [
            "word_embedding_dimension": width,
            "pooling_mode_cls_token": pooling.strategy == .cls,
            "pooling_mode_mean_tokens": pooling.strategy == .mean,
            "pooling_mode_max_tokens": pooling.strategy == .max,
            "pooling_mode_mean_sqrt_len_tokens": false,
            "pooling_mode_weightedmean_tokens": false,
            "pooling_mode_lasttoken": false,
            "include_prompt": true,
        ]
        try AtomicFile.write(try JSONSerialization.data(withJSONObject: config, options: [.prettyPrinted, .sortedKeys]),
                             to: poolingFolder.appendingPathComponent("config.json"))
    }
}

extension SentenceTransformersFiles {
    /// Writes sentence_bert_config.json: the length texts are cut at and whether they are
    /// lowercased first (what sentence-transformers reads back into `TextSettings`).
    public static func writeTextSettings(_ settings: TextSettings, folder: URL) throws {
        var object: [String: Any] = ["do_lower_case": settings.lowercasesInput]
        if let length = settings.maxSequenceLength { object["max_seq_length"] = length }
        try AtomicFile.write(try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]),
                             to: folder.appendingPathComponent("sentence_bert_config.json"))
    }
}
