// MemoryBudget: trainers estimate the bytes of their large tables before allocating them and
// compare the estimate with the memory this process may use: the machine's physical memory, or
// a smaller cgroup limit (containers), or a smaller limit the caller sets for its task
// (`MemoryBudget.$limit`, which is also how the tests make every trainer's check refuse without
// allocating anything). Over the limit, a typed error gives the size needed and the option that
// lowers it, instead of an abort in the allocator.
// Not handled: memory other processes use at the same time (the limit is the machine's, not
// what is free), and small allocations (the estimates cover the tables that scale with options).

import Foundation

/// A job that would need more memory than the machine has.
public struct MemoryBudgetError: Error, CustomStringConvertible, Equatable, Sendable {
    /// What would be allocated, e.g. "fastText's input vectors (2,000,000 buckets + 120 words) × 10000 dimensions".
    public let what: String
    public let neededBytes: Double
    public let availableBytes: Double
    /// How to lower it, naming the option.
    public let fix: String

    public init(what: String, neededBytes: Double, availableBytes: Double, fix: String) {
        self.what = what
        self.neededBytes = neededBytes
        self.availableBytes = availableBytes
        self.fix = fix
    }

    public var description: String {
        "\(what) need \(MemoryBudget.format(neededBytes)), more than the \(MemoryBudget.format(availableBytes)) this machine allows. \(fix)"
    }
}

/// Checks estimated allocations against the memory limit.
public enum MemoryBudget: Sendable {
    /// A lower limit in bytes for the jobs started inside `MemoryBudget.$limit.withValue(bytes) { … }`
    /// (a task-local value: it holds for that closure and what it calls on its own thread, and
    /// nowhere else), e.g. to keep a job within a share of a shared machine; nil: none.
    ///
    /// ```swift
    /// try MemoryBudget.$limit.withValue(8e9) { _ = try Word2Vec.train(corpus: corpus, config: config) }
    /// ```
    @TaskLocal public static var limit: Double?

    /// The bytes this process may use: physical memory, the cgroup's limit, or `limit`, whichever
    /// is lowest.
    public static var availableBytes: Double {
        var limit = min(Double(ProcessInfo.processInfo.physicalMemory), Self.limit ?? .infinity)
        for path in ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"] {
            if let text = try? String(contentsOfFile: path, encoding: .utf8),
               let value = Double(text.trimmingCharacters(in: .whitespacesAndNewlines)), value > 0 {
                limit = min(limit, value)
            }
        }
        return limit
    }

    /// Throws `MemoryBudgetError` when `bytes` exceeds `available` (default: `availableBytes`).
    ///
    /// - Parameters:
    ///   - what: the tables and their sizes, as a plural noun phrase.
    ///   - fix: the sentence naming the option that lowers the size.
    public static func check(_ bytes: Double, for what: String, fix: String, available: Double = availableBytes) throws {
        guard bytes > available else { return }
        throw MemoryBudgetError(what: what, neededBytes: bytes, availableBytes: available, fix: fix)
    }

    /// Bytes for humans: "85.9 GB", "512.0 MB".
    public static func format(_ bytes: Double) -> String {
        bytes >= 1e9 ? String(format: "%.1f GB", bytes / 1e9) : String(format: "%.1f MB", bytes / 1e6)
    }
}
