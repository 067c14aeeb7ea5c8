// Dynamic masking: how many positions (n = max(1, round(0.15 m)), worked out by hand), never a
// special token, the 80/10/10 split (each share forced to 1, then measured over 20,000 draws
// against binomial bounds), whole words kept whole, and line starts counted as word starts.
import Pretraining
import TensorCore
import Testing

@Suite struct MaskingTests {
    let special = SpecialTokenIDs(classification: 2, separator: 3, mask: 4, padding: 0, others: [1])

    func masker(_ configuration: MaskingConfiguration = MaskingConfiguration(), vocabulary: Int = 1000,
                wordStarts: [Bool]? = nil) -> DynamicMasker {
        DynamicMasker(configuration: configuration, special: special, vocabularySize: vocabulary,
                      wordStarts: wordStarts ?? Array(repeating: true, count: vocabulary))
    }

    func sequence(_ count: Int) -> ArraySlice<Int32> {
        ArraySlice([2] + (0..<count).map { Int32(10 + $0) } + [3])
    }

    @Test(arguments: [(20, 3), (10, 2), (3, 1), (1, 1), (100, 15)])
    func choosesRoundOfFifteenPercent(_ maskable: Int, _ expected: Int) {
        // n = max(1, round(0.15 m)): 0.15·20 = 3; 0.15·10 = 1.5 → 2; 0.15·3 = 0.45 → 0 → 1; 0.15·100 = 15.
        var generator = SeededGenerator(seed: 5)
        let choices = masker().choose(sequence(maskable), generator: &generator)
        #expect(choices.count == expected)
        #expect(choices.map(\.position) == choices.map(\.position).sorted())
        #expect(choices.allSatisfy { $0.position > 0 && $0.position <= maskable })  // never [CLS] or [SEP]
        #expect(choices.allSatisfy { $0.target == 10 + $0.position - 1 })
    }

    @Test func eachShareAloneIsExact() {
        var generator = SeededGenerator(seed: 6)
        let all = MaskingConfiguration(probability: 1, maskShare: 1, randomShare: 0)
        #expect(masker(all).choose(sequence(12), generator: &generator).allSatisfy { $0.replacement == 4 })
        let random = MaskingConfiguration(probability: 1, maskShare: 0, randomShare: 1)
        let drawn = masker(random, vocabulary: 8).choose(sequence(200), generator: &generator)
        #expect(drawn.count == 200 && drawn.allSatisfy { (5..<8).contains($0.replacement) })  // ids 0…4 are special
        let kept = MaskingConfiguration(probability: 1, maskShare: 0, randomShare: 0)
        #expect(masker(kept).choose(sequence(12), generator: &generator).allSatisfy { $0.replacement == $0.target })
    }

    @Test func eightyTenTenOverManyDraws() {
        var generator = SeededGenerator(seed: 7)
        var counts = (mask: 0, random: 0, kept: 0)
        let masker = self.masker()
        for _ in 0..<1000 {
            for choice in masker.choose(sequence(133), generator: &generator) {  // 20 choices each
                if choice.replacement == 4 { counts.mask += 1 } else if choice.replacement == choice.target { counts.kept += 1 } else { counts.random += 1 }
            }
        }
        let total = Double(counts.mask + counts.random + counts.kept)
        #expect(total == 20_000)
        // Binomial SD of a share: √(p(1−p)/N) = 0.0028 for 0.8, 0.0021 for 0.1; allow 4 SD. A random
        // draw equals the target with probability 1/995, moving ~0.0001 from "random" to "kept".
        #expect(abs(Double(counts.mask) / total - 0.8) < 0.0114)
        #expect(abs(Double(counts.random) / total - 0.1) < 0.0085)
        #expect(abs(Double(counts.kept) / total - 0.1) < 0.0085)
    }

    @Test func wholeWordsStayWhole() throws {
        // "the teacher remembered a wooden boat" → the | Ġtea che r | Ġrem emb ere d | Ġa | Ġwoo den | Ġboa t
        let text = "the teacher remembered a wooden boat"
        let tokenizer = ToyTokenizer(texts: [text])
        let ids = try tokenizer.tokenIDs([text])[0]
        let words: [[Int]] = [[1], [2, 3, 4], [5, 6, 7, 8], [9], [10, 11], [12, 13]]  // positions after [CLS]
        #expect(ids.count == 13)
        let masker = DynamicMasker(configuration: MaskingConfiguration(probability: 0.3, wholeWord: true),
                                   special: tokenizer.specialTokens, vocabularySize: tokenizer.vocabularySize,
                                   wordStarts: tokenizer.wordStartTable())
        var generator = SeededGenerator(seed: 8)
        var seenWords = Set<Int>()
        for _ in 0..<200 {
            let chosen = Set(masker.choose(ArraySlice([2] + ids.map { Int32($0) } + [3]), generator: &generator).map(\.position))
            #expect(chosen.count <= 4 && !chosen.isEmpty)  // round(0.3 · 13) = 4, and whole words only
            for (index, word) in words.enumerated() {
                let hit = word.filter { chosen.contains($0) }.count
                #expect(hit == 0 || hit == word.count, "word \(word) partly masked: \(chosen.sorted())")
                if hit > 0 { seenWords.insert(index) }
            }
        }
        #expect(seenWords.count == 6)  // every word gets chosen sometimes (ones of 4 tokens fill n alone)
    }

    @Test func aLineStartStartsAWord() throws {
        // Two packed lines "remembered" and "remembered": rem emb ere d has no Ġ, but each follows a
        // special token, so there are two words of 4 tokens. p = 0.5 of 8 → n = 4: exactly one word.
        let tokenizer = ToyTokenizer(texts: ["remembered", "a cat"])  // "Ġcat": the vocabulary marks spaces
        let word = try tokenizer.tokenIDs(["remembered"])[0].map { Int32($0) }
        let masker = DynamicMasker(configuration: MaskingConfiguration(probability: 0.5, wholeWord: true),
                                   special: tokenizer.specialTokens, vocabularySize: tokenizer.vocabularySize,
                                   wordStarts: tokenizer.wordStartTable())
        var generator = SeededGenerator(seed: 9)
        var seen = Set<[Int]>()
        for _ in 0..<50 {
            seen.insert(masker.choose(ArraySlice([2] + word + [3] + word + [3]), generator: &generator).map(\.position))
        }
        #expect(seen == [[1, 2, 3, 4], [6, 7, 8, 9]])
    }

    @Test func wordStartRuleFollowsTheVocabulary() {
        struct Fixed: CorpusTokenizer {
            let pieces: [String]
            let specialTokens = SpecialTokenIDs(classification: 0, separator: 1, mask: 2, padding: 3)
            var vocabularySize: Int { pieces.count }
            func tokenIDs(_ texts: [String]) throws -> [[Int]] { [] }
            func tokenText(_ id: Int) -> String? { pieces[id] }
        }
        let specials = ["[CLS]", "[SEP]", "[MASK]", "[PAD]"]
        // Byte-level: Ġ starts a word; "###" (Markdown in a byte-level vocabulary) does not make it WordPiece.
        #expect(Fixed(pieces: specials + ["the", "\u{0120}cat", "###", "s"]).wordStartTable() == [false, false, false, false, false, true, false, false])
        // WordPiece: ## continues a word.
        #expect(Fixed(pieces: specials + ["the", "cat", "##s"]).wordStartTable() == [false, false, false, false, true, true, false])
        // Neither marker: every token is a word.
        #expect(Fixed(pieces: specials + ["the", "cat"]).wordStartTable() == [false, false, false, false, true, true])
    }

    @Test func batchPadsAndFlattensPositions() {
        var generator = SeededGenerator(seed: 10)
        let batch = masker(MaskingConfiguration(probability: 1, maskShare: 1, randomShare: 0))
            .batch([sequence(2), sequence(4)], generator: &generator)
        // Rows of 4 and 6 tokens padded to 6; masked: row 0 columns 1–2, row 1 columns 1–4.
        #expect(batch.input.length == 6 && batch.input.lengths == [4, 6])
        #expect(batch.maskedPositions == [1, 2, 7, 8, 9, 10])
        #expect(batch.targets == [10, 11, 10, 11, 12, 13])
        #expect(batch.input.ids == [2, 4, 4, 3, 0, 0, 2, 4, 4, 4, 4, 3])
        #expect(batch.tokenCount == 10 && batch.paddingCount == 2)
    }
}
