// sentence-transformers' description of how a model makes sentence vectors: modules.json lists
// the modules (Transformer, Pooling, optionally Normalize) and 1_Pooling/config.json says which
// pooling ("pooling_mode_mean_tokens", "pooling_mode_cls_token", "pooling_mode_max_tokens").
// We read mean/CLS/max and Normalize, and write the same files for our folders.
// Not handled: Dense modules, weighted-mean and last-token pooling, "include_prompt" (ignored:
// prompts are not added here, so it has no effect).

import Foundation
import TensorCore

/// Reading and writing modules.json and 1_Pooling/config.json.
public enum SentenceTransformersFiles {
    /// The pooling described in `folder`, or nil if the folder has no sentence-transformers files.
    public static func readPooling(folder: URL) throws -> Pooling? {
        let modulesURL = folder.appendingPathComponent("modules.json")
        guard let data = FileManager.default.contents(atPath: modulesURL.path) else { return nil }
        guard let modules = (try? JSONSerialization.jsonObject(with: data)) as? [[String: Any]] else {
            throw FileError(.malformed, file: modulesURL.path, field: "(file)", problem: "is not a JSON list of modules", fix: "Re-create the file")
        }
        var poolingPath: String?
        var normalize = false
        for module in modules {
            let type = (module["type"] as? String) ?? ""
            switch type.split(separator: ".").last.map(String.init) ?? "" {
            case "Transformer": continue
            case "Pooling": poolingPath = module["path"] as? String
            case "Normalize": normalize = true
            default:
                throw FileError(.unsupported, file: modulesURL.path, field: "type", problem: "module \"\(type)\" is not supported",
                                fix: "Only Transformer, Pooling and Normalize modules are read")
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
        if let mode = config["pooling_mode"] as? String, let strategy = PoolingStrategy(rawValue: mode == "mean_tokens" ? "mean" : mode) {
            return Pooling(strategy, normalize: normalize)
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

    /// Writes modules.json, 1_Pooling/config.json (and the 2_Normalize folder when normalising).
    public static func write(pooling: Pooling, width: Int, folder: URL) throws {
        var modules: [[String: Any]] = [
            ["idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"],
            ["idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"],
        ]
        if pooling.normalize {
            modules.append(["idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"])
            try FileManager.default.createDirectory(at: folder.appendingPathComponent("2_Normalize"), withIntermediateDirectories: true)
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
