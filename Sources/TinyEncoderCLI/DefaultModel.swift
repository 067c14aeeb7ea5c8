// Where the model of embed, similarity, probe, trace, attention and export comes from when no
// --model is given: $TINYENCODER_MODEL if set, else the shipped model (ShippedWeights: the
// resource bundle beside this executable, or Weights/ of the source checkout).
// Not handled: installing the model elsewhere (copy the folder and pass --model).

import Foundation
import ShippedWeights

enum DefaultModel {
    /// --model if given, else $TINYENCODER_MODEL, else the shipped folder.
    static func resolve(_ option: String?) throws -> URL {
        if let option { return URL(fileURLWithPath: option) }
        if let environment = ProcessInfo.processInfo.environment["TINYENCODER_MODEL"], !environment.isEmpty {
            return URL(fileURLWithPath: environment)
        }
        do {
            return try ShippedModel.folderURL()
        } catch {
            throw CLIError("no --model given and the shipped model \(ShippedModel.folderName) is missing (looked in "
                           + ShippedModel.candidateFolders.map(\.path).joined(separator: ", ")
                           + "); pass --model DIR (a folder with config.json, model.safetensors and tokenizer.json)")
        }
    }
}
