// `tinyencoder agreement`: how alike two embedders judge sentence pairs. The texts of --pairs are
// paired two by two (lines 1 and 2, 3 and 4, …); each embedder gives the cosine of every pair, and
// the figure is Spearman's ρ between the two lists (Pearson's r beside it). ρ = 1 means the model
// orders the pairs exactly as the reference does, whatever the scale of its cosines.
// Either side is a model folder (Transformer or static) or averaged static word vectors.
// Not handled: pairs given as two columns (write them on consecutive lines).

import Encoder
import Evaluation
import Foundation
import Pretraining
import TensorCore

enum AgreementCommand: Command {
    static let name = "agreement"
    static let summary = "Spearman's ρ between two embedders' cosines over sentence pairs"
    static var help: HelpPage {
        HelpPage(
            usage: ["agreement --pairs FILE (--model DIR | --vectors FILE) (--reference DIR | --reference-vectors FILE)"],
            description: "How alike two embedders judge sentence pairs: the texts of --pairs are paired two by two (lines 1 and 2, "
                + "3 and 4, …), each embedder gives every pair's cosine, and the figure is Spearman's ρ between the two lists "
                + "(Pearson's r beside it). Either side is a model folder (Transformer or static) or averaged static word vectors.",
            options: [
                HelpOption("--pairs FILE", "one text a line; lines 1–2, 3–4, … are the pairs (an odd last line is ignored)"),
                HelpOption("--model DIR", "the model scored: a Transformer or static model folder", default: "$TINYENCODER_MODEL, else the shipped model"),
                HelpOption("--vectors FILE", "or average these static word vectors (word2vec, GloVe or fastText files) over each text's words"),
                HelpOption("--reference DIR", "the model it is compared with (e.g. the teacher of a distillation)"),
                HelpOption("--reference-vectors FILE", "or averaged static word vectors as the reference"),
            ],
            output: "One line: spearman= pearson= pairs= seconds= threads=",
            examples: ["agreement --pairs held-out.txt --model student --reference all-MiniLM-L6-v2"])
    }

    static func run(_ arguments: inout Arguments) throws {
        let pairsURL = URL(fileURLWithPath: try arguments.required("pairs"))
        let model = arguments.string("model"), vectors = arguments.string("vectors")
        let reference = arguments.string("reference"), referenceVectors = arguments.string("reference-vectors")
        try arguments.rejectUnknown()
        guard model == nil || vectors == nil else { throw CLIError("agreement: give --model or --vectors, not both") }
        guard (reference == nil) != (referenceVectors == nil) else { throw CLIError("agreement: give one of --reference DIR or --reference-vectors FILE") }
        let texts = try DistillationData.usableLines(of: pairsURL)
        guard texts.count >= 4 else { throw CLIError("agreement: --pairs \(pairsURL.path) has \(texts.count) non-empty lines; at least 4 (two pairs) are needed") }
        let start = monotonicSeconds()
        let scored = try embedder(folder: vectors == nil ? try DefaultModel.resolve(model) : nil, vectors: vectors)
        let compared = try embedder(folder: reference.map { URL(fileURLWithPath: $0) }, vectors: referenceVectors)
        let result = try PairAgreement(texts: texts, scored: scored, reference: compared)
        print(String(format: "spearman=%.4f pearson=%.4f pairs=%d seconds=%.1f threads=%d", result.spearman, result.pearson, result.pairs,
                     monotonicSeconds() - start, Threads.count))
    }

    /// A model folder's embedder (long texts cut to its positions), or averaged word vectors;
    /// exactly one of `folder` and `vectors` is given.
    static func embedder(folder: URL?, vectors: String?) throws -> any TextEmbedding {
        if let vectors { return try AveragedWordVectors(contentsOf: URL(fileURLWithPath: vectors)) }
        guard let folder else { throw CLIError("agreement: give --model or --vectors") }
        let embedder = try loadTextEmbedder(folder: folder)
        guard var transformer = embedder as? SentenceEmbedder else { return embedder }
        transformer.truncates = true
        return transformer
    }
}
