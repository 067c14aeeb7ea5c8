// Locked: a value behind a lock, for the few pieces of shared mutable state in the package (the
// process-wide settings, lazily built caches). It stands in for `Mutex` from Synchronization,
// which needs macOS 15 / iOS 18, while the package supports macOS 13 / iOS 16.
// It lives in TextInput because that is the one module every other module depends on.
// Not handled: reader/writer locking, waiting on conditions.

import Foundation

/// A value that is read and written only while holding a lock, so it can be shared between threads.
public final class Locked<Value: Sendable>: @unchecked Sendable {
    // @unchecked: `value` is touched only inside `withLock`, under `lock`.
    private let lock = NSLock()
    private var value: Value

    public init(_ value: Value) {
        self.value = value
    }

    /// Runs `body` with the value while holding the lock; changes made through `inout` are kept.
    /// `body` must not call back into the same `Locked` (the lock is not recursive).
    public func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }

    /// A copy of the value, read under the lock.
    public var current: Value {
        withLock { $0 }
    }
}
