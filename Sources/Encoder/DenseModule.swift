// DenseModule: sentence-transformers' `Dense` module, an affine map (and optional tanh) applied to
// the pooled sentence vector, y = f(W x + b), W [out, in]. Some published sentence-transformers
// models end in one (a projection to another width, with tanh); we also use it for whitening
// (Whitening.swift). On disk, as sentence-transformers writes it:
//   N_Dense/config.json        {"in_features", "out_features", "bias", "activation_function"}
//   N_Dense/model.safetensors  "linear.weight" [out, in], "linear.bias" [out]
// Not handled: activations other than identity and tanh; PyTorch pickles (pytorch_model.bin);
// training the module (it is applied to frozen vectors only).

import Foundation
import TensorCore

/// One sentence-transformers Dense module: y = f(W x + b).
public struct DenseModule: Equatable, Sendable {
    public enum Activation: String, Sendable {
        case identity = "torch.nn.modules.linear.Identity"
        case tanh = "torch.nn.modules.activation.Tanh"
    }

    /// [out, in]
    public var weight: Tensor
    /// [out], or nil for none.
    public var bias: Tensor?
    public var activation: Activation

    public init(weight: Tensor, bias: Tensor?, activation: Activation = .identity) {
        precondition(weight.rank == 2, "DenseModule: weight must be [out, in], got \(weight.shape)")
        precondition(bias == nil || bias!.shape == [weight.shape[0]], "DenseModule: bias must be [\(weight.shape[0])]")
        self.weight = weight
        self.bias = bias
        self.activation = activation
    }

    public var inFeatures: Int { weight.shape[1] }
    public var outFeatures: Int { weight.shape[0] }

    /// x [B, in] → f(x Wᵀ + b) [B, out].
    public func callAsFunction(_ x: Tensor) -> Tensor {
        precondition(x.rank == 2 && x.shape[1] == inFeatures, "DenseModule: input \(x.shape), expected [B, \(inFeatures)]")
        var y = matmul(x, weight, transposeB: true)
        let (rows, columns) = (y.shape[0], y.shape[1])
        y.withUnsafeMutableBufferPointer { values in
            if let bias {
                bias.withUnsafeBufferPointer { b in
                    for row in 0..<rows { for column in 0..<columns { values[row * columns + column] += b[column] } }
                }
            }
            if activation == .tanh { for index in values.indices { values[index] = Foundation.tanh(values[index]) } }
        }
        return y
    }

    // MARK: - Files

    /// Reads the module folder `moduleURL` (config.json and model.safetensors), e.g. `2_Dense`.
    /// - Throws: `FileError` naming the file and field for a missing file, an unsupported
    ///   activation or weights whose shapes contradict the config.
    public static func read(_ moduleURL: URL) throws -> DenseModule {
        let path = moduleURL.lastPathComponent
        let configURL = moduleURL.appendingPathComponent("config.json")
        guard let config = try SentenceTransformersFiles.jsonObject(configURL) else {
            throw FileError(.notFound, file: configURL.path, field: "(file)", problem: "does not exist",
                            fix: "modules.json names a Dense module at \(path); restore its config.json")
        }
        func count(_ key: String) throws -> Int {
            guard let number = config[key] as? NSNumber, !(config[key] is Bool), let value = Int(exactly: number.doubleValue), value > 0, value <= 1 << 20 else {
                throw FileError(.malformed, file: configURL.path, field: key, problem: "\(config[key] ?? "nothing") is not a positive whole number",
                                fix: "Write the module's width, e.g. 256")
            }
            return value
        }
        let (inFeatures, outFeatures) = (try count("in_features"), try count("out_features"))
        let hasBias = (config["bias"] as? Bool) ?? true
        let name = (config["activation_function"] as? String) ?? Activation.identity.rawValue
        guard let activation = Activation(rawValue: name) else {
            throw FileError(.unsupported, file: configURL.path, field: "activation_function", problem: "\(name) is not supported",
                            fix: "Use torch.nn.modules.linear.Identity or torch.nn.modules.activation.Tanh")
        }
        let weightsURL = moduleURL.appendingPathComponent("model.safetensors")
        guard FileManager.default.fileExists(atPath: weightsURL.path) else {
            let pickle = FileManager.default.fileExists(atPath: moduleURL.appendingPathComponent("pytorch_model.bin").path)
            throw FileError(.notFound, file: weightsURL.path, field: "(file)",
                            problem: pickle ? "is missing; the module has only pytorch_model.bin, a PyTorch pickle we do not read" : "does not exist",
                            fix: "Save the model again with a recent sentence-transformers (it writes model.safetensors)")
        }
        let file = try Safetensors.read(weightsURL)
        let weight = try file.tensor("linear.weight", file: weightsURL.path)
        guard weight.shape == [outFeatures, inFeatures] else {
            throw FileError(.malformed, file: weightsURL.path, field: "linear.weight",
                            problem: "has shape \(weight.shape) but config.json says [\(outFeatures), \(inFeatures)]", fix: "Re-export the module")
        }
        var bias: Tensor?
        if hasBias {
            let value = try file.tensor("linear.bias", file: weightsURL.path)
            guard value.shape == [outFeatures] else {
                throw FileError(.malformed, file: weightsURL.path, field: "linear.bias",
                                problem: "has shape \(value.shape) but config.json says [\(outFeatures)]", fix: "Re-export the module")
            }
            bias = value
        }
        if !hasBias && (file.tensors["linear.bias"] != nil || file.skipped["linear.bias"] != nil) {
            ModelFolder.warn("\(weightsURL.path): tensor linear.bias is not used, because \(configURL.path) says \"bias\": false; "
                             + "check that config.json is the one saved with these weights")
        }
        return DenseModule(weight: weight, bias: bias, activation: activation)
    }

    /// Writes config.json and model.safetensors into the module folder `moduleURL`, as
    /// sentence-transformers does.
    public func write(to moduleURL: URL) throws {
        try FileManager.default.createDirectory(at: moduleURL, withIntermediateDirectories: true)
        let config: [String: Any] = ["in_features": inFeatures, "out_features": outFeatures, "bias": bias != nil,
                                     "activation_function": activation.rawValue]
        try AtomicFile.write(try JSONSerialization.data(withJSONObject: config, options: [.prettyPrinted, .sortedKeys]),
                             to: moduleURL.appendingPathComponent("config.json"))
        var tensors = [(name: "linear.weight", tensor: weight)]
        if let bias { tensors.append((name: "linear.bias", tensor: bias)) }
        try Safetensors.write(tensors, to: moduleURL.appendingPathComponent("model.safetensors"))
    }
}
