// Bad input must give typed errors that name the file, the field and the fix, never a trap:
// malformed tokenizer.json, unknown component types, merges naming missing tokens, invalid UTF-8
// (in a file, a corpus or the input), an empty corpus, broken merges.txt, impossible settings.
import Foundation
import Testing
@testable import Tokenization

@Suite struct BadInputTests {
    /// A tokenizer.json with the small model and the given replacements at the top level.
    func tokenizerJSON(replacing key: String, with value: JSONValue) throws -> JSONValue {
        guard case var .object(pairs) = try Fixtures.json("small-bpe.json") else { throw TokenizationError.emptyCorpus(source: "") }
        if let index = pairs.firstIndex(where: { $0.key == key }) { pairs[index].value = value } else { pairs.append((key, value)) }
        return .object(pairs)
    }

    func temporaryFile(_ bytes: [UInt8], name: String = "file") throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tinyencoder-\(UUID().uuidString)-\(name)")
        try Data(bytes).write(to: url)
        return url
    }

    @Test func truncatedFileIsMalformedJSON() throws {
        let bytes = [UInt8](try Data(contentsOf: Fixtures.url("small-bpe.json")))
        let url = try temporaryFile(Array(bytes.prefix(1000)), name: "cut.json")
        defer { try? FileManager.default.removeItem(at: url) }
        do {
            _ = try Tokenizer(contentsOf: url)
            Issue.record("a cut-off file loaded")
        } catch let error as TokenizationError {
            guard case let .malformedJSON(source, _, _, reason) = error else { Issue.record("got \(error)"); return }
            #expect(source == url.path)
            #expect(reason.contains("ends"))
            #expect(error.description.contains(url.path))
        }
    }

    @Test(arguments: [
        (#"{"a": 1,}"#, 1, 9), (#"{"a" 1}"#, 1, 6), ("[1, 2\n, 03]", 2, 3), (#"["\u12"]"#, 1, 3),
        (#"["\ud800"]"#, 1, 3), ("\"tab\there\"", 1, 5), ("nul", 1, 1), ("[1] 2", 1, 5),
    ])
    func malformedJSONReportsLineAndColumn(text: String, line: Int, column: Int) {
        do {
            _ = try JSONParser.parse(Array(text.utf8), source: "t.json")
            Issue.record("\(text) parsed")
        } catch let TokenizationError.malformedJSON(_, foundLine, foundColumn, _) {
            #expect(foundLine == line && foundColumn == column, "\(text)")
        } catch {
            Issue.record("\(text): \(error)")
        }
    }

    @Test func deepNestingIsRefusedNotAStackOverflow() {
        let text = String(repeating: "[", count: 100_000)
        #expect(throws: TokenizationError.self) { try JSONParser.parse(Array(text.utf8), source: "deep.json") }
    }

    @Test func unknownComponentTypesAreNamed() throws {
        let cases: [(String, JSONValue, String)] = [
            ("pre_tokenizer", .object([("type", .string("Metaspace")), ("replacement", .string("▁"))]), "Metaspace"),
            ("normalizer", .object([("type", .string("Precompiled"))]), "Precompiled"),
            ("decoder", .object([("type", .string("CTC"))]), "CTC"),
            ("post_processor", .object([("type", .string("Cls"))]), "Cls"),  // every HF post-processor type is supported
            ("model", .object([("type", .string("Unigram")), ("vocab", .array([]))]), "Unigram"),
        ]
        for (key, value, type) in cases {
            do {
                _ = try Tokenizer(json: try tokenizerJSON(replacing: key, with: value), source: "x.json")
                Issue.record("\(type) loaded")
            } catch let error as TokenizationError {
                guard case let .unsupportedComponent(source, path, found, supported) = error else { Issue.record("\(error)"); continue }
                #expect(source == "x.json" && path == key && found == type && !supported.isEmpty)
                #expect(error.description.contains(type) && error.description.contains(key))
            }
        }
    }

    @Test func mergeNamingAMissingTokenIsNamed() throws {
        let vocabulary: [String: Int] = ["a": 0, "b": 1, "ab": 2]
        #expect(throws: TokenizationError.mergeTokenMissing(source: "m.json", mergeIndex: 1, token: "c")) {
            try BPE(vocabulary: vocabulary, merges: [("a", "b"), ("ab", "c")], source: "m.json")
        }
        // The merged token itself missing is reported too.
        #expect(throws: TokenizationError.mergeTokenMissing(source: "m.json", mergeIndex: 0, token: "ba")) {
            try BPE(vocabulary: vocabulary, merges: [("b", "a")], source: "m.json")
        }
        // Through a tokenizer.json, with the "a b" string form of merges.
        guard case var .object(model) = try Fixtures.json("small-bpe.json")["model"] else { return }
        let index = model.firstIndex { $0.key == "merges" }!
        model[index].value = .array([.string("Ġ t"), .string("Ġ qqqq")])
        #expect(throws: TokenizationError.mergeTokenMissing(source: "s.json", mergeIndex: 1, token: "qqqq")) {
            try Tokenizer(json: try tokenizerJSON(replacing: "model", with: .object(model)), source: "s.json")
        }
    }

    @Test func wrongFieldKindsNameTheField() throws {
        #expect(throws: TokenizationError.invalidField(source: "v.json", path: "added_tokens[0].id", reason: "must be a whole number, found a string")) {
            try Tokenizer(json: try tokenizerJSON(replacing: "added_tokens", with: .array([.object([("id", .string("0")), ("content", .string("x"))])])),
                          source: "v.json")
        }
        #expect(throws: TokenizationError.missingField(source: "v.json", path: "model")) {
            try Tokenizer(json: .object([("version", .string("1.0"))]), source: "v.json")
        }
        #expect(throws: TokenizationError.invalidField(source: "v.json", path: "version", reason: "is \"2.0\"; only \"1.0\" exists")) {
            try Tokenizer(json: try tokenizerJSON(replacing: "version", with: .string("2.0")), source: "v.json")
        }
    }

    @Test func invalidUTF8InFilesIsFound() throws {
        let json = try temporaryFile(Array(#"{"version": "1.0", "x": ""#.utf8) + [0xFF, 0x22, 0x7D], name: "bad.json")
        defer { try? FileManager.default.removeItem(at: json) }
        #expect(throws: TokenizationError.invalidUTF8(source: json.path, byteOffset: 25, line: 1)) { try Tokenizer(contentsOf: json) }

        let corpus = try temporaryFile(Array("fine line\nsecond line\nbad ".utf8) + [0xC0, 0xAF] + Array(" overlong\n".utf8), name: "bad.txt")
        defer { try? FileManager.default.removeItem(at: corpus) }
        #expect(throws: TokenizationError.invalidUTF8(source: corpus.path, byteOffset: 26, line: 3)) {
            try BPETrainer(.byteLevel(vocabularySize: 300)).train(files: [corpus])
        }
    }

    @Test func emptyCorpusIsAnError() throws {
        let empty = try temporaryFile([], name: "empty.txt")
        defer { try? FileManager.default.removeItem(at: empty) }
        #expect(throws: TokenizationError.emptyCorpus(source: empty.path)) { try BPETrainer(.byteLevel(vocabularySize: 300)).train(files: [empty]) }
        #expect(throws: TokenizationError.emptyCorpus(source: "texts")) {
            try BPETrainer(.byteLevel(vocabularySize: 300)).train(texts: ["   "], preTokenizer: WhitespaceSplitPreTokenizer())
        }
        let missing = URL(fileURLWithPath: "/nonexistent/corpus.txt")
        #expect(throws: TokenizationError.self) { try BPETrainer(.byteLevel(vocabularySize: 300)).train(files: [missing]) }
    }

    @Test func brokenMergesFileNamesTheLine() throws {
        let vocabulary = try temporaryFile(Array(#"{"a": 0, "b": 1, "ab": 2}"#.utf8), name: "vocab.json")
        let merges = try temporaryFile(Array("#version: 0.2\na b\na b c\n".utf8), name: "merges.txt")
        defer { try? FileManager.default.removeItem(at: vocabulary); try? FileManager.default.removeItem(at: merges) }
        #expect(throws: TokenizationError.invalidField(source: merges.path, path: "line 3",
                                                       reason: "is \"a b c\"; each line of merges.txt holds two tokens separated by one space")) {
            try Tokenizer.gpt2(vocabulary: vocabulary, merges: merges)
        }
    }

    @Test func impossibleSettingsAreErrorsNotTraps() throws {
        var tokenizer = try Fixtures.tokenizer("small-template.json")
        tokenizer.truncation = Truncation(maxLength: 6, stride: 4)   // 6 − 2 special tokens = 4 ≤ stride
        #expect(throws: TokenizationError.self) { try tokenizer.encode("a long enough text to need truncation here") }
        tokenizer.truncation = Truncation(maxLength: 1)                // fewer than the special tokens
        #expect(throws: TokenizationError.self) { try tokenizer.encode("text") }
        tokenizer.truncation = Truncation(maxLength: 8, strategy: .onlySecond)
        #expect(throws: TokenizationError.self) { try tokenizer.encode("only one sequence, and it is too long for eight") }
        #expect(throws: TokenizationError.self) { try BPETrainer(.byteLevel(vocabularySize: 0)).train(texts: ["x"]) }
        var configuration = BPETrainerConfiguration.byteLevel(vocabularySize: 300)
        configuration.specialTokens = [""]
        #expect(throws: TokenizationError.self) { try BPETrainer(configuration).train(texts: ["x"]) }
    }

    @Test func savingNeverLeavesAHalfWrittenFile() throws {
        let tokenizer = try Fixtures.tokenizer("small-bpe.json")
        let target = URL(fileURLWithPath: "/nonexistent-dir/tokenizer.json")
        #expect(throws: TokenizationError.self) { try tokenizer.save(to: target) }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("save-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try tokenizer.save(to: folder.appendingPathComponent("tokenizer.json"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["tokenizer.json"])
    }
}

/// Random damage to a valid tokenizer.json (flipped, dropped and inserted bytes) must give either
/// a tokenizer or a TokenizationError, never a trap; the same for random bytes given to encode.
@Suite struct FuzzedInputTests {
    @Test func damagedFilesNeverTrap() throws {
        let original = [UInt8](try Data(contentsOf: Fixtures.url("small-template.json")))
        var random = TestRandom(state: 2026)
        var loaded = 0, refused = 0
        for _ in 0..<150 {
            var bytes = original
            for _ in 0..<(1 + random.below(4)) {
                let position = random.below(bytes.count)
                switch random.below(3) {
                case 0: bytes[position] = UInt8(random.below(256))
                case 1: bytes.remove(at: position)
                default:
                    let syntax = Array(#"{}[]",:0-9e\u"#.utf8)
                    bytes.insert(syntax[random.below(syntax.count)], at: position)
                }
            }
            do {
                let tokenizer = try Tokenizer(json: try JSONParser.parse(bytes, source: "fuzz.json"), source: "fuzz.json")
                _ = try? tokenizer.encode("kalo minve 中文 😀", pair: "tra den")
                loaded += 1
            } catch is TokenizationError {
                refused += 1
            }
        }
        #expect(loaded + refused == 150 && refused > 0)
    }

    @Test func randomBytesNeverTrap() throws {
        let tokenizer = try Fixtures.tokenizer("small-roberta.json")
        var random = TestRandom(state: 99)
        for _ in 0..<300 {
            let bytes = (0..<random.below(64)).map { _ in UInt8(random.below(256)) }
            do {
                let encoding = try tokenizer.encode(utf8: bytes)
                #expect(encoding.count <= 18 || encoding.overflowing.isEmpty == false)
            } catch let error as TokenizationError {
                guard case .invalidUTF8 = error else { Issue.record("\(error)"); continue }
            }
        }
    }
}

@Suite struct TrainerEdgeCaseTests {
    /// A vocabulary size below the alphabet stops before the first merge (as HF: the special
    /// tokens and the 256 byte characters are always there); max_token_length 1 forbids all merges
    /// after the first pair count; random Unicode trains without trouble and round-trips.
    @Test func edgeSettingsAndRandomText() throws {
        var random = TestRandom(state: 5)
        var texts: [String] = []
        for _ in 0..<200 {
            var scalars = String.UnicodeScalarView()
            for _ in 0..<random.below(30) {
                let choices: [UInt32] = [0x20, 0x0A, 0x61, 0x62, 0x4E2D, 0x1F600, 0x301, 0x3000, 0x27, 0x73]
                scalars.append(Unicode.Scalar(choices[random.below(choices.count)])!)
            }
            texts.append(String(scalars))
        }
        let tiny = try BPETrainer(.byteLevel(vocabularySize: 10)).train(texts: texts)
        #expect((tiny.model as? BPE)?.merges.isEmpty == true && tiny.vocabularySize == 261)

        var configuration = BPETrainerConfiguration.byteLevel(vocabularySize: 400, minimumFrequency: 1)
        configuration.maxTokenLength = 2
        let short = try BPETrainer(configuration).train(texts: texts)
        let bpe = try #require(short.model as? BPE)
        #expect(bpe.merges.allSatisfy { ($0.0 + $0.1).unicodeScalars.count <= 2 })
        for text in texts { #expect(try short.decode(short.encode(text).ids) == text) }

        let plain = try BPETrainer(BPETrainerConfiguration()).train(texts: texts, preTokenizer: WhitespacePreTokenizer(), decoder: nil)
        #expect(try plain.encode(texts[0]).count >= 0)
    }
}
