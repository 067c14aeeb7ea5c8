// BPETrainer: a training run derived by hand, HF parity on the committed synthetic corpus (the
// saved tokenizer.json must equal HF's byte for byte, for three different trainer settings),
// determinism across thread counts, and the merge events the teaching example prints.
import Foundation
import Testing
@testable import Tokenization

@Suite struct BPETrainerTests {
    /// Words: "low" ×3, "lower" ×1, "newest" ×2 (WhitespaceSplit, no byte level).
    /// Alphabet in code point order: e0 l1 n2 o3 r4 s5 t6 w7. Pair counts (weighted by word count):
    /// (l,o)=4 (o,w)=4 (w,e)=3 (n,e)=2 (e,w)=2 (e,s)=2 (s,t)=2 (e,r)=1.
    /// 1. (l,o)=4 and (o,w)=4 tie; the smaller pair of ids (1,3) wins → "lo" (8); (o,w) drops to 0.
    /// 2. (lo,w)=4 → "low" (9); in "lower" (w,e) loses 1 → 2, (low,e) = 1.
    /// 3. Count 2: (w,e)=(7,0) (n,e)=(2,0) (e,w)=(0,7) (e,s)=(0,5) (s,t)=(5,6): smallest (0,5) → "es" (10);
    ///    in "newest": (w,e) −2 → 0, (s,t) −2 → 0, (w,es) = 2, (es,t) = 2.
    /// 4. Count 2: (n,e)=(2,0) (e,w)=(0,7) (w,es)=(7,10) (es,t)=(10,6): (0,7) → "ew" (11).
    /// 5. (n,ew)=(2,11) (ew,es)=(11,10) (es,t)=(10,6): (2,11) → "new" (12).
    /// 6. (new,es)=(12,10) (es,t)=(10,6): (10,6) → "est" (13). Vocabulary size 14 reached.
    @Test func handDerivedMerges() throws {
        var configuration = BPETrainerConfiguration()
        configuration.vocabularySize = 14
        var events: [BPETrainer.MergeEvent] = []
        let tokenizer = try BPETrainer(configuration).train(texts: ["low low low lower newest newest"], preTokenizer: WhitespaceSplitPreTokenizer(),
                                                            decoder: nil, onMerge: { events.append($0) })
        let bpe = try #require(tokenizer.model as? BPE)
        #expect(bpe.merges.map { "\($0.0) \($0.1)" } == ["l o", "lo w", "e s", "e w", "n ew", "es t"])
        #expect(events.map(\.count) == [4, 4, 2, 2, 2, 2])
        #expect(events.map(\.mergedID) == [8, 9, 10, 11, 12, 13])
        #expect(bpe.vocabulary["e"] == 0 && bpe.vocabulary["w"] == 7 && bpe.vocabulary["est"] == 13)
        #expect(try tokenizer.encode("lowest").tokens == ["low", "est"])
    }

    /// HF trained small-bpe.json (vocab 600, min frequency 2, byte level) on small-corpus.txt.
    @Test func byteLevelFileEqualsHF() throws {
        try expectSameFile("small-bpe.json", .byteLevel(vocabularySize: 600))
    }

    /// max_token_length 4 and min frequency 3 (training stops early: the vocabulary ends at 423).
    @Test func maxTokenLengthFileEqualsHF() throws {
        var configuration = BPETrainerConfiguration.byteLevel(vocabularySize: 500, minimumFrequency: 3)
        configuration.maxTokenLength = 4
        try expectSameFile("small-bpe-maxlen4.json", configuration)
    }

    /// NFKC + lowercase, Whitespace pre-tokeniser, "</w>" suffix, alphabet limited to 40.
    /// HF gives the suffixed characters ("e</w>") ids in hash-map order, which changes from run to
    /// run (three HF runs gave three orders), so here the merges must be equal and the vocabularies
    /// must hold the same tokens; ours numbers them in first-seen order, the same every run.
    @Test func whitespaceSuffixMergesEqualHF() throws {
        var configuration = BPETrainerConfiguration()
        configuration.vocabularySize = 400
        configuration.minimumFrequency = 2
        configuration.specialTokens = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]
        configuration.limitAlphabet = 40
        configuration.endOfWordSuffix = "</w>"
        try expectSameFile("small-whitespace-suffix.json", configuration,
                           normalizer: NormalizerSequence([UnicodeNormalizer(.nfkc), LowercaseNormalizer()]),
                           preTokenizer: WhitespacePreTokenizer(), decoder: nil, exactIDs: false)
    }

    @Test func sameMergesForAnyThreadCount() throws {
        var merges: [[String]] = []
        for threads in [1, 2, 5] {
            var configuration = BPETrainerConfiguration.byteLevel(vocabularySize: 450)
            configuration.threads = threads
            let tokenizer = try BPETrainer(configuration).train(files: [Fixtures.url("small-corpus.txt")])
            merges.append((tokenizer.model as? BPE)?.merges.map { $0.0 + " " + $0.1 } ?? [])
        }
        #expect(merges[0].count == 450 - 5 - 256)
        #expect(merges[0] == merges[1] && merges[1] == merges[2])
    }

    private func expectSameFile(_ name: String, _ configuration: BPETrainerConfiguration,
                                normalizer: (any Normalizer)? = nil,
                                preTokenizer: any PreTokenizer = ByteLevelPreTokenizer(addPrefixSpace: false),
                                decoder: (any TokenDecoder)? = ByteLevelDecoder(), exactIDs: Bool = true,
                                sourceLocation: SourceLocation = #_sourceLocation) throws {
        var configuration = configuration
        configuration.threads = 2
        let tokenizer = try BPETrainer(configuration).train(files: [Fixtures.url("small-corpus.txt")], normalizer: normalizer,
                                                            preTokenizer: preTokenizer, decoder: decoder)
        let ours = try #require(tokenizer.model as? BPE)
        let hf = try #require(try Fixtures.tokenizer(name).model as? BPE)
        let agreeing = zip(ours.merges, hf.merges).prefix { $0.0 == $1.0 && $0.1 == $1.1 }.count
        #expect(ours.merges.count == hf.merges.count && agreeing == hf.merges.count,
                "\(name): the first \(agreeing) of \(hf.merges.count) merges agree", sourceLocation: sourceLocation)
        #expect(Set(ours.vocabulary.keys) == Set(hf.vocabulary.keys), "\(name): vocabularies differ", sourceLocation: sourceLocation)
        if exactIDs {
            let expected = [UInt8](try Data(contentsOf: Fixtures.url(name)))
            let identical = JSONWriter.bytes(tokenizer.json, pretty: true) == expected
            #expect(identical, "\(name): our tokenizer.json is not byte-identical to HF's", sourceLocation: sourceLocation)
        }
    }
}
