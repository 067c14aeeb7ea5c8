// KernelPath: which CKernels path (AVX-512, AVX2+FMA, NEON, portable) runs, which ones this CPU
// can run, and running work on a chosen one. The path is a CKernels table resolved once; a
// thread may force another (tests compare every path against the Swift references this way), and
// the process may select one (`--path NAME` on the command line, to benchmark paths side by side).
// Work split over threads carries the caller's path to the workers, so one product never mixes
// two paths' packed layouts. Not handled: choosing a path per operation.

import CKernels

/// The CKernels kernel paths.
public enum KernelPath: Sendable {
    /// The path the calling thread runs ("avx512", "avx2-fma", "neon" or "portable").
    public static var current: String { String(cString: te_kernel_path_name()) }

    /// The paths this CPU and OS can run, the default first.
    public static var available: [String] {
        (0..<te_kernel_path_count()).map { String(cString: te_kernel_path_available($0)) }
    }

    /// Runs `body` on the calling thread with `name`'s path, then restores the thread's setting.
    /// Returns nil (without running `body`) when the CPU cannot run that path.
    public static func run<T>(_ name: String, _ body: () throws -> T) rethrows -> T? {
        let previous = te_forced_path()
        guard te_force_path(name) == 1 else { return nil }
        defer { te_force_path(previous) }
        return try body()
    }

    /// Makes `name` the path of every thread that has not forced one; false (nothing changed) when
    /// the CPU cannot run it. Choose before packing any weight (`PackedMatrix` is per path).
    @discardableResult
    public static func select(_ name: String) -> Bool { te_select_path(name) == 1 }
}

/// The calling thread's path, to hand to worker threads (a static C string, valid forever).
func callersKernelPath() -> UnsafePointer<CChar> { te_kernel_path_name() }

/// Runs `body` on the current (worker) thread with `path`, then restores the thread's setting.
@inline(__always)
func onKernelPath<T>(_ path: UnsafePointer<CChar>, _ body: () throws -> T) rethrows -> T {
    let previous = te_forced_path()
    te_force_path(path)
    defer { te_force_path(previous) }
    return try body()
}
