// HogwildRun: what every multi-threaded trainer here shares: one worker per thread over its own
// byte range of the corpus, lock-free ("Hogwild") updates of shared matrices, per-thread progress
// counters (padded to a cache line each) summed for the learning-rate schedule and the progress
// line, and the first error of any worker re-thrown after all have stopped.
// Reference: Recht et al. 2011, "Hogwild!"; word2vec.c's TrainModelThread.
// Not handled: work stealing (ranges are fixed, so a run is reproducible for a thread count).

import Dispatch
import Foundation
import TensorCore
import TextInput

/// Per-thread counters that other threads may read without locks (values may lag; that is fine
/// for a learning-rate schedule and a progress line).
public final class SharedCounters: @unchecked Sendable {
    // @unchecked: each slot has one writer (its thread); readers of other slots accept a stale
    // Int (aligned word writes do not tear on the supported CPUs), as word2vec.c does.
    private static let stride = 16  // 128 bytes apart: no false sharing
    private let slots: UnsafeMutablePointer<Int>
    public let threads: Int

    public init(threads: Int) {
        self.threads = threads
        slots = allocateThreadScratch(Int.self, count: threads * SharedCounters.stride)
        slots.initialize(repeating: 0, count: threads * SharedCounters.stride)
    }

    deinit { deallocateThreadScratch(slots) }

    /// Adds to thread `thread`'s counter (only that thread may call this).
    @inline(__always)
    public func add(_ amount: Int, thread: Int) { slots[thread * SharedCounters.stride] += amount }

    /// The sum over threads.
    public var total: Int {
        var sum = 0
        for thread in 0..<threads { sum += slots[thread * SharedCounters.stride] }
        return sum
    }
}

/// What a training run measured.
public struct TrainingReport: Sendable, CustomStringConvertible {
    /// Wall-clock seconds of the training passes (counting excluded).
    public var seconds: Double
    /// Corpus tokens read over all epochs (every token, known or not, as gensim's script counts).
    public var tokens: Int
    /// Threads used.
    public var threads: Int
    public init(seconds: Double, tokens: Int, threads: Int) {
        self.seconds = seconds
        self.tokens = tokens
        self.threads = threads
    }

    /// tokens / seconds.
    public var wordsPerSecond: Double { tokens > 0 ? Double(tokens) / max(seconds, 1e-9) : 0 }

    public var description: String {
        "\(tokens) tokens in \(String(format: "%.2f", seconds)) s, \(String(format: "%.0f", wordsPerSecond)) words/s, threads=\(threads)"
    }
}

/// The learning rate after `fraction` of the run: a straight line from `start` to `end`.
@inline(__always)
public func linearlyDecayedRate(start: Float, end: Float, fraction: Double) -> Float {
    let f = Float(min(1, max(0, fraction)))
    return start - (start - end) * f
}

/// Runs `worker(thread)` for thread = 0..<threads concurrently (one long-lived task each) and
/// rethrows the first error. The process-wide `Threads.count` is neither read nor changed.
///
/// `worker` is not @Sendable: trainers capture the shared matrices as raw pointers (Hogwild
/// updates race by design, on Floats only) and each thread's own scratch by index.
public func runWorkers(threads: Int, _ worker: (Int) throws -> Void) throws {
    if threads == 1 {
        try worker(0)
        return
    }
    let errors = Locked([(any Error)?](repeating: nil, count: threads))
    withoutActuallyEscaping(worker) { worker in
        nonisolated(unsafe) let worker = worker  // see the doc comment; returns after every thread ends
        DispatchQueue.concurrentPerform(iterations: threads) { thread in
            do { try worker(thread) } catch { errors.withLock { $0[thread] = error } }
        }
    }
    if let error = errors.current.compactMap({ $0 }).first { throw error }
}
