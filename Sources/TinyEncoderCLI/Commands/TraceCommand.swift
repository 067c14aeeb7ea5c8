// `tinyencoder trace`: every intermediate tensor of one forward pass (and, with --mask, the
// masked-LM loss and every gradient) written to a safetensors file. Names: Docs/Trace.md.
// Not handled: several texts at once.

import Encoder
import Foundation
import TensorCore
import Tokenization

enum TraceCommand: Command {
    static let name = "trace"
    static let summary = "write every activation (and, with --mask, gradient) of one pass to safetensors"
    static var help: HelpPage {
        HelpPage(
            usage: ["trace [--model DIR] --text TEXT [--mask POSITIONS] [--truncate] --out FILE.safetensors"],
            description: "Runs one forward pass and writes every intermediate tensor by name (Docs/Trace.md); with "
                + "--mask, also the masked-LM loss and the gradient of every tensor, for comparison with PyTorch hooks.",
            options: [
                HelpOption("--model DIR", "a model folder", default: "$TINYENCODER_MODEL, else the shipped model"),
                HelpOption("--text TEXT", "the text (one sequence, special tokens added)"),
                HelpOption("--mask POSITIONS", "comma-separated token positions (0 is the first token, usually [CLS]) replaced by the mask token; adds mlm.loss, mlm.logits and NAME.grad for every tensor"),
                HelpOption("--out FILE", "the safetensors file to write (atomically); an existing file needs --force"),
                forceHelpOption,
                HelpOption("--truncate", "cut a text longer than the model's positions instead of refusing it"),
            ],
            output: """
                FILE: F32 tensors named as in Docs/Trace.md; metadata "tokens" (a JSON array of the token strings) and "text". \
                One line on standard error: "trace: N tensors for T tokens → FILE".
                """,
            examples: ["trace --text \"The cat sat on the mat.\" --mask 3 --out trace.safetensors"])
    }

    static let flagNames: Set<String> = ["force", "truncate"]

    static func run(_ arguments: inout Arguments) throws {
        let modelOption = arguments.string("model")
        let text = try arguments.required("text")
        let out = try arguments.required("out")
        let outURL = try arguments.requiredOutput("out", kind: .file)
        let maskText = arguments.string("mask")
        let truncate = arguments.flag("truncate")
        try arguments.rejectUnknown()
        let modelURL = try DefaultModel.resolve(modelOption)  // after rejectUnknown: a misspelt --model is named as such
        var embedder = try SentenceEmbedder(folder: modelURL)
        if truncate { embedder.truncates = true }  // a sentence-transformers folder with max_seq_length truncates anyway
        // The embedder's own tokenisation: bounded work on a long text, truncation on request,
        // else an error naming the limit.
        let ids = try embedder.tokenize([text])[0]
        let encoding = (tokens: ids.map { embedder.tokenizer.token(forID: $0) ?? "" }, ids: ids)
        var positions: [Int] = []
        if let maskText {
            positions = try maskText.split(separator: ",").map { part in
                guard let position = Int(part.trimmingCharacters(in: .whitespaces)), position >= 0, position < encoding.ids.count else {
                    throw CLIError("trace: --mask positions must be whole numbers in 0..<\(encoding.ids.count) (the text has \(encoding.ids.count) tokens), got \"\(part)\"")
                }
                return position
            }
        }
        var maskId: Int? = nil
        if !positions.isEmpty {
            maskId = ["[MASK]", "<mask>"].lazy.compactMap { embedder.tokenizer.id(forToken: $0) }.first
            guard maskId != nil else { throw CLIError("trace: the tokenizer has no [MASK] or <mask> token, so --mask cannot be used") }
            guard embedder.folder.hasTrainedHead else {
                throw CLIError("trace: \(modelURL.path) has no masked-LM head weights, so --mask cannot compute a loss")
            }
        }
        let tensors = try EncoderTrace.run(model: embedder.folder.model, ids: encoding.ids, maskedPositions: positions,
                                           maskTokenId: maskId, pooling: embedder.pooling)
        let tokensJSON = String(data: try JSONSerialization.data(withJSONObject: encoding.tokens), encoding: .utf8) ?? "[]"
        try Safetensors.write(tensors.map { ($0.name, $0.tensor) }, metadata: ["tokens": tokensJSON, "text": text],
                              to: outURL)
        FileHandle.standardError.write("trace: \(tensors.count) tensors for \(encoding.ids.count) tokens → \(out)\n".data(using: .utf8)!)
    }
}
