// `tinyencoder bpe-train`: learns a byte-level BPE tokenizer from text files and writes an HF
// tokenizer.json. Defaults match Scripts/peers/hf_bpe.py (GPT-2 pre-tokeniser without prefix
// space, the five BERT-style special tokens, min frequency 2), so the two give the same merges.
// Not handled: non-byte-level pipelines (use the library's `BPETrainer` for those).

import Foundation
import TensorCore
import Tokenization

enum BPETrainCommand: Command {
    static let name = "bpe-train"
    static let summary = "learn a byte-level BPE tokenizer (writes tokenizer.json)"
    static var help: HelpPage {
        HelpPage(
            usage: ["bpe-train --corpus FILE [--corpus FILE ...] --vocab-size N --out tokenizer.json [--min-frequency N]",
                    "          [--special-tokens LIST] [--max-token-length N] [--limit-alphabet N] [--template T]",
                    "          [--pair-template T] [--quiet]"],
            description: "Learns a byte-level BPE tokenizer (GPT-2's pre-tokeniser without a prefix space) and writes "
                + "an HF tokenizer.json; with the same corpus and options, HF tokenizers' BpeTrainer learns the same merges.",
            options: [
                HelpOption("--corpus FILE", "UTF-8 text; every line (with its newline) is cut into words; repeat for several files"),
                HelpOption("--vocab-size N", "special tokens + 256 byte characters + merges"),
                HelpOption("--out FILE", "the tokenizer.json to write (atomically); an existing file needs --force"),
                forceHelpOption,
                HelpOption("--min-frequency N", "never merge a pair seen fewer times", default: "2"),
                HelpOption("--special-tokens LIST", "comma-separated, given ids 0, 1, …; \"\" for none",
                           default: "[PAD],[UNK],[CLS],[SEP],[MASK]"),
                HelpOption("--max-token-length N", "never form tokens longer than N characters", default: "no limit"),
                HelpOption("--limit-alphabet N", "keep only the N most frequent characters (HF limit_alphabet)", default: "all"),
                HelpOption("--template T", "add a TemplateProcessing post-processor, e.g. \"[CLS] $A [SEP]\"", default: "none"),
                HelpOption("--pair-template T", "its pair form", default: "T, then \"$B:1\" and T's last token with \":1\""),
                HelpOption("--quiet", "no progress line"),
            ],
            output: "One key=value line: vocab= merges= seconds= corpus_mb= threads=. Progress goes to standard error.",
            examples: ["bpe-train --corpus corpus.txt --vocab-size 8000 --template \"[CLS] $A [SEP]\" --out tokenizer.json"])
    }
    static let flagNames: Set<String> = ["quiet", "force"]

    static func run(_ arguments: inout Arguments) throws {
        let corpora = arguments.strings("corpus")
        guard !corpora.isEmpty else { throw CLIError("bpe-train: --corpus is required (see `tinyencoder bpe-train --help`)") }
        let vocabularySize = try arguments.int("vocab-size", default: -1, in: 1...(1 << 24 - 1))
        guard vocabularySize > 0 else { throw CLIError("bpe-train: --vocab-size is required (see `tinyencoder bpe-train --help`)") }
        let outURL = try arguments.requiredOutput("out", kind: .file)  // before training: an unwritable path fails now
        let minimumFrequency = try arguments.int("min-frequency", default: 2, in: 0...Int(Int32.max))
        let specialText = arguments.string("special-tokens")
        let maxTokenLength = try arguments.string("max-token-length").map { _ in try arguments.int("max-token-length", default: 0, in: 1...1_000_000) }
        let limitAlphabet = try arguments.string("limit-alphabet").map { _ in try arguments.int("limit-alphabet", default: 0, in: 0...1_000_000) }
        let template = arguments.string("template")
        let pairTemplate = arguments.string("pair-template")
        let quiet = arguments.flag("quiet")
        try arguments.rejectUnknown()

        var configuration = BPETrainerConfiguration.byteLevel(vocabularySize: vocabularySize, minimumFrequency: minimumFrequency)
        if let specialText {
            configuration.specialTokens = specialText.isEmpty ? [] : specialText.split(separator: ",").map(String.init)
        }
        configuration.maxTokenLength = maxTokenLength
        configuration.limitAlphabet = limitAlphabet
        configuration.showProgress = !quiet
        configuration.threads = Threads.count

        var postProcessor: (any PostProcessor)? = nil
        if let template {
            postProcessor = try templateProcessor(template, pair: pairTemplate, specialTokens: configuration.specialTokens)
        }

        let urls = corpora.map { URL(fileURLWithPath: $0) }
        let bytes = urls.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1.path)[.size] as? Int) ?? 0) }
        let start = monotonicSeconds()
        let tokenizer = try BPETrainer.checkingMemory(configuration).train(files: urls, postProcessor: postProcessor)
        let seconds = monotonicSeconds() - start
        try tokenizer.save(to: outURL)
        let merges = (tokenizer.model as? BPE)?.merges.count ?? 0
        print("vocab=\(tokenizer.vocabularySize) merges=\(merges) seconds=\(String(format: "%.2f", seconds)) "
              + "corpus_mb=\(String(format: "%.1f", Double(bytes) / 1e6)) threads=\(Threads.count)")
    }

    /// TemplateProcessing from template strings; every special token must be among the trained ones.
    static func templateProcessor(_ single: String, pair: String?, specialTokens: [String]) throws -> TemplateProcessing {
        let singlePieces = try TemplateProcessing.parse(single)
        var pairText = pair
        if pairText == nil {
            // BERT's convention: "[CLS] $A [SEP]" → "[CLS] $A [SEP] $B:1 [SEP]:1".
            let closing = singlePieces.last.flatMap { piece -> String? in
                if case let .specialToken(name, _) = piece { return name } else { return nil } }
            pairText = single + " $B:1" + (closing.map { " \($0):1" } ?? "")
        }
        let pairPieces = try TemplateProcessing.parse(pairText ?? "")
        var names: [String] = []
        for case let .specialToken(name, _) in singlePieces + pairPieces where !names.contains(name) { names.append(name) }
        let tokens = try names.map { name -> TemplateProcessing.SpecialToken in
            guard let id = specialTokens.firstIndex(of: name) else {
                throw CLIError("bpe-train: the template uses \"\(name)\", which is not in --special-tokens")
            }
            return TemplateProcessing.SpecialToken(name: name, ids: [id], tokens: [name])
        }
        return try TemplateProcessing(single: singlePieces, pair: pairPieces, specialTokens: tokens)
    }
}
