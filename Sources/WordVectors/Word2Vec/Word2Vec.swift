// Word2Vec: skip-gram and CBOW with negative sampling, trained by multi-threaded Hogwild SGD over
// a streamed corpus: per centre word a window of 1...window words each side (dynamic window),
// frequent words subsampled (-sample), learning rate decayed linearly to minLearningRate.
// Reference: Mikolov et al. 2013 (both papers); word2vec.c; gensim word2vec_inner.pyx.
// Not handled: hierarchical softmax; continuing training with a grown vocabulary.

import Foundation
import TensorCore

/// A word2vec model: the vocabulary, the input vectors (the embeddings) and the output vectors.
///
/// Legend: V vocabulary size, D dimension.
///
/// ```swift
/// let corpus = try TextCorpus(contentsOf: URL(fileURLWithPath: "corpus.txt"))
/// let model = try Word2Vec.train(corpus: corpus, config: .skipGram)
/// let neighbours = try model.keyedVectors.mostSimilar(to: "king", topN: 5)
/// ```
public final class Word2Vec {
    public let config: Word2VecConfig
    public let vocabulary: Vocabulary
    /// The word vectors, [V, D] (word2vec.c: syn0). Uniform in ±0.5/D at the start.
    public private(set) var inputVectors: Tensor
    /// The output ("context") vectors of negative sampling, [V, D] (word2vec.c: syn1neg). Zero at the start.
    public private(set) var outputVectors: Tensor
    /// The report of the last `train` call.
    public private(set) var lastReport: TrainingReport?

    /// A model with freshly initialised vectors.
    public init(config: Word2VecConfig, vocabulary: Vocabulary) throws {
        try config.validate()
        // Input and output vectors, [V, D] each, Float32.
        try MemoryBudget.check(2 * Double(vocabulary.count) * Double(config.dimension) * 4,
                               for: "word2vec's input and output vectors (\(vocabulary.count) words × \(config.dimension) dimensions, twice)",
                               fix: "Lower --dim, or raise --min-count to keep fewer words")
        self.config = config
        self.vocabulary = vocabulary
        var generator = SeededGenerator(seed: config.seed)
        let bound = 0.5 / Float(config.dimension)
        inputVectors = generator.uniform(shape: [vocabulary.count, config.dimension], low: -bound, high: bound)
        outputVectors = Tensor(zeros: [vocabulary.count, config.dimension])
    }

    /// Counts the vocabulary, then trains. Progress goes to standard error when `showProgress`.
    public static func train(
        corpus: TextCorpus, config: Word2VecConfig, showProgress: Bool = false
    ) throws -> Word2Vec {
        try config.validate()
        let counting = showProgress ? TrainingProgress(label: "counting") : nil
        let vocabulary = try Vocabulary.count(corpus, minCount: config.minCount, threads: config.threads, progress: counting)
        counting?.finish(done: Double(vocabulary.corpusTokens))
        let model = try Word2Vec(config: config, vocabulary: vocabulary)
        try model.train(corpus: corpus, showProgress: showProgress)
        return model
    }

    /// The trained word vectors with their words and counts.
    public var keyedVectors: KeyedVectors {
        KeyedVectors(words: vocabulary.words, vectors: inputVectors, counts: vocabulary.counts)
    }

    // MARK: - Training

    /// Runs `config.epochs` passes over `corpus` on `config.threads` (default `Threads.count`) threads.
    @discardableResult
    public func train(corpus: TextCorpus, showProgress: Bool = false) throws -> TrainingReport {
        let threads = config.threads ?? Threads.count
        let ranges = corpus.byteRanges(parts: threads)
        let keepThresholds = vocabulary.word2vecKeepThresholds(sample: config.sample)
        let noise = AliasSampler(counts: vocabulary.counts, power: config.negativePower)
        let sigmoid = SigmoidTable()
        defer { sigmoid.deallocate() }
        let wordsRead = SharedCounters(threads: threads)      // known words, for the schedule
        let tokensRead = SharedCounters(threads: threads)     // all tokens, for words/s
        let plannedWords = Double(vocabulary.retainedTokens) * Double(config.epochs)
        let plannedTokens = Double(vocabulary.corpusTokens) * Double(config.epochs)
        let progress = showProgress ? TrainingProgress(label: config.architecture.rawValue) : nil
        let start = TrainingProgress.now()
        let config = self.config
        let table = vocabulary.table

        try withPointers(writing: &inputVectors, &outputVectors) { _, input, output in
            try SentenceTrainer.Tables.binding(keepThresholds: keepThresholds, noise: noise, vocabularySize: vocabulary.count,
                                               sigmoid: sigmoid) { tables in
                try runWorkers(threads: threads) { thread in
                    var trainer = SentenceTrainer(
                        config: config, tables: tables, input: input, output: output,
                        seed: config.seed, thread: thread)
                    defer { trainer.deallocate() }
                    try corpus.forEachSentence(
                        in: ranges[thread], table: table, maxSentenceLength: config.maxSentenceLength,
                        epochs: config.epochs, cacheBudget: config.corpusCacheBytes / threads
                    ) { sentence, tokens in
                            let fraction = Double(wordsRead.total) / plannedWords
                            let rate = linearlyDecayedRate(
                                start: config.learningRate, end: config.minLearningRate, fraction: fraction)
                            trainer.train(sentence: sentence, learningRate: rate)
                            wordsRead.add(sentence.count, thread: thread)
                            tokensRead.add(tokens, thread: thread)
                        if thread == 0, let progress {
                            progress.update(done: Double(tokensRead.total), total: plannedTokens, learningRate: rate)
                        }
                    }
                }
            }
        }
        let report = TrainingReport(seconds: TrainingProgress.now() - start, tokens: tokensRead.total, threads: threads)
        progress?.finish(done: Double(report.tokens))
        lastReport = report
        return report
    }
}
