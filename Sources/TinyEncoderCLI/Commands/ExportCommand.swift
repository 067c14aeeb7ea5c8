// `tinyencoder export`: a model folder (ours, or an imported HF one) written as a folder that
// transformers' BertModel and sentence-transformers load with no missing or unexpected weights,
// for users who continue in PyTorch. Prints one line per file group and what had to be added.
// Reference: Docs/ContinuingInPyTorch.md. Not handled: pre-LN and sinusoidal models (refused).

import Encoder
import Foundation

enum ExportCommand: Command {
    static let name = "export"
    static let summary = "write a model folder for transformers' BertModel and sentence-transformers"
    static var help: HelpPage {
        HelpPage(
            usage: ["export [--model DIR] --out FOLDER [--force] [--mlm-head] [--max-seq-length N]"],
            description: "Writes a model folder that transformers loads as BertModel (or, with --mlm-head, "
                + "BertForMaskedLM) and sentence-transformers as a SentenceTransformer, with the same vectors. "
                + "Pre-LN models and sinusoidal positions have no BERT equivalent and are refused.",
            options: [
                HelpOption("--model DIR", "the folder to export", default: "$TINYENCODER_MODEL, else the shipped model"),
                HelpOption("--out FOLDER", "a new or empty folder to write, atomically (a temporary sibling, then a rename); an earlier TinyEncoder output there needs --force, any other folder is refused"),
                forceHelpOption,
                HelpOption("--mlm-head", "BertForMaskedLM's layout (\"bert.\" and \"cls.\" weights, no pooler), to continue masked-LM pretraining",
                           default: "BertModel's layout, with a pooler (initialised if the model has none)"),
                HelpOption("--max-seq-length N", "sentence-transformers' max_seq_length", default: "the folder's, else the model's positions"),
            ],
            output: """
                "exported MODEL -> OUT: LAYOUT layout, tokenizer_class CLASS", then "note: …" lines for what was added \
                (an initialised pooler, a zero token-type table), then "files: " and the files written.
                """,
            examples: ["export --model my-model --out my-model-hf"])
    }
    static let flagNames: Set<String> = ["mlm-head", "force"]

    static func run(_ arguments: inout Arguments) throws {
        let modelOption = arguments.string("model")
        let out = try arguments.requiredOutput("out", kind: .folder)
        let head = arguments.flag("mlm-head")
        let length = try arguments.string("max-seq-length").map { _ in try arguments.int("max-seq-length", default: 0, in: 2...1_048_576) }
        try arguments.rejectUnknown()
        let modelURL = try DefaultModel.resolve(modelOption)  // after rejectUnknown: a misspelt --model is named as such
        guard arguments.positionals.isEmpty else {
            throw CLIError("export: unexpected argument \"\(arguments.positionals[0])\" (see `tinyencoder export --help`)")
        }
        guard out.path != modelURL.standardizedFileURL.path else {
            throw CLIError("export: --out must differ from --model")
        }
        let folder = try ModelFolder.load(modelURL)
        let summary = try HuggingFaceExport.write(folder, to: out, includeHead: head, maxSequenceLength: length)
        print("exported \(modelURL.path) -> \(out.path): \(head ? "BertForMaskedLM" : "BertModel") layout, tokenizer_class \(summary.tokenizerClass)")
        if summary.poolerInitialized {
            print("note: the model had no pooler; pooler.dense was initialised (BERT's initialisation, fixed seed). Sentence vectors do not use it.")
        }
        if summary.typeTableAdded { print("note: the model has no token types; a zero one-row token_type_embeddings was written (no effect)") }
        print("files: " + summary.files.joined(separator: " "))
    }
}
