// FastTextSentenceTrainer: one thread's work on one line for FastText. The input vector of a word
// is h = mean of its rows (own row + n-gram rows). fastText applies every step's gradient g to
// each of those rows unscaled (row += g for all rows), so the mean moves by g (by g·Σm²/n when a
// row is listed m > 1 times): we keep h up to date after each context word and add Σg to the rows
// once per centre word — the same arithmetic as fastText's per-context recomputation, with one pass
// over the rows instead of one per context word.
// Rows are prefetched a step ahead: the next centre word's n-gram rows while this one trains, and
// the next pair's output rows (its noise words drawn early, in fastText's order) during each step.
// Reference: fastText src/fasttext.cc (skipgram, cbow), model.cc (update, computeHidden).
// Not handled: hierarchical softmax and softmax losses.

import CKernels

struct FastTextSentenceTrainer {
    let config: FastTextConfig
    let tables: SentenceTrainer.Tables
    let subwords: SubwordTables
    let input: UnsafeMutablePointer<Float>    // [W + B, D] (fastText: wi_)
    let output: UnsafeMutablePointer<Float>   // [W, D] (fastText: wo_)
    var random: TrainingRandom
    let kept: UnsafeMutablePointer<Int>
    /// Targets drawn ahead: skip-gram, every pair of one centre word; CBOW, the current and the
    /// next centre word. Pair p's positive + negatives start at p · (negative + 1).
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
        targets = allocateThreadScratch(Int.self, count: 2 * max(2, 2 * config.window) * (config.negative + 1))
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
    private mutating func drawTargets(positive: Int, into targets: UnsafeMutablePointer<Int>) {
        targets[0] = positive
        for index in 1...config.negative {
            var noise = tables.noiseWord(random.next())
            while noise == positive && tables.vocabularySize > 1 { noise = tables.noiseWord(random.next()) }
            targets[index] = noise
        }
    }

    /// The input rows of `word` (its own row, then its n-gram buckets).
    @inline(__always)
    private func rows(of word: Int) -> UnsafeBufferPointer<Int32> {
        UnsafeBufferPointer(start: subwords.rows + subwords.starts[word],
                            count: subwords.starts[word + 1] - subwords.starts[word])
    }

    /// Asks the cache for the input rows of `word` ahead of their use.
    @inline(__always)
    private func prefetchRows(of word: Int) {
        let list = rows(of: word)
        te_prefetch_rows_i32(input, list.baseAddress, list.count, config.dimension)
    }

    /// h = mean of `rows` (fastText's computeHidden).
    @inline(__always)
    private mutating func computeHidden(_ rows: UnsafeBufferPointer<Int32>) {
        let D = config.dimension
        hidden.update(repeating: 0, count: D)
        for row in rows { axpy(1, input + Int(row) * D, hidden, D) }
        let scale = 1 / Float(rows.count)
        for index in 0..<D { hidden[index] *= scale }
    }

    private mutating func trainSkipGram(length: Int, learningRate: Float) {
        let D = config.dimension, stride = config.negative + 1
        prefetchRows(of: kept[0])
        for center in 0..<length {
            let boundary = 1 + random.next(below: config.window)     // fastText: uniform(1, ws)
            let word = kept[center]
            let rows = rows(of: word)
            if center + 1 < length { prefetchRows(of: kept[center + 1]) }
            computeHidden(rows)
            totalGradient.update(repeating: 0, count: D)
            let low = max(0, center - boundary), high = min(length, center + boundary + 1)
            // All pairs' noise words now, in the order fastText draws them, so that each step can
            // prefetch the next one's output rows.
            var pairs = 0
            for position in low..<high where position != center {
                drawTargets(positive: kept[position], into: targets + pairs * stride)
                pairs += 1
            }
            for pair in 0..<pairs {
                if pair + 1 < pairs { te_prefetch_rows(output, targets + (pair + 1) * stride, stride, D) }
                negativeSamplingStep(
                    input: hidden, targets: targets + pair * stride, targetCount: stride, outputVectors: output,
                    dimension: D, learningRate: learningRate, sigmoid: tables.sigmoid, inputGradient: stepGradient)
                axpy(subwords.shift[word], stepGradient, hidden, D)  // every row += g: h += g·Σm²/n
                axpy(1, stepGradient, totalGradient, D)
            }
            for row in rows { axpy(1, totalGradient, input + Int(row) * D, D) }
        }
    }

    /// The window and targets of a CBOW centre word, drawn one centre ahead (fastText's order:
    /// the window, then the noise words) into target slot `slot`.
    private mutating func planCBOW(center: Int, length: Int, slot: Int) -> (low: Int, high: Int) {
        let boundary = 1 + random.next(below: config.window)
        let low = max(0, center - boundary), high = min(length, center + boundary + 1)
        drawTargets(positive: kept[center], into: targets + slot * (config.negative + 1))
        return (low, high)
    }

    private mutating func trainCBOW(length: Int, learningRate: Float) {
        let D = config.dimension, stride = config.negative + 1
        var window = planCBOW(center: 0, length: length, slot: 0)
        for center in 0..<length {
            let slot = center & 1
            var next: (low: Int, high: Int)? = nil
            if center + 1 < length {
                let upcoming = planCBOW(center: center + 1, length: length, slot: 1 - slot)
                next = upcoming
                te_prefetch_rows(output, targets + (1 - slot) * stride, stride, D)
                // The words that enter the next bag (the window slides; this centre joins it).
                for position in upcoming.low..<upcoming.high where position != center + 1
                    && (position < window.low || position >= window.high || position == center) {
                    prefetchRows(of: kept[position])
                }
            }
            bag.removeAll(keepingCapacity: true)
            for position in window.low..<window.high where position != center {
                let word = kept[position]
                for index in subwords.starts[word]..<subwords.starts[word + 1] { bag.append(subwords.rows[index]) }
            }
            if !bag.isEmpty {
                bag.withUnsafeBufferPointer { computeHidden($0) }
                negativeSamplingStep(
                    input: hidden, targets: targets + slot * stride, targetCount: stride, outputVectors: output,
                    dimension: D, learningRate: learningRate, sigmoid: tables.sigmoid, inputGradient: stepGradient)
                for row in bag { axpy(1, stepGradient, input + Int(row) * D, D) }
            }
            if let next { window = next }
        }
    }
}
