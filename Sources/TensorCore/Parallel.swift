// Threads: one process-wide setting (`TINYENCODER_THREADS`, or `Threads.count = n`, default all
// cores) and `parallelFor`, which splits a range into fixed, contiguous chunks, one per thread.
// The partition depends only on the range and the thread count, never on timing, so a parallel
// reduction that combines chunk results in chunk order is bit-identical from run to run.
// Not handled: nested parallelism (an inner parallelFor inside a worker runs serially), work stealing.

import Dispatch
import Foundation
import TextInput

/// The process-wide thread count that every parallel kernel uses.
public enum Threads: Sendable {
    private static let configured = Locked(defaultCount())

    /// Whether the calling thread is running a `parallelFor` chunk (kept per thread).
    static var insideWorker: Bool {
        get { pthread_getspecific(workerKey) != nil }
        set { pthread_setspecific(workerKey, newValue ? UnsafeRawPointer(bitPattern: 1) : nil) }
    }

    private static let workerKey: pthread_key_t = {
        var key = pthread_key_t()
        pthread_key_create(&key, nil)
        return key
    }()

    /// `TINYENCODER_THREADS` if set to a positive integer, otherwise the number of active cores.
    public static func defaultCount() -> Int {
        if let text = ProcessInfo.processInfo.environment["TINYENCODER_THREADS"],
           let value = Int(text), value > 0 {
            return value
        }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }

    /// The number of chunks `parallelFor` splits work into. Set it once, early (`--threads`).
    public static var count: Int {
        get { configured.current }
        set {
            precondition(newValue > 0, "Threads.count must be positive, got \(newValue)")
            configured.withLock { $0 = newValue }
        }
    }
}

/// The contiguous sub-range that chunk `chunk` of `chunks` covers in `0..<count`.
/// Chunk sizes differ by at most one; the split depends on nothing but the three numbers.
@inlinable
public func chunkRange(_ chunk: Int, of chunks: Int, count: Int) -> Range<Int> {
    let base = count / chunks
    let extra = count % chunks
    let start = chunk * base + min(chunk, extra)
    return start..<(start + base + (chunk < extra ? 1 : 0))
}

/// Runs `body` on contiguous chunks of `0..<count`, one chunk per thread, and returns when all
/// are done. `body` receives the chunk's index and its range.
///
/// - Parameters:
///   - count: the number of items.
///   - minimumChunk: do not split below this many items per chunk (small work runs inline).
///   - body: called once per non-empty chunk, possibly concurrently: it must write only the
///     data of its own chunk (or take a lock).
/// - Complexity: the cost of `body` over all items, divided over `Threads.count` threads.
///
/// ```swift
/// parallelFor(rows, minimumChunk: 16) { _, range in for row in range { normalise(row) } }
/// ```
public func parallelFor(_ count: Int, minimumChunk: Int = 1, _ body: (_ chunk: Int, _ range: Range<Int>) -> Void) {
    guard count > 0 else { return }
    let chunks = chunkCount(for: count, minimumChunk: minimumChunk)
    if chunks == 1 {
        body(0, 0..<count)
        return
    }
    withoutActuallyEscaping(body) { body in
        // Not @Sendable in the signature: callers capture raw pointers into their own chunk's
        // rows, which the compiler cannot check. Safe because every chunk writes a disjoint range
        // and this function returns only after all chunks are done.
        nonisolated(unsafe) let body = body
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            let previous = Threads.insideWorker
            Threads.insideWorker = true
            body(chunk, chunkRange(chunk, of: chunks, count: count))
            Threads.insideWorker = previous
        }
    }
}

/// How many chunks `parallelFor` will use for `count` items.
public func chunkCount(for count: Int, minimumChunk: Int = 1) -> Int {
    if Threads.insideWorker { return 1 }
    let byWork = max(1, count / max(1, minimumChunk))
    return max(1, min(Threads.count, byWork, count))
}
