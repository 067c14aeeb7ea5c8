// Loading and saving a model's parameters as model.safetensors with HF BERT names. Loading
// checks every tensor's presence and shape against the config and names the offending tensor;
// saving writes the encoder under "bert." and the head under "cls." like BertForMaskedLM, as F32
// or F16 (the loader widens F16 back).
// Not handled: sharded checkpoints (model-00001-of-00002.safetensors), PyTorch .bin pickles.

import Foundation
import NeuralNetwork
import TensorCore

/// Moving parameters between a Layer and a safetensors file, through CheckpointNames.
public enum ModelWeights: Sendable {
    /// Copies every parameter of `layer` (named from `prefix`) from `file`.
    ///
    /// - Parameters:
    ///   - source: how error messages name the file (its path, usually).
    ///   - optional: names (ours) that may be absent; they keep their initial values.
    /// - Returns: our names of the parameters that were absent and optional.
    @discardableResult
    public static func load(into layer: any Layer, prefix: String = "", from file: SafetensorsFile, source path: String,
                            optional: (String) -> Bool = { _ in false }) throws -> [String] {
        var absent: [String] = []
        for named in layer.parameters(prefix: prefix) {
            let hfName = CheckpointNames.huggingFaceName(for: named.name)
            let candidates = CheckpointNames.candidates(for: hfName)
            guard let stored = candidates.first(where: { file.tensors[$0] != nil || file.skipped[$0] != nil }) else {
                if optional(named.name) { absent.append(named.name); continue }
                throw FileError(.mismatch, file: path, field: hfName, problem: "the tensor is missing",
                                fix: "The checkpoint does not match config.json (looked for \(candidates.joined(separator: ", ")))")
            }
            let tensor = try file.tensor(stored, file: path)
            guard tensor.shape == named.parameter.shape else {
                throw FileError(.mismatch, file: path, field: stored,
                                problem: "has shape \(tensor.shape) but config.json implies \(named.parameter.shape)",
                                fix: "Use the config.json that was saved with these weights")
            }
            named.parameter.value = tensor
        }
        return absent
    }

    /// The stored names (in `file`) that the parameters of `layer` are read from.
    public static func storedNames(of layer: any Layer, prefix: String = "", in file: SafetensorsFile) -> Set<String> {
        var names = Set<String>()
        for named in layer.parameters(prefix: prefix) {
            let candidates = CheckpointNames.candidates(for: CheckpointNames.huggingFaceName(for: named.name))
            if let stored = candidates.first(where: { file.tensors[$0] != nil || file.skipped[$0] != nil }) { names.insert(stored) }
        }
        return names
    }

    /// Stored tensors that no model reads and that mean nothing about config.json: the
    /// position-id buffers, BertForPreTraining's next-sentence head, the decoder weight tied to
    /// the word embeddings.
    public static func isIgnorable(_ name: String) -> Bool {
        name.hasSuffix("position_ids") || name.hasPrefix("cls.seq_relationship.") || name == "cls.predictions.decoder.weight"
    }

    /// The tensors to save for `model`, in a stable order, with HF names ("bert." for the encoder,
    /// "cls." for the head). A tied parameter is written once.
    public static func tensors(of model: MaskedLanguageModel) -> [(name: String, tensor: Tensor)] {
        tensors(of: model.encoder, prefix: "bert.") + model.head.parameters(prefix: "head").map {
            (CheckpointNames.huggingFaceName(for: $0.name), $0.parameter.value)
        }
    }

    /// The encoder's tensors with HF names, each prefixed by `prefix` ("" for BertModel files).
    public static func tensors(of encoder: TransformerEncoder, prefix: String = "") -> [(name: String, tensor: Tensor)] {
        encoder.parameters().map { (prefix + CheckpointNames.huggingFaceName(for: $0.name), $0.parameter.value) }
    }
}
