// The output contract of every command (Tests/Fixtures/CLI/output-contracts.txt), on the built
// executable, and the values behind it: embed against sentence-transformers' vectors for the same
// folder (tiny-bert-reference.json), tokenize against HF tokenizers, vectors-similar, -analogy
// and -eval against gensim (golden-eval.json); binary outputs read back by the safetensors reader
// and by NPY's definition; the rest by hand.
import Foundation
import Testing
import TestSupport
import TinyEncoder

@Suite struct OutputContractTests {
    static let tinyBert = fixtureURL("HuggingFace/tiny-bert").path
    /// sentence-transformers on tiny-bert (Scripts/huggingface/make_tiny_bert_fixture.py).
    static var reference: [String: Any] {
        try! JSONSerialization.jsonObject(with: Data(contentsOf: fixtureURL("HuggingFace/tiny-bert-reference.json"))) as! [String: Any]
    }
    static let sentences = ["that which is perceived or known or inferred to have its own distinct existence (living or nonliving)",
                            "an amplifier that increases the amplitude of reproduced sound"]   // the reference's first two
    /// gensim on eval-vectors.bin (Scripts/wordvectors/make_fixtures.py).
    static var goldenEval: [String: Any] {
        try! JSONSerialization.jsonObject(with: Data(contentsOf: fixtureURL("WordVectors/golden-eval.json"))) as! [String: Any]
    }
    static let evalVectors = fixtureURL("WordVectors/eval-vectors.bin").path

    static func referenceRows(_ key: String) -> [[Float]] {
        (reference[key] as! [[Double]]).map { $0.map(Float.init) }
    }

    @Test func referenceSentences() {
        #expect(Array((Self.reference["sentences"] as! [String]).prefix(2)) == Self.sentences)
    }

    @Test func versionAndHelp() throws {
        try Contracts.check(try CLI.run(["--version"]), "version")
        try Contracts.check(try CLI.run(["help"]), "help-overview")
        let viaHelp = try CLI.run(["help", "embed"]), viaFlag = try CLI.run(["embed", "--help"])
        #expect(viaHelp.status == 0 && viaHelp.stdout == viaFlag.stdout && viaHelp.stdout.hasPrefix("usage: tinyencoder embed"))
        let unknown = try CLI.run(["help", "no-such-command"])
        #expect(unknown.status == 2 && unknown.stderr.contains("unknown command \"no-such-command\""))
    }

    // MARK: - embed and similarity

    @Test func embedTextFormats() throws {
        let tsv = try CLI.run(["embed", "--model", Self.tinyBert] + Self.sentences)
        try Contracts.check(tsv, "embed-tsv")
        let ours = tsv.lines.map { Contracts.numbers(Substring($0)) }
        for (index, theirs) in Self.referenceRows("mean").prefix(2).enumerated() {
            #expect(ours[index].cosineSimilarity(to: theirs) >= 0.99999)
            #expect(maxScaledError(ours[index], theirs) < 1e-4)
        }
        let json = try CLI.run(["embed", "--model", Self.tinyBert, "--format", "json"] + Self.sentences)
        try Contracts.check(json, "embed-json")
        let parsed = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as! [[Double]]
        #expect(parsed.map { $0.map(Float.init) } == ours)   // the same floats, printed the same way

        let tokens = try CLI.run(["embed", "--model", Self.tinyBert, "--pooling", "none"] + Self.sentences)
        try Contracts.check(tokens, "embed-tokens-tsv")
        let hidden = (Self.reference["hidden"] as! [[[Double]]]).flatMap { $0 }.map { $0.map(Float.init) }
        for (line, theirs) in zip(tokens.lines, hidden) {
            let fields = line.split(separator: "\t")
            #expect(line.hasPrefix("0\t") ? Int(fields[1])! < 16 : Int(fields[1])! < 11)
            #expect(Contracts.numbers(Substring(fields.dropFirst(2).joined(separator: "\t"))).cosineSimilarity(to: theirs) >= 0.99999)
        }
    }

    @Test func embedJSONLines() throws {
        let lines = [#""\#(Self.sentences[0])""#, #"{"id": 7, "text": "\#(Self.sentences[1])"}"#, #"{"text": "line one\nline two"}"#]
        let result = try CLI.run(["embed", "--model", Self.tinyBert, "--input", "jsonl"], input: Data((lines.joined(separator: "\n") + "\n").utf8))
        try Contracts.check(result, "embed-jsonl")
        let direct = try CLI.run(["embed", "--model", Self.tinyBert] + Self.sentences + ["line one\nline two"])
        for (a, b) in zip(result.lines, direct.lines) {
            #expect(maxScaledError(Contracts.numbers(Substring(a)), Contracts.numbers(Substring(b))) < 1e-6)
        }
        let keyed = try CLI.run(["embed", "--model", Self.tinyBert, "--input", "jsonl", "--text-key", "body"],
                                input: Data(#"{"body": "hello"}"#.utf8))
        #expect(keyed.status == 0 && keyed.lines.count == 1)
        let bad = try CLI.run(["embed", "--model", Self.tinyBert, "--input", "jsonl"], input: Data("\"ok\"\n[1, 2]\n".utf8))
        #expect(bad.status == 2 && bad.stderr.contains("line 2") && bad.stderr.contains("array"))
        let missing = try CLI.run(["embed", "--model", Self.tinyBert, "--input", "jsonl"], input: Data(#"{"body": "x"}"#.utf8))
        #expect(missing.status == 2 && missing.stderr.contains("--text-key"))
    }

    @Test func embedBinaryFormats() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let tsv = try CLI.run(["embed", "--model", Self.tinyBert] + Self.sentences).lines.map { Contracts.numbers(Substring($0)) }

        // NPY 1.0: "\x93NUMPY", version 1.0, a UInt16 header length, the dict, data from a multiple of 64.
        let npy = try CLI.run(["embed", "--model", Self.tinyBert, "--out", "v.npy"] + Self.sentences, in: folder)
        try Contracts.check(npy, "embed-binary")
        let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent("v.npy")))
        #expect(Array(bytes[0..<8]) == [0x93] + Array("NUMPY".utf8) + [1, 0])
        let headerLength = Int(bytes[8]) | Int(bytes[9]) << 8
        let header = String(decoding: bytes[10..<(10 + headerLength)], as: UTF8.self)
        #expect((10 + headerLength) % 64 == 0 && header.hasSuffix("\n"))
        #expect(header.hasPrefix("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 32), }"))
        let data = Array(bytes[(10 + headerLength)...])
        #expect(data.count == 2 * 32 * 4)
        let values = data.withUnsafeBytes { raw in (0..<64).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * $0, as: UInt32.self))) } }
        #expect(values == tsv.flatMap { $0 })

        let st = try CLI.run(["embed", "--model", Self.tinyBert, "--format", "safetensors", "--out", "v.st"] + Self.sentences, in: folder)
        try Contracts.check(st, "embed-binary")
        let file = try Safetensors.read(folder.appendingPathComponent("v.st"))
        #expect(file.tensors["embeddings"]?.shape == [2, 32] && file.tensors["embeddings"]?.scalars == tsv.flatMap { $0 })
        #expect(file.metadata["pooling"] == "mean" && file.metadata["normalized"] == "true")   // tiny-bert ends in Normalize

        let tokens = try CLI.run(["embed", "--model", Self.tinyBert, "--pooling", "none", "--out", "t.safetensors"] + Self.sentences, in: folder)
        try Contracts.check(tokens, "embed-binary")
        let tokenFile = try Safetensors.read(folder.appendingPathComponent("t.safetensors"), skippingUnsupported: true)
        #expect(tokenFile.tensors["embeddings"]?.shape == [27, 32] && tokenFile.skipped["token_counts"] == "I64")
        // token_counts, I64 [2], the last 16 bytes: 16 and 11 tokens.
        let raw = [UInt8](try Data(contentsOf: folder.appendingPathComponent("t.safetensors")).suffix(16))
        let counts = raw.withUnsafeBytes { [Int64(littleEndian: $0.loadUnaligned(as: Int64.self)), Int64(littleEndian: $0.loadUnaligned(fromByteOffset: 8, as: Int64.self))] }
        #expect(counts == [16, 11])

        let noOut = try CLI.run(["embed", "--model", Self.tinyBert, "--format", "npy", "x"])
        #expect(noOut.status == 2 && noOut.stderr.contains("--out FILE"))
        let npyTokens = try CLI.run(["embed", "--model", Self.tinyBert, "--pooling", "none", "--out", "t.npy", "x"], in: folder)
        #expect(npyTokens.status == 2 && npyTokens.stderr.contains("safetensors"))
        let badPooling = try CLI.run(["embed", "--model", Self.tinyBert, "--pooling", "average", "x"])
        #expect(badPooling.status == 2 && badPooling.stderr.contains("cls|mean|max|none"))
    }

    /// A random model folder without a Normalize module: raw vectors are not unit length, --normalize makes them so.
    @Test func embedNormalizeAndProgress() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = EncoderConfig(vocabularySize: 2000, width: 16, layerCount: 1, headCount: 2, maxPositions: 32, hiddenDropout: 0, attentionDropout: 0)
        try ModelFolder.save(MaskedLanguageModel(config: config, seed: 5), pooling: Pooling(.mean),
                             tokenizerJSON: try Data(contentsOf: fixtureURL("Encoder/tokenizer-2k.json")), to: folder.appendingPathComponent("m"))
        let model = folder.appendingPathComponent("m").path
        let raw = try CLI.run(["embed", "--model", model, "a cat", "a dog"]).lines.map { Contracts.numbers(Substring($0)) }
        let unit = try CLI.run(["embed", "--model", model, "--normalize", "a cat", "a dog"]).lines.map { Contracts.numbers(Substring($0)) }
        for (r, u) in zip(raw, unit) {
            #expect(abs(r.norm - 1) > 0.1)
            #expect(abs(u.norm - 1) < 1e-5 && maxScaledError(u, r.normalized()) < 1e-6)
        }
        // More than 500 texts: a progress line on standard error (plain lines, not a terminal).
        let input = Data((0..<600).map { "text number \($0)" }.joined(separator: "\n").utf8)
        let many = try CLI.run(["embed", "--model", model], input: input)
        #expect(many.status == 0 && many.lines.count == 600)
        // The running line (rate; share and ETA, as standard input is a file of known size), then the total.
        #expect(many.stderr.contains("embed: 600 texts, ") && many.stderr.contains("texts/s, 100%, ETA"), "stderr: \(many.stderr)")
        #expect(many.stderr.contains("embed: 600 texts in"), "stderr: \(many.stderr)")
        let quiet = try CLI.run(["embed", "--model", model, "--quiet"], input: input)
        #expect(quiet.stderr.isEmpty && quiet.lines.count == 600)
        let few = try CLI.run(["embed", "--model", model], input: Data("one\ntwo\n".utf8))
        #expect(few.stderr.isEmpty)
    }

    @Test func similarity() throws {
        let same = try CLI.run(["similarity", "--model", Self.tinyBert, Self.sentences[0], Self.sentences[0]])
        try Contracts.check(same, "similarity")
        #expect(same.stdout == "1.000000\n")
        let pair = try CLI.run(["similarity", "--model", Self.tinyBert] + Self.sentences)
        try Contracts.check(pair, "similarity")
        let rows = Self.referenceRows("mean")
        #expect(abs(Double(pair.lines[0])! - Double(rows[0].cosineSimilarity(to: rows[1]))) < 2e-6)
    }

    // MARK: - tokenize

    @Test func tokenize() throws {
        let tokenizer = fixtureURL("HuggingFace/tiny-bert/tokenizer.json").path
        let text = "Tokenizers split words into pieces."
        try Contracts.check(try CLI.run(["tokenize", "--tokenizer", tokenizer, text]), "tokenize")
        try Contracts.check(try CLI.run(["tokenize", "--tokenizer", tokenizer, "--no-special", text]), "tokenize-no-special")
        try Contracts.check(try CLI.run(["tokenize", "--tokenizer", tokenizer, "--tokens", text]), "tokenize-tokens")
        try Contracts.check(try CLI.run(["tokenize", "--tokenizer", tokenizer, "--json"], input: Data(#"["a b", "Hello"]"#.utf8)), "tokenize-json")
        try Contracts.check(try CLI.run(["tokenize", "--tokenizer", tokenizer, "--pad-to", "10", "Hello"]), "tokenize-pad-to")
        try Contracts.check(try CLI.run(["tokenize", "--tokenizer", tokenizer, "--decode"], input: Data((text + "\n").utf8)), "tokenize-decode")
        let minilm = fixtureURL("HuggingFace/minilm-excerpt/tokenizer.json").path
        try Contracts.check(try CLI.run(["tokenize", "--tokenizer", minilm, "a b"]), "tokenize-file-padding-ignored")
        let gone = try CLI.run(["tokenize", "--tokenizer", tokenizer, "--special", "x"])
        #expect(gone.status == 2 && gone.stderr.contains("unknown option --special"))
    }

    // MARK: - word vectors

    @Test func vectorsSimilarAndAnalogy() throws {
        let similar = try CLI.run(["vectors-similar", "--vectors", Self.evalVectors, "water", "king", "--topn", "3"])
        try Contracts.check(similar, "vectors-similar")
        let golden = Self.goldenEval["most_similar"] as! [String: [[Any]]]
        let expected = golden["water"]!.prefix(3) + golden["king"]!.prefix(3)
        for (line, theirs) in zip(similar.lines, expected) {
            #expect(abs(Double(line.split(separator: "\t")[2])! - (theirs[1] as! Double)) < 1e-5)
        }
        for (method, name, key) in [("3cosadd", "vectors-analogy", "analogy_add"), ("3cosmul", "vectors-analogy-3cosmul", "analogy_mul")] {
            let result = try CLI.run(["vectors-analogy", "--vectors", Self.evalVectors, "--method", method, "--topn", "3", "man", "king", "woman"])
            try Contracts.check(result, name)
            for (line, theirs) in zip(result.lines, Self.goldenEval[key] as! [[Any]]) {
                #expect(abs(Double(line.split(separator: "\t")[1])! - (theirs[1] as! Double)) < 1e-4)
            }
        }
        let unknown = try CLI.run(["vectors-similar", "--vectors", Self.evalVectors, "qwertyuiop"])
        #expect(unknown.status == 1 && unknown.stderr.contains("qwertyuiop"))
    }

    @Test func vectorsEvalAndConvert() throws {
        let result = try CLI.run(["vectors-eval", "--vectors", Self.evalVectors, "--word-pairs", fixtureURL("WordVectors/wordsim353.tsv").path,
                                  "--analogies", fixtureURL("WordVectors/questions-words.txt").path])
        try Contracts.check(result, "vectors-eval")
        func value(_ key: String, _ line: String) -> Double? {
            line.split(separator: " ").first { $0.hasPrefix(key + "=") }.flatMap { Double($0.dropFirst(key.count + 1)) }
        }
        let pairs = Self.goldenEval["word_pairs"] as! [String: Double]
        #expect(abs(value("spearman", result.lines[1])! - pairs["spearman"]!) < 1e-4)
        #expect(abs(value("pearson", result.lines[1])! - pairs["pearson"]!) < 1e-4)
        let analogies = Self.goldenEval["analogies_300000"] as! [String: Any]
        #expect(abs(value("analogy_accuracy", result.lines[2])! - (analogies["accuracy"] as! Double)) < 1e-4)

        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let glove = fixtureURL("WordVectors/gensim/test_glove.txt").path
        let converted = try CLI.run(["vectors-convert", "--in", glove, "--out", "g.vec"], in: folder)
        try Contracts.check(converted, "vectors-convert")
        let written = folder.appendingPathComponent("g.vec")
        #expect(try VectorFile.detectFormat(of: written) == .fastTextVec)
        #expect(try VectorFile.read(written).row(5) == VectorFile.read(URL(fileURLWithPath: glove)).row(5))
        let unknownExtension = try CLI.run(["vectors-convert", "--in", glove, "--out", "g.kv"], in: folder)
        #expect(unknownExtension.status == 2 && unknownExtension.stderr.contains("--out-format"))
    }

    @Test func trainers() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let corpus = fixtureURL("Pretraining/corpus-slice.txt").path
        let vectors = try CLI.run(["vectors-train", "--algorithm", "skipgram", "--corpus", corpus, "--out", "v.bin", "--dim", "8",
                                   "--epochs", "1", "--quiet"], in: folder)
        try Contracts.check(vectors, "vectors-train")
        let vocabulary = vectors.lines.first?.split(separator: " ").first { $0.hasPrefix("vocab=") }.flatMap { Int($0.dropFirst(6)) }
        #expect(try VectorFile.read(folder.appendingPathComponent("v.bin")).count == vocabulary)
        let bpe = try CLI.run(["bpe-train", "--corpus", fixtureURL("Tokenization/small-corpus.txt").path, "--vocab-size", "300",
                               "--out", "tokenizer.json", "--quiet"], in: folder)
        try Contracts.check(bpe, "bpe-train")
        let pretrain = try CLI.run(["pretrain", "--corpus", corpus, "--tokenizer", fixtureURL("Encoder/tokenizer-2k.json").path, "--out", "model",
                                    "--preset", "tiny", "--steps", "2", "--seq", "32", "--batch", "4", "--eval-every", "0",
                                    "--checkpoint-every", "0", "--quiet"], in: folder)
        try Contracts.check(pretrain, "pretrain")
        let report = try CLI.run(["init-report", "--tokenizer", fixtureURL("Encoder/tokenizer-2k.json").path, "--vectors", "v.bin", "--quiet"], in: folder)
        try Contracts.check(report, "init-report")
    }

    /// Two classes that a line separates: x₁ > x₂ is "a". Every vector is classified right.
    @Test func probe() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let features = folder.appendingPathComponent("features.safetensors")
        try Safetensors.write([("train.x", Tensor(shape: [4, 2], scalars: [1, 0, 0.9, 0.1, 0, 1, 0.1, 0.9])),
                               ("train.y", Tensor(shape: [4], scalars: [0, 0, 1, 1])),
                               ("test.x", Tensor(shape: [2, 2], scalars: [0.8, 0.3, 0.2, 0.7])),
                               ("test.y", Tensor(shape: [2], scalars: [0, 1]))], metadata: ["classes": "a,b"], to: features)
        try Contracts.check(try CLI.run(["probe", "--features", features.path]), "probe-features")
    }

    // MARK: - models: attention, trace, export, whiten

    @Test func modelTools() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let attention = try CLI.run(["attention", "--model", Self.tinyBert, "--text", "hello world", "--out", "a.svg"], in: folder)
        try Contracts.check(attention, "attention")
        let trace = try CLI.run(["trace", "--model", Self.tinyBert, "--text", "hello world", "--out", "t.safetensors"], in: folder)
        try Contracts.check(trace, "trace")
        #expect(trace.stderr.hasPrefix("trace: ") && trace.stderr.contains("for 7 tokens"))
        let traced = try Safetensors.read(folder.appendingPathComponent("t.safetensors"))
        let tokens = try JSONSerialization.jsonObject(with: Data(traced.metadata["tokens"]!.utf8)) as? [String]
        #expect(tokens?.first == "[CLS]" && tokens?.last == "[SEP]" && tokens?.count == 7)
        try Contracts.check(try CLI.run(["export", "--model", Self.tinyBert, "--out", "exported"], in: folder), "export")
        try Contracts.check(try CLI.run(["whiten", "--model", Self.tinyBert, "--corpus", fixtureURL("Tokenization/small-corpus.txt").path,
                                         "--lines", "50", "--out", "whitened"], in: folder), "whiten")
    }

    // MARK: - bench

    @Test func benchmarks() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let small = ["--layers", "1", "--dim", "16", "--heads", "2", "--ffn", "32", "--vocab", "100", "--seq", "8", "--batch", "2", "--steps", "1"]
        try Contracts.check(try CLI.run(["bench", "gemm", "--sizes", "64,64,64"]), "bench-gemm")
        try Contracts.check(try CLI.run(["bench", "encoder"] + small), "bench-encoder")
        try Contracts.check(try CLI.run(["bench", "train"] + small), "bench-train")
        let corpus = fixtureURL("Tokenization/small-corpus.txt").path
        try Contracts.check(try CLI.run(["bench", "tokenize", "--tokenizer", fixtureURL("Tokenization/small-bpe.json").path, "--corpus", corpus]), "bench-tokenize")
        try Contracts.check(try CLI.run(["bench", "vectors", "--corpus", corpus]), "bench-vectors")
        let sentences = folder.appendingPathComponent("sentences.txt")
        // 20 non-blank lines: the two reference sentences and 18 more.
        try (Self.sentences + (0..<18).map { "sentence number \($0)" }).joined(separator: "\n").write(to: sentences, atomically: true, encoding: .utf8)
        try Contracts.check(try CLI.run(["bench", "embed", "--model", Self.tinyBert, "--file", sentences.path]), "bench-embed")
    }
}
