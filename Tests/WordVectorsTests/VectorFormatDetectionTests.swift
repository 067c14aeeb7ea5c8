// Telling a vector file's format from its bytes: every file of gensim's test data is told as the
// format gensim's own loader needs (golden-files.json, written by Scripts/wordvectors/make_fixtures.py),
// files we write are told back, the one truly ambiguous layout ("3 1" then one number per line) is
// decided by the line count or refused, and what fits no format gets an error naming --format.

import Foundation
import Testing
import TestSupport
@testable import WordVectors

@Suite struct VectorFormatDetectionTests {
    @Test(arguments: ["euclidean_vectors.bin", "toy-model.vec", "test_glove.txt", "crime-and-punishment.vec",
                      "high_precision.kv.bin", "high_precision.kv.txt", "toy-model.bin", "lee_fasttext.bin",
                      "lee_fasttext_new.bin", "crime-and-punishment.bin", "non_ascii_fasttext.bin"])
    func gensimFilesAreToldAsGensimReadsThem(name: String) throws {
        let golden = try #require(try fixtureJSON("golden-files.json") as? [String: [String: Any]])
        let expected = try #require(golden[name]?["format"] as? String)
        // word2vec text and fastText .vec are one layout (read alike); .vec lines end in a space.
        func layout(_ name: String) -> String { name == "fasttext-vec" ? "word2vec-txt" : name }
        #expect(layout(try VectorFile.detectFormat(of: fixtureURL("WordVectors/gensim/" + name)).rawValue) == layout(expected))
    }

    /// Every format we write is told back, whatever the file is called.
    @Test(arguments: [VectorFileFormat.word2vecBinary, .word2vecText, .gloveText, .fastTextVec])
    func writtenFilesAreToldBack(format: VectorFileFormat) throws {
        let vectors = try VectorFile.read(fixtureURL("WordVectors/gensim/test_glove.txt"), format: .gloveText)
        let url = URL(fileURLWithPath: temporaryPath("vectors.data"))
        try VectorFile.write(vectors, to: url, format: format)
        #expect(try VectorFile.detectFormat(of: url) == format)
        #expect(try VectorFile.read(url).row(3) == vectors.row(3))
    }

    func detect(_ text: String) throws -> VectorFileFormat {
        try VectorFile.detectFormat(of: URL(fileURLWithPath: temporaryFile(text, name: "vectors.txt")))
    }

    @Test func textLayouts() throws {
        #expect(try detect("2 3\nthe 0.1 0.2 0.3\ncat -1 2e-3 4\n") == .word2vecText)
        #expect(try detect("2 3\r\nthe 0.1 0.2 0.3 \r\ncat -1 2e-3 4 \r\n") == .fastTextVec)  // CRLF, fastText's trailing space
        #expect(try detect("the 0.1 0.2 0.3\ncat -1 2e-3 4\n") == .gloveText)
        #expect(try detect("the\t0.1\t0.2\n") == .gloveText)
        // A header whose rows are GloVe-like lines of a different width: "2008" is a word with one number.
        #expect(try detect("2008 5\nword 0.3\n") == .gloveText)
        // Header of 0 rows: either reader gives the same (no vectors).
        #expect(try detect("0 300\n") == .word2vecText)
    }

    /// "3 1" is a header of 3 rows of one number, or GloVe's word "3" with the value 1: the line
    /// count decides when exactly one reading fits; otherwise the error asks for --format.
    @Test func oneNumberPerLineIsDecidedByTheLineCount() throws {
        #expect(try detect("3 1\na 0.5\nb 0.25\nc 1\n") == .word2vecText)   // 1 + 3 lines: a header
        #expect { try detect("3 1\na 0.5\nb 0.25\n") } throws: { error in
            guard case let WordVectorsError.unknownFormat(_, detail) = error else { return false }
            return detail.contains("\"3 1\"") && "\(error)".contains("--format")
        }
    }

    @Test func unknownLayoutsNameTheFormatOption() throws {
        let cases: [(bytes: [UInt8], says: String)] = [
            ([], "empty"),
            (Array("hello world\n".utf8), "neither a \"ROWS DIMENSION\" header nor a word followed by numbers"),
            (Array("the 0.1 0.2\ncat 0.3\n".utf8), "line 1 has 2 numbers but line 2 has 1"),
            ([0x1F, 0x8B, 0x08, 0x00, 0, 0, 0, 0, 0, 3], "binary data"),    // a gzip header
        ]
        for (bytes, says) in cases {
            let url = URL(fileURLWithPath: temporaryFile(bytes: bytes, name: "vectors.gz"))
            #expect { try VectorFile.detectFormat(of: url) } throws: { error in
                guard case let WordVectorsError.unknownFormat(path, detail) = error else { return false }
                return path == url.path && detail.contains(says) && "\(error)".contains("--format F")
            }
        }
    }

    @Test func outputFormatFromTheExtension() {
        func inferred(_ name: String, subwords: Bool = false) -> VectorFileFormat? {
            VectorFileFormat.inferred(fromExtensionOf: URL(fileURLWithPath: name), carriesSubwords: subwords)
        }
        #expect(inferred("a.bin") == .word2vecBinary)
        #expect(inferred("a.BIN", subwords: true) == .fastTextBinary)
        #expect(inferred("a.vec") == .fastTextVec)
        #expect(inferred("a.txt") == .word2vecText)
        #expect(inferred("a.kv") == nil)
    }
}
