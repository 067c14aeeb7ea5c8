// The usage snippets of Sources/Tokenization/README.md and Docs/BPE.md, compiled and run here
// (with fixture paths) so that they never rot.
import Foundation
import Testing
import Tokenization

@Suite struct DocumentationSnippetTests {
    @Test func readmeSnippet() throws {
        let corpusURL = Fixtures.url("small-corpus.txt")
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("snippet-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: output) }

        let tokenizer = try Tokenizer(contentsOf: Fixtures.url("hf-bpe-8k.json"))
        let encoding = try tokenizer.encode("the world")            // ids, tokens, offsets, masks
        let text = try tokenizer.decode(encoding.ids)                // "the world"
        let trained = try BPETrainer(.byteLevel(vocabularySize: 300)).train(files: [corpusURL])
        try trained.save(to: output)

        #expect(encoding.ids == [437, 1906] && encoding.tokens == ["the", "Ġworld"])
        #expect(encoding.offsets == [0..<3, 3..<9])
        #expect(text == "the world")
        #expect(try Tokenizer(contentsOf: output).vocabularySize == 300)
    }

    @Test func typeSnippets() throws {
        // GPT2Split, ByteLevelAlphabet, pre-tokenisers and TemplateProcessing, as their doc comments show.
        #expect(GPT2Split.pieces(of: "Hello  world's") == ["Hello", " ", " world", "'s"])
        #expect(ByteLevelAlphabet.character(for: 0x20) == "Ġ")
        #expect(ByteLevelAlphabet.byte(for: "Ġ") == 0x20)
        #expect(ByteLevelPreTokenizer(addPrefixSpace: false).words(of: "Hello world!") == ["Hello", "Ġworld", "!"])
        #expect(WhitespacePreTokenizer().words(of: "Hey man!") == ["Hey", "man", "!"])
        #expect(WhitespaceSplitPreTokenizer().words(of: "Hey man!") == ["Hey", "man!"])
        #expect(ByteLevelDecoder().decodeChain(["Hello", "Ġw", "orld"]) == ["Hello world"])
        #expect(UnicodeNormalizer(.nfd).normalize("é") == "e\u{301}")
        let bpe = try BPE(vocabulary: ["a": 0, "b": 1, "ab": 2], merges: [("a", "b")])
        #expect(bpe.tokenize("abab").map(\.id) == [2, 2])
        let template = try TemplateProcessing(single: "[CLS] $A [SEP]", pair: "[CLS] $A [SEP] $B:1 [SEP]:1",
                                              specialTokens: [("[CLS]", 2), ("[SEP]", 3)])
        #expect(template.addedTokenCount(isPair: true) == 3)
        #expect(firstInvalidUTF8Byte(in: [0x61, 0xFF]) == 1)
    }
}
