// Parallel: the module's own small thread helpers (Tokenization depends on nothing else in the
// package): a default thread count, fixed contiguous chunks for deterministic reductions, and
// dynamically handed-out blocks for uneven work such as texts of different lengths.
// Reference: Dispatch's `concurrentPerform`; the chunking mirrors TensorCore's `parallelFor`.
// Not handled: nested parallelism (callers never nest these).

import Dispatch
import Foundation
import TextInput

/// The thread count the module uses when a caller does not pass one.
public enum TokenizationThreads: Sendable {
    /// `TINYENCODER_THREADS` if set to a positive integer, otherwise the number of active cores.
    public static var defaultCount: Int {
        if let text = ProcessInfo.processInfo.environment["TINYENCODER_THREADS"], let value = Int(text), value > 0 {
            return value
        }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }
}

/// The contiguous sub-range of `0..<count` that chunk `chunk` of `chunks` covers.
func chunkRange(_ chunk: Int, of chunks: Int, count: Int) -> Range<Int> {
    let base = count / chunks, extra = count % chunks
    let start = chunk * base + min(chunk, extra)
    return start..<(start + base + (chunk < extra ? 1 : 0))
}

/// Runs `body(chunk, range)` for `threads` fixed contiguous chunks of `0..<count`, concurrently.
/// The split depends only on `count` and `threads`, so combining results in chunk order is deterministic.
func forEachChunk(count: Int, threads: Int, _ body: (_ chunk: Int, _ range: Range<Int>) -> Void) {
    let chunks = max(1, min(threads, count))
    if chunks == 1 {
        body(0, 0..<count)
        return
    }
    withoutActuallyEscaping(body) { body in
        // Not @Sendable in the signature: callers capture buffers they split by chunk. Safe because
        // each chunk writes only its own part (shared writes take a lock) and the call returns
        // only after every chunk is done.
        nonisolated(unsafe) let body = body
        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
            body(chunk, chunkRange(chunk, of: chunks, count: count))
        }
    }
}

/// Runs `body(worker, range)` over blocks of `blockSize` items of `0..<count`, handed out on demand
/// to `threads` workers (good for uneven work). Each worker index runs on one thread at a time.
func forEachBlock(count: Int, blockSize: Int, threads: Int, _ body: (_ worker: Int, _ range: Range<Int>) -> Void) {
    let blocks = (count + blockSize - 1) / blockSize
    let workers = max(1, min(threads, blocks))
    if workers == 1 {
        if count > 0 { body(0, 0..<count) }
        return
    }
    let nextBlock = Locked(0)
    withoutActuallyEscaping(body) { body in
        // Not @Sendable, for the reason given at forEachChunk; each block goes to one worker only.
        nonisolated(unsafe) let body = body
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            while true {
                let block = nextBlock.withLock { next in
                    defer { next += 1 }
                    return next
                }
                guard block < blocks else { return }
                body(worker, (block * blockSize)..<min(count, (block + 1) * blockSize))
            }
        }
    }
}
