// Where the shipped model lives: Weights/<folder> in the package this executable was built from
// (found from this source file's path, so `swift run` works from any working directory), unless
// TINYENCODER_MODEL or --model says otherwise.
// Not handled: installing the model elsewhere (copy the folder and pass --model).

import Foundation

enum DefaultModel {
    /// The folder name of the shipped model under Weights/.
    static let folderName = "tinyencoder-small"

    /// The package root: this file is Sources/TinyEncoderCLI/DefaultModel.swift.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// --model if given, else $TINYENCODER_MODEL, else the shipped folder.
    static func resolve(_ option: String?) throws -> URL {
        if let option { return URL(fileURLWithPath: option) }
        if let environment = ProcessInfo.processInfo.environment["TINYENCODER_MODEL"], !environment.isEmpty {
            return URL(fileURLWithPath: environment)
        }
        let shipped = packageRoot.appendingPathComponent("Weights").appendingPathComponent(folderName)
        guard FileManager.default.fileExists(atPath: shipped.appendingPathComponent("config.json").path) else {
            throw CLIError("no --model given and the shipped model is missing at \(shipped.path); pass --model DIR (a folder with config.json, model.safetensors and tokenizer.json)")
        }
        return shipped
    }
}
