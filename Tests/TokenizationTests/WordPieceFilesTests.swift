// WordPiece files: vocab.txt alone gives transformers' BertTokenizer ids (do_lower_case true and
// false, pairs with type ids); a tokenizer.json written by HF is written back byte for byte;
// vocab.txt round-trips; BertProcessing (the older spelling of BERT's template) matches the
// template; bad files give typed errors that name the file and the field.
// Fixtures: Scripts/huggingface/make_wordpiece_fixtures.py.
import Foundation
import Testing
import TestSupport
@testable import Tokenization

@Suite struct WordPieceFilesTests {
    static let vocabularyURL = fixtureURL("HuggingFace/bert-vocab-subset.txt")

    @Test func vocabTxtGivesTransformersBertTokenizerIds() throws {
        let texts = Fixtures.strings(try Fixtures.json("../HuggingFace/wordpiece-texts.json")["texts"])
        let pairs = (try Fixtures.json("../HuggingFace/wordpiece-texts.json")["pairs"]?.arrayValue ?? []).map { Fixtures.strings($0) }
        let expected = try Fixtures.json("../HuggingFace/bert-vocab-hf.json")
        let uncased = try Tokenizer.bert(vocabulary: Self.vocabularyURL)
        let cased = try Tokenizer.bert(vocabulary: Self.vocabularyURL, lowercase: false)
        let lowercaseIDs = expected["lowercase"]?.arrayValue ?? [], casedIDs = expected["cased"]?.arrayValue ?? []
        #expect(lowercaseIDs.count == texts.count && casedIDs.count == texts.count)
        for (index, text) in texts.enumerated() {
            #expect(try uncased.encode(text).ids == Fixtures.ints(lowercaseIDs[index]), "uncased text \(index) \(text.prefix(20).debugDescription)")
            #expect(try cased.encode(text).ids == Fixtures.ints(casedIDs[index]), "cased text \(index) \(text.prefix(20).debugDescription)")
        }
        for (index, pair) in pairs.enumerated() {
            let encoding = try uncased.encode(pair[0], pair: pair[1])
            #expect(encoding.ids == Fixtures.ints(expected["pair_ids"]?[index]), "pair \(index)")
            #expect(encoding.typeIds == Fixtures.ints(expected["pair_type_ids"]?[index]), "pair \(index) type ids")
        }
    }

    @Test func vocabTxtRoundTrips() throws {
        let tokenizer = try Tokenizer.bert(vocabulary: Self.vocabularyURL)
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("vocab-\(UUID().uuidString).txt")
        defer { try? FileManager.default.removeItem(at: output) }
        try tokenizer.saveWordPieceVocabulary(to: output)
        #expect(try Data(contentsOf: output) == (try Data(contentsOf: Self.vocabularyURL)))
    }

    @Test func hfTokenizerJSONIsWrittenBackByteForByte() throws {
        let url = fixtureURL("HuggingFace/minilm-tokenizer-subset.json")
        let tokenizer = try Tokenizer(contentsOf: url)
        #expect(JSONWriter.bytes(tokenizer.json, pretty: true) == [UInt8](try Data(contentsOf: url)))
    }

    @Test func bertProcessingEqualsTheTemplate() throws {
        var template = try Tokenizer(contentsOf: fixtureURL("HuggingFace/minilm-tokenizer-subset.json"))
        template.truncation = nil
        template.padding = nil
        var bert = template
        bert.postProcessor = BertProcessing(separator: ("[SEP]", 102), classifier: ("[CLS]", 101))
        for (first, second) in [("a man is playing a guitar", nil), ("hello world", "a man is playing"), ("", "x")] as [(String, String?)] {
            #expect(try bert.encode(first, pair: second) == (try template.encode(first, pair: second)), "\(first) / \(second ?? "-")")
        }
        let json = JSONValue.object([("type", .string("BertProcessing")), ("sep", .array([.string("[SEP]"), .integer(102)])),
                                     ("cls", .array([.string("[CLS]"), .integer(101)]))])
        #expect(try ComponentJSON.postProcessor(json, source: "test", path: "post_processor") as? BertProcessing
                == BertProcessing(separator: ("[SEP]", 102), classifier: ("[CLS]", 101)))
    }

    @Test func badFilesAreTypedErrors() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wp-bad-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // vocab.txt without [CLS]: the error names the file and the missing token.
        let noCLS = folder.appendingPathComponent("vocab.txt")
        try Data("[PAD]\n[UNK]\n[SEP]\nhello\n".utf8).write(to: noCLS)
        #expect { try Tokenizer.bert(vocabulary: noCLS) } throws: { error in
            guard case let TokenizationError.invalidField(source, path, _) = error else { return false }
            return source == noCLS.path && path == "[CLS]"
        }
        // A missing file, and bytes that are not UTF-8.
        #expect(throws: TokenizationError.self) { try Tokenizer.bert(vocabulary: folder.appendingPathComponent("absent.txt")) }
        try Data([0x5B, 0x55, 0x4E, 0x4B, 0x5D, 0x0A, 0xFF, 0x0A]).write(to: noCLS)
        #expect { try Tokenizer.bert(vocabulary: noCLS) } throws: { error in
            if case TokenizationError.invalidUTF8(_, 6, 2) = error { return true } else { return false }
        }
        // A WordPiece model whose unk_token is not in its vocabulary.
        let model = JSONValue.object([("type", .string("WordPiece")), ("unk_token", .string("[UNK]")), ("vocab", .object([("a", .integer(0))]))])
        #expect { try ComponentJSON.model(model, source: "t.json", path: "model") } throws: { error in
            guard case let TokenizationError.invalidField(_, path, _) = error else { return false }
            return path == "model.unk_token"
        }
        // An unsupported model type names the type and lists WordPiece among the supported ones.
        let unigram = JSONValue.object([("type", .string("Unigram")), ("vocab", .array([]))])
        #expect { try ComponentJSON.model(unigram, source: "t.json", path: "model") } throws: { error in
            guard case let TokenizationError.unsupportedComponent(_, _, type, supported) = error else { return false }
            return type == "Unigram" && supported.contains("WordPiece")
        }
    }
}
