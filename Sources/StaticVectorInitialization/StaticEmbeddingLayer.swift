// StaticEmbeddingLayer ("the static layer"): the token embedding trained as
//   E = R + S·Pᵀ        S: [V, D] the static vectors (centred), frozen;  P: [C, D] a trained
//                       projection;  R: [V, C] a trained per-token residual.
// It starts exactly at the static initialisation (P₀ = (scale·M)ᵀ, R₀ = 0 on covered rows and the
// random rows elsewhere), but the static vectors can never be overwritten: they stay an input that
// the projection reads. E is linear in the one-hot token, so after every update the trainer folds
// it into the model's ordinary table: evaluation, checkpoints and exported folders hold plain BERT
// weights, and the model needs no new layer at inference. Backward: dR = dE, dP = dEᵀ·S.
// Reference: frozen "static" embeddings plus a learned projection, as in ELMo's layer 0 (Peters et al. 2018).
// Not handled: a non-linear projection; a static table shared by several models.

import Autograd
import Encoder
import Foundation
import NeuralNetwork
import TensorCore
import TextInput

// V vocabulary, C model width, D static dimension.

/// E = R + S·Pᵀ with S frozen.
public final class StaticEmbeddingLayer: Layer {
    /// S [V, D], never trained.
    public let staticRows: Tensor
    /// R [V, C].
    public let residual: Parameter
    /// P [C, D] (Linear's [out, in] layout).
    public let projection: Parameter

    public static let fileName = "static_layer.safetensors"

    /// The layer that starts at `initialization.table`.
    public init(_ initialization: StaticInitialization) {
        let V = initialization.table.shape[0], C = initialization.table.shape[1]
        staticRows = initialization.staticRows
        var rows = initialization.table
        rows.withUnsafeMutableBufferPointer { values in
            for id in 0..<V where initialization.sources[id].category != .random {
                for column in 0..<C { values[id * C + column] = 0 }
            }
        }
        residual = Parameter(rows)
        projection = Parameter(initialization.projection.transposed())
    }

    public init(staticRows: Tensor, residual: Tensor, projection: Tensor) {
        precondition(staticRows.shape[0] == residual.shape[0] && projection.shape == [residual.shape[1], staticRows.shape[1]],
                     "StaticEmbeddingLayer: S \(staticRows.shape), R \(residual.shape), P \(projection.shape) do not fit")
        self.staticRows = staticRows
        self.residual = Parameter(residual)
        self.projection = Parameter(projection)
    }

    public var localParameters: [(name: String, parameter: Parameter)] { [("residual", residual), ("projection", projection)] }
    public var summary: String { "StaticEmbeddingLayer(\(staticRows.shape[0]) tokens, \(staticRows.shape[1]) → \(residual.shape[1]))" }

    /// E on the tape of `context`: [V, C].
    public func table(context: ForwardContext) -> Variable {
        let projected = linear(Variable(constant: staticRows), weight: context.variable(for: projection), bias: nil)  // S·Pᵀ [V, C]
        return add(context.variable(for: residual), projected)                                                       // [V, C]
    }

    /// E as a plain tensor (for the model's table after each update).
    public func foldedTable() -> Tensor {
        table(context: .inference()).value
    }

    // MARK: - Files

    /// Writes S, R and P to `folder`/static_layer.safetensors.
    public func save(in folder: URL) throws {
        try Safetensors.write([("static_rows", staticRows), ("residual", residual.value), ("projection", projection.value)],
                              metadata: ["format": "tinyencoder-static-layer"], to: folder.appendingPathComponent(StaticEmbeddingLayer.fileName))
    }

    /// Reads the layer a checkpoint saved; checks the shapes against the model's table [V, C].
    public static func load(from folder: URL, vocabularySize V: Int, width C: Int) throws -> StaticEmbeddingLayer {
        let url = folder.appendingPathComponent(fileName)
        let file = try Safetensors.read(url)
        func tensor(_ name: String) throws -> Tensor {
            guard let value = file.tensors[name], value.rank == 2 else {
                throw FileError(.malformed, file: url.path, field: name, problem: "is missing or not a matrix",
                                fix: "Resume only from a checkpoint written with --static-layer")
            }
            return value
        }
        let staticRows = try tensor("static_rows"), residual = try tensor("residual"), projection = try tensor("projection")
        let D = staticRows.shape[1]
        guard staticRows.shape[0] == V, residual.shape == [V, C], projection.shape == [C, D] else {
            throw FileError(.mismatch, file: url.path, field: "static_rows/residual/projection",
                            problem: "have shapes \(staticRows.shape), \(residual.shape), \(projection.shape); the model needs [\(V), D], [\(V), \(C)], [\(C), D]",
                            fix: "Resume with the model and tokenizer the run was started with")
        }
        return StaticEmbeddingLayer(staticRows: staticRows, residual: residual, projection: projection)
    }
}
