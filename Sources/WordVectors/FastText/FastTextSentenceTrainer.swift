// FastTextSentenceTrainer: one thread's work on one line for FastText. The input vector of a word
// is h = mean of its rows (own row + n-gram rows). fastText applies every step's gradient g to
// each of those rows unscaled (row += g for all rows), so the mean moves by g (by g·Σm²/n when a
// row is listed m > 1 times): we keep h up to date after each context word and add Σg to the rows
// once per centre word — the same arithmetic as fastText's per-context recomputation, with one pass
// over the rows instead of one per context word.
// Reference: fastText src/fasttext.cc (skipgram, cbow), model.cc (update, computeHidden).
// Not handled: hierarchical softmax and softmax losses.

struct FastTextSentenceTrainer {
    let config: FastTextConfig
    let tables: SentenceTrainer.Tables
    let subwords: SubwordTables
    let input: UnsafeMutablePointer<Float>    // [W + B, D] (fastText: wi_)
    let output: UnsafeMutablePointer<Float>   // [W, D] (fastText: wo_)
    var random: TrainingRandom
    /// Keeps the prefetching reads of `computeHidden` from being optimised away.
    var prefetchSink: UInt32 = 0
    let kept: UnsafeMutablePointer<Int>
    let targets: UnsafeMutablePointer<Int>
    let hidden: UnsafeMutablePointer<Float>          // h, [D]
    let stepGradient: UnsafeMutablePointer<Float>    // g of one step, [D]
    let totalGradient: UnsafeMutablePointer<Float>   // Σ g over a centre word's steps, [D]
    var bag: [Int32] = []                            // CBOW: rows of all context words

    init(config: FastTextConfig, tables: SentenceTrainer.Tables, subwords: SubwordTables,
         input: UnsafeMutablePointer<Float>, output: UnsafeMutablePointer<Float>, thread: Int) {
        self.config = config
        self.tables = tables
        self.subwords = subwords
        self.input = input
        self.output = output
        random = TrainingRandom(runSeed: config.seed, thread: thread)
        // Each on lines of its own: the other thread's scratch must not share them (ThreadScratch).
        kept = allocateThreadScratch(Int.self, count: config.maxSentenceLength)
        targets = allocateThreadScratch(Int.self, count: config.negative + 1)
        hidden = allocateThreadScratch(Float.self, count: config.dimension)
        stepGradient = allocateThreadScratch(Float.self, count: config.dimension)
        totalGradient = allocateThreadScratch(Float.self, count: config.dimension)
    }

    func deallocate() {
        deallocateThreadScratch(kept); deallocateThreadScratch(targets); deallocateThreadScratch(hidden)
        deallocateThreadScratch(stepGradient); deallocateThreadScratch(totalGradient)
    }

    mutating func train(sentence: UnsafeBufferPointer<Int32>, learningRate: Float) {
        var length = 0
        for word in sentence where random.next32() <= tables.keepThresholds[Int(word)] {
            kept[length] = Int(word)
            length += 1
        }
        guard length >= 2 else { return }
        switch config.architecture {
        case .skipGram: trainSkipGram(length: length, learningRate: learningRate)
        case .cbow: trainCBOW(length: length, learningRate: learningRate)
        }
    }

    /// fastText's getNegative: noise words, redrawn while they equal the positive word.
    @inline(__always)
    private mutating func drawTargets(positive: Int) {
        targets[0] = positive
        for index in 1...config.negative {
            var noise = tables.noiseWord(random.next())
            while noise == positive && tables.vocabularySize > 1 { noise = tables.noiseWord(random.next()) }
            targets[index] = noise
        }
    }

    /// h = mean of `rows` (fastText's computeHidden).
    @inline(__always)
    private mutating func computeHidden(_ rows: UnsafeBufferPointer<Int32>) {
        let D = config.dimension
        // The n-gram rows are scattered over a large matrix: read one value per cache line of every
        // row first, so that all their cache misses are in flight together (a software prefetch),
        // instead of one row at a time inside the sums below.
        var touched: UInt32 = 0
        for row in rows {
            let base = input + Int(row) * D
            var offset = 0
            while offset < D {
                touched &+= base[offset].bitPattern
                offset += 16
            }
        }
        prefetchSink &+= touched
        hidden.update(repeating: 0, count: D)
        for row in rows { axpy(1, input + Int(row) * D, hidden, D) }
        let scale = 1 / Float(rows.count)
        for index in 0..<D { hidden[index] *= scale }
    }

    private mutating func trainSkipGram(length: Int, learningRate: Float) {
        let D = config.dimension
        for center in 0..<length {
            let boundary = 1 + random.next(below: config.window)     // fastText: uniform(1, ws)
            let word = kept[center]
            let rows = UnsafeBufferPointer(start: subwords.rows + subwords.starts[word],
                                           count: subwords.starts[word + 1] - subwords.starts[word])
            computeHidden(rows)
            totalGradient.update(repeating: 0, count: D)
            let low = max(0, center - boundary), high = min(length, center + boundary + 1)
            for position in low..<high where position != center {
                drawTargets(positive: kept[position])
                negativeSamplingStep(
                    input: hidden, targets: targets, targetCount: config.negative + 1, outputVectors: output,
                    dimension: D, learningRate: learningRate, sigmoid: tables.sigmoid, inputGradient: stepGradient)
                axpy(subwords.shift[word], stepGradient, hidden, D)  // every row += g: h += g·Σm²/n
                axpy(1, stepGradient, totalGradient, D)
            }
            for row in rows { axpy(1, totalGradient, input + Int(row) * D, D) }
        }
    }

    private mutating func trainCBOW(length: Int, learningRate: Float) {
        let D = config.dimension
        for center in 0..<length {
            let boundary = 1 + random.next(below: config.window)
            bag.removeAll(keepingCapacity: true)
            let low = max(0, center - boundary), high = min(length, center + boundary + 1)
            for position in low..<high where position != center {
                let word = kept[position]
                for index in subwords.starts[word]..<subwords.starts[word + 1] { bag.append(subwords.rows[index]) }
            }
            if bag.isEmpty { continue }
            bag.withUnsafeBufferPointer { computeHidden($0) }
            drawTargets(positive: kept[center])
            negativeSamplingStep(
                input: hidden, targets: targets, targetCount: config.negative + 1, outputVectors: output,
                dimension: D, learningRate: learningRate, sigmoid: tables.sigmoid, inputGradient: stepGradient)
            for row in bag { axpy(1, stepGradient, input + Int(row) * D, D) }
        }
    }
}
