// `tinyencoder vectors-convert`: reads word vectors in one standard format and writes another
// (word2vec binary/text, GloVe text, fastText .vec and .bin). The input format is told from the
// file's first bytes, the output format from the --out extension, unless given.
// Not handled: vocabulary filtering or re-normalisation while converting.

import Foundation
import TextInput
import WordVectors

enum VectorsConvertCommand: Command {
    static let name = "vectors-convert"
    static let summary = "convert word vectors between word2vec, GloVe and fastText files"
    static var help: HelpPage {
        HelpPage(
            usage: ["vectors-convert --in FILE [--in-format F] --out FILE [--out-format F] [--replace-invalid-utf8]"],
            description: "Reads word vectors and writes them in another format. fasttext-bin keeps a fastText model whole "
                + "(its n-gram rows, so unseen words still get vectors); it can be written only from a fastText .bin.",
            options: [
                HelpOption("--in FILE", "the vectors to read"),
                HelpOption("--in-format F", VectorFileFormat.choiceList,
                           default: "told from the file's first bytes: fastText's magic number, a \"ROWS DIMENSION\" header followed by text or by binary floats, or GloVe's header-less lines"),
                HelpOption("--out FILE", "the file to write (atomically); an existing file needs --force"),
                forceHelpOption,
                HelpOption("--out-format F", VectorFileFormat.choiceList,
                           default: "from --out's extension: .bin → word2vec-bin (fasttext-bin when the input is a fastText .bin), .vec → fasttext-vec, .txt → word2vec-txt"),
                HelpOption("--replace-invalid-utf8", "decode broken words with U+FFFD instead of stopping (the same as the global --invalid-utf8 replace)"),
            ],
            output: "One line: vectors=COUNT dim=D out=FILE format=F (the format written).",
            examples: ["vectors-convert --in wiki.en.bin --out wiki.en.vec",
                       "vectors-convert --in glove.6B.100d.txt --out glove.100d.bin"])
    }
    static let flagNames: Set<String> = ["replace-invalid-utf8", "force"]

    static func run(_ arguments: inout Arguments) throws {
        let input = URL(fileURLWithPath: try arguments.required("in"))
        let given = try arguments.required("out")
        let output = try arguments.requiredOutput("out", kind: .file)
        let givenInFormat = try arguments.choice("in-format", VectorFileFormat.self)
        let givenOutFormat = try arguments.choice("out-format", VectorFileFormat.self)
        let replace = arguments.flag("replace-invalid-utf8") || InvalidUTF8Policy.current == .replace
        try arguments.rejectUnknown()
        let inFormat = try givenInFormat ?? namingTheFlag("--in-format", command: name) { try VectorFile.detectFormat(of: input) }
        guard let outFormat = givenOutFormat ?? VectorFileFormat.inferred(fromExtensionOf: output, carriesSubwords: inFormat == .fastTextBinary) else {
            throw CLIError("vectors-convert: cannot tell the output format from \"\(output.lastPathComponent)\" (.bin, .vec and .txt are known); give --out-format \(VectorFileFormat.choiceList)")
        }
        let vectors: KeyedVectors
        if inFormat == .fastTextBinary && outFormat == .fastTextBinary {
            vectors = try FastTextBinary.read(input, replaceInvalidUTF8: replace, keepingOutputMatrix: true).keyedVectors
        } else {
            vectors = try VectorFile.read(input, format: inFormat, replaceInvalidUTF8: replace)
        }
        try VectorFile.write(vectors, to: output, format: outFormat)
        print("vectors=\(vectors.count) dim=\(vectors.dimension) out=\(URL(fileURLWithPath: given).path) format=\(outFormat.rawValue)")
    }
}

/// Runs `body`; a format that cannot be told is reported with the option that names it.
func namingTheFlag<T>(_ flag: String, command: String, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch WordVectorsError.unknownFormat(let path, let detail) {
        throw CLIError("\(command): \(path): cannot tell the vector format: \(detail); give \(flag) \(VectorFileFormat.choiceList)")
    }
}
