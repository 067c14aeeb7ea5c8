// The three snippets of the README's "Use from Swift" section, compiled and run here, and the
// README's text checked against this file's, so that neither can drift: each snippet's code lies
// between a "README snippet" line and "end of snippet" below, and must equal the README's block
// (its `import` lines aside). File names in the snippets ("tokenizer.json", "vectors.bin") are
// resolved to committed fixtures by a local `URL(fileURLWithPath:)` that shadows Foundation's.
// Expected values come from HF tokenizers and gensim on the same fixtures (named at each check).
import Foundation
import ShippedWeights
import Testing
import TestSupport
import TinyEncoder

@Suite struct ReadmeSnippetTests {
    /// The snippet names the README uses, and the fixtures that stand in for them.
    static let stand_ins = [
        "tokenizer.json": fixtureURL("HuggingFace/tiny-bert/tokenizer.json"),
        "vectors.bin": fixtureURL("WordVectors/eval-vectors.bin"),
    ]

    @Test func embedAndCompare() throws {
        // README snippet: embed
        let embedder = try SentenceEmbedder.shipped()          // the model in Weights/; or SentenceEmbedder(folder: URL)
        let vectors = try embedder.embed(["A man is playing a guitar.", "Someone plays an instrument.",
                                          "The stock market fell sharply."])
        let close = vectors[0].cosineSimilarity(to: vectors[1])
        let far = vectors[0].cosineSimilarity(to: vectors[2])
        print(embedder.dimension, close, far)                  // not unit vectors: compare by cosine,
        let unit = try embedder.embed(["A man is playing a guitar."], normalize: true)   // or normalise
        // end of snippet
        #expect(vectors.count == 3 && vectors.allSatisfy { $0.count == embedder.dimension })
        #expect(close > far, "a paraphrase must be closer than an unrelated sentence: \(close) vs \(far)")
        #expect(abs(unit[0].norm - 1) < 1e-5)
        #expect(abs(unit[0].dot(vectors[0].normalized()) - 1) < 1e-5)
    }

    @Test func tokenize() throws {
        func URL(fileURLWithPath name: String) -> Foundation.URL { Self.stand_ins[name]! }
        // README snippet: tokenize
        let tokenizer = try Tokenizer(contentsOf: URL(fileURLWithPath: "tokenizer.json"))   // any HF tokenizer.json
        let encoding = try tokenizer.encode("Tokenizers split words into pieces.")      // with [CLS] … [SEP], as HF
        print(encoding.tokens, encoding.ids, encoding.offsets)
        let text = try tokenizer.decode(encoding.ids, skipSpecialTokens: true)
        // end of snippet
        // HF tokenizers 0.22 on the same tokenizer.json: Tokenizer.from_file(…).encode(…).
        #expect(encoding.ids == [2, 59, 344, 345, 446, 272, 403, 46, 822, 74, 1461, 115, 351, 74, 14, 3])
        #expect(encoding.tokens.prefix(4) == ["[CLS]", "to", "##ke", "##ni"])
        #expect(text == "tokenizers split words into pieces.")
    }

    @Test func wordVectors() throws {
        func URL(fileURLWithPath name: String) -> Foundation.URL { Self.stand_ins[name]! }
        // README snippet: word vectors
        let vectors = try VectorFile.read(URL(fileURLWithPath: "vectors.bin"))   // word2vec, GloVe or fastText
        let neighbours = try vectors.mostSimilar(to: "king", topN: 5)             // [(word, cosine)], as gensim
        let answer = try vectors.analogy(a: "man", b: "king", c: "woman")         // man : king = woman : ?
        print(neighbours.map(\.word), answer.first?.word ?? "-")
        // end of snippet
        // gensim 4 on the same file (Scripts/wordvectors/make_fixtures.py → golden-eval.json).
        let golden = try JSONSerialization.jsonObject(with: Data(contentsOf: fixtureURL("WordVectors/golden-eval.json"))) as! [String: Any]
        let king = (golden["most_similar"] as! [String: [[Any]]])["king"]!
        #expect(neighbours.map(\.word) == king.map { $0[0] as! String })
        for (ours, theirs) in zip(neighbours, king) { #expect(abs(Double(ours.similarity) - (theirs[1] as! Double)) < 1e-5) }
        #expect(answer.first?.word == (golden["analogy_add"] as! [[Any]])[0][0] as? String)
    }

    /// The README's blocks and this file's snippets, line for line.
    @Test func readmeShowsTheseSnippets() throws {
        let readme = try String(contentsOf: packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let source = try String(contentsOf: URL(fileURLWithPath: #filePath), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "## Use from Swift").dropFirst().first?
            .components(separatedBy: "\n## ").first, "README.md has no \"## Use from Swift\" section")
        let blocks = section.components(separatedBy: "```swift\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        let readmeSnippets = blocks.map { block in
            block.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
                .filter { !$0.hasPrefix("import ") && !$0.isEmpty }
        }.filter { lines in !lines.isEmpty && !lines.contains { $0.contains(".package(url:") } }
        var ourSnippets: [[String]] = []
        var current: [String]? = nil
        for line in source.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.hasPrefix("// README snippet:") { current = []; continue }
            if trimmed == "// end of snippet" { ourSnippets.append(current ?? []); current = nil; continue }
            if current != nil { current!.append(String(line.dropFirst(8))) }   // two levels of indentation
        }
        #expect(ourSnippets.count == 3)
        #expect(readmeSnippets == ourSnippets)
        #expect(section.contains(".package(url:") && section.contains("from: \"\(tinyEncoderVersion)\""))
    }
}
