// Tests of the vector files: every real file from gensim's test data loads to exactly the vectors
// gensim loads (golden-files.json), fastText .bin vectors — known and unknown words — equal both
// gensim's and the official fastText bindings', writing round-trips, and bad files give typed errors.

import Foundation
import Testing
import TestSupport
@testable import WordVectors

private func golden() throws -> [String: [String: Any]] {
    try #require(try fixtureJSON("golden-files.json") as? [String: [String: Any]])
}

@Test(arguments: ["euclidean_vectors.bin", "toy-model.vec", "test_glove.txt", "crime-and-punishment.vec",
                  "high_precision.kv.bin", "high_precision.kv.txt"])
func word2vecAndGloVeFilesLoadLikeGensim(name: String) throws {
    let entry = try #require(try golden()[name])
    let format = try #require(VectorFileFormat(rawValue: entry["format"] as! String))
    let vectors = try VectorFile.read(URL(fileURLWithPath: fixturePath("gensim/" + name)), format: format)
    #expect(vectors.count == entry["rows"] as? Int)
    #expect(vectors.dimension == entry["dim"] as? Int)
    let order = entry["order"] as! [String], positions = entry["positions"] as! [Int]
    let words = entry["words"] as! [String: Any]
    for (word, position) in zip(order, positions) {
        #expect(vectors.words[position] == word)
        #expect(vectors.row(position) == floats(words[word]), "\(name): \(word)")
    }
}

@Test(arguments: ["toy-model.bin", "lee_fasttext.bin", "lee_fasttext_new.bin", "crime-and-punishment.bin", "non_ascii_fasttext.bin"])
func fastTextBinaryVectorsEqualGensimAndFastText(name: String) throws {
    let entry = try #require(try golden()[name])
    let vectors = try VectorFile.read(URL(fileURLWithPath: fixturePath("gensim/" + name)))   // sniffed as fasttext-bin
    #expect(vectors.count == entry["rows"] as? Int)
    #expect(vectors.dimension == entry["dim"] as? Int)
    #expect(Array(vectors.words.prefix(3)) == entry["first"] as? [String])
    // gensim and fastText sum in different orders: allow float rounding, relative to the scale.
    for reference in ["gensim", "fasttext"] {
        for (word, expected) in entry[reference] as! [String: Any] {
            let ours = try vectors.vector(for: word)
            let error = maxScaledError(ours, floats(expected), floor: 1e-6)
            #expect(error < 2e-6, "\(name) \(reference) \(word): \(error)")
        }
    }
}

@Test func fastTextNgramRowsMatchFastTextSubwordIds() throws {
    for name in ["toy-model.bin", "lee_fasttext_new.bin", "crime-and-punishment.bin"] {
        let entry = try #require(try golden()[name])
        let model = try FastTextBinary.read(URL(fileURLWithPath: fixturePath("gensim/" + name)))
        for (word, value) in entry["subwords"] as! [String: [String: Any]] {
            let known = model.words.firstIndex(of: word)
            let strings = value["subwords"] as! [String], ids = value["ids"] as! [Int]
            #expect(model.subwordRows(for: word, knownIndex: known) == ids, "\(name): \(word)")
            let expectedNgrams = known == nil ? strings : Array(strings.dropFirst())
            #expect(CharacterNgrams.ngrams(of: word, minn: model.minn, maxn: model.maxn) == expectedNgrams)
        }
    }
}

@Test func characterNgramsFollowTheFastTextPaper() {
    // Bojanowski et al. 2017, §3.2: "where", n = 3 → <wh, whe, her, ere, re>.
    #expect(CharacterNgrams.ngrams(of: "where", minn: 3, maxn: 3) == ["<wh", "whe", "her", "ere", "re>"])
    // Multi-byte characters are never split; one-character grams "<" and ">" are skipped.
    #expect(CharacterNgrams.ngrams(of: "né", minn: 1, maxn: 2) == ["<n", "n", "né", "é", "é>"])
    // FNV-1a of "a" (0x61): (2166136261 ^ 0x61) · 16777619 mod 2³² = 0xE40C292C.
    #expect(CharacterNgrams.hash(Array("a".utf8)) == 0xE40C_292C)
    // A byte ≥ 0x80 is sign-extended first: 0xC3 → 0xFFFFFFC3.
    let expected = (UInt32(2_166_136_261) ^ 0xFFFF_FFC3) &* 16_777_619
    #expect(CharacterNgrams.hash([0xC3]) == expected)
}

@Test(arguments: [VectorFileFormat.word2vecBinary, .word2vecText, .gloveText, .fastTextVec])
func writingThenReadingGivesTheSameVectors(format: VectorFileFormat) throws {
    let original = try VectorFile.read(URL(fileURLWithPath: fixturePath("gensim/test_glove.txt")), format: .gloveText)
    let path = temporaryPath("out.\(format.rawValue)")
    try VectorFile.write(original, to: URL(fileURLWithPath: path), format: format)
    let again = try VectorFile.read(URL(fileURLWithPath: path), format: format)
    #expect(again.words == original.words)
    #expect(again.vectors == original.vectors)
    if format == .word2vecBinary {
        // word2vec.c layout: header, then "word " + 4·D bytes + "\n" per row.
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! Int
        var expected = "76 50\n".utf8.count
        for word in original.words { expected += word.utf8.count + 1 + 200 + 1 }
        #expect(size == expected)
    }
}

// MARK: - Bad input

private func expectError(_ path: String, _ format: VectorFileFormat? = nil, _ check: (WordVectorsError) -> Bool) {
    do {
        _ = try VectorFile.read(URL(fileURLWithPath: path), format: format)
        Issue.record("\(path) should not load")
    } catch let error as WordVectorsError {
        #expect(check(error), "unexpected \(error)")
        #expect(error.description.contains(path))
    } catch {
        Issue.record("untyped error \(error)")
    }
}

@Test func truncatedAndGarbledBinaryFilesAreTypedErrors() throws {
    let whole = try Data(contentsOf: fixtureURL("WordVectors/gensim/euclidean_vectors.bin"))
    for cut in [3, 9, 200, whole.count / 2, whole.count - 1] {
        let path = temporaryFile(bytes: Array(whole.prefix(cut)), name: "cut.bin")
        expectError(path, .word2vecBinary) { if case .truncated = $0 { return true }; if case .malformed = $0 { return true }; return false }
    }
    let fast = try Data(contentsOf: fixtureURL("WordVectors/gensim/lee_fasttext_new.bin"))
    for cut in [6, 40, 70, 5000, fast.count - 3] {
        let path = temporaryFile(bytes: Array(fast.prefix(cut)), name: "cut-ft.bin")
        expectError(path, .fastTextBinary) { if case .truncated = $0 { return true }; if case .malformed = $0 { return true }; return false }
    }
    var garbage = [UInt8](repeating: 0, count: 4096)
    var random = TrainingRandom(seed: 5)
    for index in garbage.indices { garbage[index] = UInt8(truncatingIfNeeded: random.next()) }
    expectError(temporaryFile(bytes: garbage, name: "garbage.bin"), .word2vecBinary) { _ in true }
    expectError(temporaryFile(bytes: garbage, name: "garbage-ft.bin"), .fastTextBinary) { _ in true }
}

@Test func aFileWithoutFastTextsMagicSaysItWasReadAsTheOlderLayout() throws {
    // word2vec text forced through the fastText reader: "2 3\nth" is read as args.dim 171,122,738.
    expectError(temporaryFile("2 3\nthe 1 0 0\n", name: "not-fasttext.bin"), .fastTextBinary) { error in
        guard case let .malformed(_, field, detail) = error else { return false }
        return field == "args.dim" && detail.contains("does not start with fastText's magic number 793712314") && detail.contains("word2vec-bin")
    }
    // With the magic number, the same kind of error does not blame the layout.
    var bytes = [UInt8]()
    for value in [FastTextBinary.magic, 12, 0] { withUnsafeBytes(of: value.littleEndian) { bytes += $0 } }
    expectError(temporaryFile(bytes: bytes + [UInt8](repeating: 0, count: 64), name: "dim-zero.bin"), .fastTextBinary) { error in
        guard case let .malformed(_, field, detail) = error else { return false }
        return field.hasPrefix("args.dim") && !detail.contains("magic")
    }
}

@Test func headerPromisingMoreRowsThanPresentIsTruncated() throws {
    let text = temporaryFile("3 2\na 1 2\nb 3 4\n", name: "short.txt")
    expectError(text, .word2vecText) { if case .truncated = $0 { return true }; return false }
    var bytes = Array("2 2\nx ".utf8)
    withUnsafeBytes(of: Float(1).bitPattern.littleEndian) { bytes += $0 }
    withUnsafeBytes(of: Float(2).bitPattern.littleEndian) { bytes += $0 }
    bytes += [10]
    expectError(temporaryFile(bytes: bytes, name: "short.bin"), .word2vecBinary) { if case .truncated = $0 { return true }; return false }
    // A header promising 10¹² rows must fail before allocating anything.
    expectError(temporaryFile("1000000000000 100\na 1\n", name: "huge.bin"), .word2vecBinary) { if case .truncated = $0 { return true }; return false }
}

@Test func dimensionZeroAndBadNumbersAreMalformed() throws {
    expectError(temporaryFile("2 0\na\nb\n", name: "zero.txt"), .word2vecText) { if case .malformed = $0 { return true }; return false }
    expectError(temporaryFile("2 0\n", name: "zero.bin"), .word2vecBinary) { if case .malformed = $0 { return true }; return false }
    expectError(temporaryFile("a\nb\n", name: "zero-glove.txt"), .gloveText) { if case .malformed = $0 { return true }; return false }
    expectError(temporaryFile("1 2\na 1 zwei\n", name: "nan.txt"), .word2vecText) { if case .malformed = $0 { return true }; return false }
    expectError(temporaryFile("1 2\na 1 2 3\n", name: "wide.txt"), .word2vecText) { if case .malformed = $0 { return true }; return false }
    // fastText header with dim = 0 (bytes 8…11 of a v12 file).
    var fast = Array(try Data(contentsOf: fixtureURL("WordVectors/gensim/toy-model.bin")))
    fast[8] = 0; fast[9] = 0; fast[10] = 0; fast[11] = 0
    expectError(temporaryFile(bytes: fast, name: "dim0.bin"), .fastTextBinary) { if case .malformed = $0 { return true }; return false }
}

@Test func nonUTF8WordsAreTypedErrorsOrReplaced() throws {
    // A real fastText model whose words are cp852 bytes (gensim's test data).
    let path = fixturePath("gensim/cp852_fasttext.bin")
    expectError(path, .fastTextBinary) { if case .invalidUTF8 = $0 { return true }; return false }
    let replaced = try VectorFile.read(URL(fileURLWithPath: path), format: .fastTextBinary, replaceInvalidUTF8: true)
    #expect(replaced.count > 0)
    #expect(replaced.words.contains { $0.contains("\u{FFFD}") })
    var text = Array("1 2\n".utf8) + [0x61, 0xFF] + Array(" 1 2\n".utf8)
    expectError(temporaryFile(bytes: text, name: "latin.txt"), .word2vecText) { if case .invalidUTF8 = $0 { return true }; return false }
    text = Array("1 2\n".utf8) + [0x61, 0xFF, 0x20] + [0, 0, 128, 63, 0, 0, 0, 64]
    expectError(temporaryFile(bytes: text, name: "latin.bin"), .word2vecBinary) { if case .invalidUTF8 = $0 { return true }; return false }
}

@Test func writingIsAtomicAndRejectsUnstorableWords() throws {
    let vectors = KeyedVectors(words: ["a b"], vectors: .init(shape: [1, 2], scalars: [1, 2]))
    let path = temporaryPath("bad.txt")
    #expect(throws: WordVectorsError.self) { try VectorFile.write(vectors, to: URL(fileURLWithPath: path), format: .word2vecText) }
    #expect(!FileManager.default.fileExists(atPath: path))
    #expect(throws: WordVectorsError.self) {
        try VectorFile.write(vectors, to: URL(fileURLWithPath: "/nonexistent-folder/x.txt"), format: .word2vecText)
    }
}
