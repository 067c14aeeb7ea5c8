// `tinyencoder vectors-convert`: reads word vectors in one standard format and writes another
// (word2vec binary/text, GloVe text, fastText .vec; fastText .bin is read only).
// Not handled: vocabulary filtering or re-normalisation while converting.

import Foundation
import WordVectors

enum VectorsConvertCommand: Command {
    static let name = "vectors-convert"
    static let summary = "convert word vectors between word2vec, GloVe and fastText files"
    static let usage = """
        usage: tinyencoder vectors-convert --in FILE [--in-format F] --out FILE --out-format F [--replace-invalid-utf8]
          formats: \(VectorFileFormat.names) (fasttext-bin: read only)
          --in-format defaults from the extension (.bin → word2vec-bin, or fasttext-bin when the file
          starts with fastText's magic number; anything else → word2vec-txt)
        """
    static let flagNames: Set<String> = ["replace-invalid-utf8"]

    static func run(_ arguments: inout Arguments) throws {
        let input = try arguments.required("in")
        let output = try arguments.required("out")
        let inFormat = try parseFormat(arguments.string("in-format"))
        guard let outFormat = try parseFormat(arguments.required("out-format")) else { return }
        let replace = arguments.flag("replace-invalid-utf8")
        try arguments.rejectUnknown()
        let vectors = try VectorFile.read(path: input, format: inFormat, replaceInvalidUTF8: replace)
        try VectorFile.write(vectors, path: output, format: outFormat)
        print("vectors=\(vectors.count) dim=\(vectors.dimension) out=\(output) format=\(outFormat.rawValue)")
    }
}
