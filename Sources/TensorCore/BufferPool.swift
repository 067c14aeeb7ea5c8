// BufferPool: keeps large freed tensor buffers for the next tensor of about the same size.
// A forward pass allocates the same few shapes layer after layer and batch after batch; the
// system allocator hands every large block back to the kernel on free and the next allocation
// faults in fresh, zeroed pages (seen as 3–4% of an embedding run in clear_page and page-fault
// handlers). Sizes are rounded up to one of four classes per power of two (2^k, 1.25·2^k,
// 1.5·2^k, 1.75·2^k: at most 25% slack), so batches whose lengths differ by a few tokens share
// blocks. At most `byteLimit` bytes are kept; beyond that, freed blocks go back to the system.
// A training step keeps every activation alive until its backward pass, far more than 256 MiB,
// and frees it all at the end; `raiseLimitToPeakLive()` lets a loop keep one round's worth, so
// the next step finds its blocks instead of faulting in fresh pages (3% of a step otherwise).
// Not handled: per-thread caches (tensors are mostly made on the calling thread, and a lock
// costs far less than a page fault); returning memory after a while idle — call `drain()`.

import Foundation

/// A process-wide cache of large, 64-byte-aligned blocks, by size class.
public final class BufferPool: @unchecked Sendable {
    // @unchecked: every stored var is read and written only while holding `lock`.
    /// The pool every `TensorStorage` uses.
    public static let shared = BufferPool()

    /// Blocks smaller than this come from the system allocator directly (it keeps small blocks
    /// itself; glibc's default threshold for mapping a block on its own is 128 KiB).
    public static let smallestPooledBytes = 64 << 10

    /// The most bytes kept while unused (default 256 MiB). Lower it, or set 0, to keep none.
    public var byteLimit: Int {
        get { lock.lock(); defer { lock.unlock() }; return limit }
        set { lock.lock(); limit = max(0, newValue); lock.unlock(); if newValue <= 0 { drain() } }
    }

    /// Bytes now held unused by the pool.
    public var heldBytes: Int { lock.lock(); defer { lock.unlock() }; return held }

    /// The most bytes of poolable blocks (larger than `smallestPooledBytes`) in use at once so far.
    public var peakLiveBytes: Int { lock.lock(); defer { lock.unlock() }; return peakLive }

    /// Raises `byteLimit` (never lowers it) to `peakLiveBytes`: a loop that frees and re-makes the
    /// same buffers every round (a training step) then finds them all in the pool. The resident
    /// size stays what the busiest moment needed anyway.
    public func raiseLimitToPeakLive() {
        lock.lock()
        limit = max(limit, peakLive)
        lock.unlock()
    }

    private let lock = NSLock()
    private var free: [Int: [UnsafeMutableRawPointer]] = [:]  // class size in bytes → blocks
    private var held = 0
    private var limit: Int
    private var live = 0, peakLive = 0  // pooled-size blocks handed out and not yet returned

    /// A pool of its own (tests; the tensors use `shared`).
    public init(byteLimit: Int = 256 << 20) { limit = max(0, byteLimit) }

    /// The size actually allocated for a request of `bytes` (≥ bytes, ≤ 1.25 · bytes once pooled).
    public static func classSize(forBytes bytes: Int) -> Int {
        guard bytes > smallestPooledBytes else { return bytes }
        let power = Int.bitWidth - 1 - (bytes - 1).leadingZeroBitCount  // 2^power < bytes ≤ 2^(power+1)
        let quarter = 1 << (power - 2)
        let quarters = (bytes + quarter - 1) / quarter                  // 5…8 quarters of 2^power
        return quarters * quarter
    }

    /// A block of at least `bytes` bytes, aligned to `TensorStorage.alignment`.
    public func allocate(bytes: Int) -> UnsafeMutableRawPointer {
        let size = BufferPool.classSize(forBytes: bytes)
        if size > BufferPool.smallestPooledBytes {
            lock.lock()
            live += size
            peakLive = max(peakLive, live)
            if let block = free[size]?.popLast() {
                held -= size
                lock.unlock()
                return block
            }
            lock.unlock()
        }
        return UnsafeMutableRawPointer.allocate(byteCount: size, alignment: TensorStorage.alignment)
    }

    /// Returns a block from `allocate(bytes:)` with the same `bytes`.
    public func release(_ block: UnsafeMutableRawPointer, bytes: Int) {
        let size = BufferPool.classSize(forBytes: bytes)
        if size > BufferPool.smallestPooledBytes {
            lock.lock()
            live -= size
            if held + size <= limit {
                free[size, default: []].append(block)
                held += size
                lock.unlock()
                return
            }
            lock.unlock()
        }
        block.deallocate()
    }

    /// Gives every unused block back to the system.
    public func drain() {
        lock.lock()
        let blocks = free.values.flatMap { $0 }
        free.removeAll()
        held = 0
        lock.unlock()
        for block in blocks { block.deallocate() }
    }
}
