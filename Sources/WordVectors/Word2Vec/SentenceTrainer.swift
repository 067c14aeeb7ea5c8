// SentenceTrainer: one thread's pass over one sentence of word indices: subsampling, the dynamic
// window, and for each centre word the skip-gram pairs or the CBOW mean, each finished by
// `negativeSamplingStep`. It owns the thread's scratch buffers and random stream.
// Reference: word2vec.c TrainModelThread; gensim train_batch_sg / train_batch_cbow.
// Not handled: hierarchical softmax.

/// The per-thread state of a word2vec run. Call `deallocate()` when the thread is done.
struct SentenceTrainer {
    /// Read-only tables shared by all threads (raw pointers into arrays the caller keeps alive).
    struct Tables: @unchecked Sendable {
        let keepThresholds: UnsafePointer<UInt32>
        let noiseKeep: UnsafePointer<UInt32>
        let noiseAlias: UnsafePointer<Int32>
        let vocabularySize: Int
        let sigmoid: SigmoidTable

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
    /// Keeps the prefetching reads of `drawTargets` from being optimised away.
    var prefetchSink: UInt32 = 0
    let kept: UnsafeMutablePointer<Int>       // the sentence after subsampling
    let targets: UnsafeMutablePointer<Int>    // positive + negatives of one step
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
        targets = allocateThreadScratch(Int.self, count: config.negative + 1)
        hidden = allocateThreadScratch(Float.self, count: config.dimension)
        inputGradient = allocateThreadScratch(Float.self, count: config.dimension)
    }

    func deallocate() {
        deallocateThreadScratch(kept)
        deallocateThreadScratch(targets)
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

    /// Fills `targets` with the positive word and `negative` noise words (−1 where a draw hit the
    /// positive word, as word2vec.c skips those).
    @inline(__always)
    private mutating func drawTargets(positive: Int) {
        targets[0] = positive
        let D = config.dimension
        var touched: UInt32 = 0
        for index in 1...config.negative {
            let noise = tables.noiseWord(random.next())
            targets[index] = noise == positive ? -1 : noise
            // Read the noise row's first value now: the cache misses of all k rows then overlap
            // instead of arriving one at a time inside the dot products (a software prefetch).
            touched &+= output[noise * D].bitPattern
        }
        prefetchSink &+= touched
    }

    // MARK: - Skip-gram

    /// For each centre word c and each context word o in its window, o's input vector predicts c
    /// (word2vec.c's order: the context row is the one that gets the input gradient).
    private mutating func trainSkipGram(length: Int, learningRate: Float) {
        let D = config.dimension, window = config.window
        for center in 0..<length {
            let shrink = random.next(below: window)              // dynamic window: 1...window
            let low = max(0, center - window + shrink)
            let high = min(length, center + window + 1 - shrink)
            for position in low..<high where position != center {
                let contextRow = input + kept[position] * D      // v, the row being trained
                drawTargets(positive: kept[center])
                negativeSamplingStep(
                    input: contextRow, targets: targets, targetCount: config.negative + 1,
                    outputVectors: output, dimension: D, learningRate: learningRate,
                    sigmoid: tables.sigmoid, inputGradient: inputGradient)
                axpy(1, inputGradient, contextRow, D)            // v += Σ g_t u_t
            }
        }
    }

    // MARK: - CBOW

    /// For each centre word, h = mean of the context input vectors predicts it; every context row
    /// then receives the whole input gradient (as word2vec.c and gensim with cbow_mean=1 do).
    private mutating func trainCBOW(length: Int, learningRate: Float) {
        let D = config.dimension, window = config.window
        for center in 0..<length {
            let shrink = random.next(below: window)
            let low = max(0, center - window + shrink)
            let high = min(length, center + window + 1 - shrink)
            hidden.update(repeating: 0, count: D)
            var contextCount = 0
            for position in low..<high where position != center {
                axpy(1, input + kept[position] * D, hidden, D)   // h = Σ v_j
                contextCount += 1
            }
            if contextCount == 0 { continue }
            if config.cbowMean {
                let scale = 1 / Float(contextCount)
                for index in 0..<D { hidden[index] *= scale }    // h = mean v_j
            }
            drawTargets(positive: kept[center])
            negativeSamplingStep(
                input: hidden, targets: targets, targetCount: config.negative + 1,
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
        }
    }
}
