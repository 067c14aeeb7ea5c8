// SentenceTrainer: one thread's pass over one sentence of word indices: subsampling, the dynamic
// window, and for each centre word the skip-gram pairs or the CBOW mean, each finished by
// `negativeSamplingStep`. It owns the thread's scratch buffers and random stream. Each centre
// word's random draws are made one centre ahead (a `Plan`), in word2vec.c's order, so that the
// rows of the next step can be prefetched while the current one computes.
// Reference: word2vec.c TrainModelThread; gensim train_batch_sg / train_batch_cbow.
// Not handled: hierarchical softmax.

import CKernels

/// The per-thread state of a word2vec run. Call `deallocate()` when the thread is done.
struct SentenceTrainer {
    /// Read-only tables shared by all threads (raw pointers into arrays the caller keeps alive).
    struct Tables: @unchecked Sendable {
        // @unchecked: read-only pointers into arrays that the run keeps alive until every thread ends.
        let keepThresholds: UnsafePointer<UInt32>
        let noiseKeep: UnsafePointer<UInt32>
        let noiseAlias: UnsafePointer<Int32>
        let vocabularySize: Int
        let sigmoid: SigmoidTable

        /// Binds the sampling tables (subsampling thresholds, the noise sampler's two arrays) for
        /// `body`, shared by word2vec and fastText training.
        static func binding<R>(keepThresholds: [UInt32], noise: AliasSampler, vocabularySize: Int, sigmoid: SigmoidTable,
                               _ body: (Tables) throws -> R) rethrows -> R {
            try keepThresholds.withUnsafeBufferPointer { keep in
                try noise.keep.withUnsafeBufferPointer { noiseKeep in
                    try noise.alias.withUnsafeBufferPointer { noiseAlias in
                        try body(Tables(keepThresholds: keep.baseAddress!, noiseKeep: noiseKeep.baseAddress!,
                                        noiseAlias: noiseAlias.baseAddress!, vocabularySize: vocabularySize, sigmoid: sigmoid))
                    }
                }
            }
        }

        /// One draw from the noise distribution (AliasSampler.sample on raw tables).
        @inline(__always)
        func noiseWord(_ bits: UInt64) -> Int {
            let column = Int(((bits >> 32) &* UInt64(vocabularySize)) >> 32)
            return UInt32(truncatingIfNeeded: bits) < noiseKeep[column] ? column : Int(noiseAlias[column])
        }
    }

    let config: Word2VecConfig
    let tables: Tables
    let input: UnsafeMutablePointer<Float>   // [V, D] word2vec.c: syn0
    let output: UnsafeMutablePointer<Float>  // [V, D] word2vec.c: syn1neg
    var random: TrainingRandom
    let kept: UnsafeMutablePointer<Int>       // the sentence after subsampling
    /// Two centre words' plans (the one running and the next): per pair, positive + negatives.
    let planTargets: UnsafeMutablePointer<Int>
    /// Per plan and pair, the context word whose input row the pair trains (skip-gram).
    let planContexts: UnsafeMutablePointer<Int>
    let hidden: UnsafeMutablePointer<Float>   // CBOW: mean of the context vectors, [D]
    let inputGradient: UnsafeMutablePointer<Float>  // −η ∂L/∂h, [D]

    init(config: Word2VecConfig, tables: Tables, input: UnsafeMutablePointer<Float>,
         output: UnsafeMutablePointer<Float>, seed: UInt64, thread: Int) {
        self.config = config
        self.tables = tables
        self.input = input
        self.output = output
        random = TrainingRandom(runSeed: seed, thread: thread)
        // Each on lines of its own: the other thread's scratch must not share them (ThreadScratch).
        kept = allocateThreadScratch(Int.self, count: config.maxSentenceLength)
        planTargets = allocateThreadScratch(Int.self, count: 2 * Self.pairsPerCentre(config) * (config.negative + 1))
        planContexts = allocateThreadScratch(Int.self, count: 2 * Self.pairsPerCentre(config))
        hidden = allocateThreadScratch(Float.self, count: config.dimension)
        inputGradient = allocateThreadScratch(Float.self, count: config.dimension)
    }

    func deallocate() {
        deallocateThreadScratch(kept)
        deallocateThreadScratch(planTargets)
        deallocateThreadScratch(planContexts)
        deallocateThreadScratch(hidden)
        deallocateThreadScratch(inputGradient)
    }

    /// Trains on one sentence at `learningRate`.
    mutating func train(sentence: UnsafeBufferPointer<Int32>, learningRate: Float) {
        // Subsampling: keep word w with probability keepThresholds[w] / 2³².
        var length = 0
        for word in sentence {
            let index = Int(word)
            if random.next32() <= tables.keepThresholds[index] {
                kept[length] = index
                length += 1
            }
        }
        if length < 2 { return }
        switch config.architecture {
        case .skipGram: trainSkipGram(length: length, learningRate: learningRate)
        case .cbow: trainCBOW(length: length, learningRate: learningRate)
        }
    }

    // MARK: - Plans: the random draws of a centre word, made one centre ahead

    /// The most pairs one centre word can have (skip-gram: every other word of the window).
    static func pairsPerCentre(_ config: Word2VecConfig) -> Int { max(1, 2 * config.window) }

    /// What one centre word will do, drawn before it runs: its window and, in `slot` of the plan
    /// buffers, the targets of each pair. Drawing the next centre's plan before running this one
    /// leaves the order of the random draws exactly as word2vec.c's (window, then the noise words
    /// of each pair in turn; the SGD steps draw nothing), while the next rows are known early
    /// enough to be prefetched.
    struct Plan {
        var low = 0, high = 0, pairs = 0, slot = 0
    }

    /// Draws the dynamic window of `center` and the targets of its `pairs` (skip-gram: one per
    /// context word; CBOW: one) into plan slot `slot`.
    private mutating func makePlan(center: Int, length: Int, slot: Int, pairPerContext: Bool) -> Plan {
        let window = config.window
        let shrink = random.next(below: window)              // dynamic window: 1...window
        var plan = Plan(low: max(0, center - window + shrink),
                        high: min(length, center + window + 1 - shrink), pairs: 0, slot: slot)
        let positive = kept[center]
        if pairPerContext {
            for position in plan.low..<plan.high where position != center {
                contexts(of: plan)[plan.pairs] = kept[position]
                drawTargets(positive: positive, into: targets(of: plan, pair: plan.pairs))
                plan.pairs += 1
            }
        } else if plan.high - plan.low > 1 {                 // CBOW draws only with a context
            drawTargets(positive: positive, into: targets(of: plan, pair: 0))
            plan.pairs = 1
        }
        return plan
    }

    /// The positive word and `negative` noise words (−1 where a draw hit the positive word, as
    /// word2vec.c skips those).
    @inline(__always)
    private mutating func drawTargets(positive: Int, into targets: UnsafeMutablePointer<Int>) {
        targets[0] = positive
        for index in 1...config.negative {
            let noise = tables.noiseWord(random.next())
            targets[index] = noise == positive ? -1 : noise
        }
    }

    /// The targets of pair `pair` of `plan`.
    @inline(__always)
    private func targets(of plan: Plan, pair: Int) -> UnsafeMutablePointer<Int> {
        planTargets + (plan.slot * Self.pairsPerCentre(config) + pair) * (config.negative + 1)
    }

    /// The context words of `plan`'s pairs (skip-gram).
    @inline(__always)
    private func contexts(of plan: Plan) -> UnsafeMutablePointer<Int> {
        planContexts + plan.slot * Self.pairsPerCentre(config)
    }

    /// Asks the cache for the output rows of a pair's targets (and, skip-gram, its context's
    /// input row) while the current pair computes.
    @inline(__always)
    private func prefetch(_ plan: Plan, pair: Int, context: Bool) {
        let D = config.dimension
        te_prefetch_rows(output, targets(of: plan, pair: pair), config.negative + 1, D)
        if context { te_prefetch_rows(input, contexts(of: plan) + pair, 1, D) }
    }

    // MARK: - Skip-gram

    /// For each centre word c and each context word o in its window, o's input vector predicts c
    /// (word2vec.c's order: the context row is the one that gets the input gradient).
    private mutating func trainSkipGram(length: Int, learningRate: Float) {
        let D = config.dimension
        var plan = makePlan(center: 0, length: length, slot: 0, pairPerContext: true)
        for center in 0..<length {
            let next = center + 1 < length
                ? makePlan(center: center + 1, length: length, slot: (center + 1) & 1, pairPerContext: true) : nil
            for pair in 0..<plan.pairs {
                if pair + 1 < plan.pairs { prefetch(plan, pair: pair + 1, context: true) }
                else if let next, next.pairs > 0 { prefetch(next, pair: 0, context: true) }
                let contextRow = input + contexts(of: plan)[pair] * D     // v, the row being trained
                negativeSamplingStep(
                    input: contextRow, targets: targets(of: plan, pair: pair), targetCount: config.negative + 1,
                    outputVectors: output, dimension: D, learningRate: learningRate,
                    sigmoid: tables.sigmoid, inputGradient: inputGradient)
                axpy(1, inputGradient, contextRow, D)            // v += Σ g_t u_t
            }
            if let next { plan = next }
        }
    }

    // MARK: - CBOW

    /// For each centre word, h = mean of the context input vectors predicts it; every context row
    /// then receives the whole input gradient (as word2vec.c and gensim with cbow_mean=1 do).
    private mutating func trainCBOW(length: Int, learningRate: Float) {
        let D = config.dimension
        var plan = makePlan(center: 0, length: length, slot: 0, pairPerContext: false)
        for center in 0..<length {
            let next = center + 1 < length
                ? makePlan(center: center + 1, length: length, slot: (center + 1) & 1, pairPerContext: false) : nil
            if let next, next.pairs > 0 { prefetch(next, pair: 0, context: false) }
            let (low, high) = (plan.low, plan.high)
            hidden.update(repeating: 0, count: D)
            var contextCount = 0
            for position in low..<high where position != center {
                axpy(1, input + kept[position] * D, hidden, D)   // h = Σ v_j
                contextCount += 1
            }
            if contextCount == 0 {
                if let next { plan = next }
                continue
            }
            if config.cbowMean {
                let scale = 1 / Float(contextCount)
                for index in 0..<D { hidden[index] *= scale }    // h = mean v_j
            }
            negativeSamplingStep(
                input: hidden, targets: targets(of: plan, pair: 0), targetCount: config.negative + 1,
                outputVectors: output, dimension: D, learningRate: learningRate,
                sigmoid: tables.sigmoid, inputGradient: inputGradient)
            if !config.cbowMean {
                // h = Σ v_j: ∂h/∂v_j = I, so each v_j gets the full gradient, and gensim divides it
                // by the context size to keep steps comparable.
                let scale = 1 / Float(contextCount)
                for index in 0..<D { inputGradient[index] *= scale }
            }
            for position in low..<high where position != center {
                axpy(1, inputGradient, input + kept[position] * D, D)
            }
            if let next { plan = next }
        }
    }
}
