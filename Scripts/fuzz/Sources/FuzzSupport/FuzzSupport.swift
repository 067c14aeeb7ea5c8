// FuzzSupport: what every harness shares: splitting one fuzz input into several files at NUL
// bytes, a per-process scratch folder on tmpfs for parsers that take a path, and a check that
// aborts (so libFuzzer records a crash) when a property of a parsed file does not hold.
// Reference: libFuzzer's documentation (llvm.org/docs/LibFuzzer.html), "Fuzz target".
// Not handled: structure-aware mutation; inputs are plain bytes, seeded from real files.

import Foundation

/// Helpers for the harnesses.
public enum Fuzz {
    /// The input as Swift bytes.
    public static func bytes(_ data: UnsafePointer<UInt8>, _ size: Int) -> [UInt8] {
        Array(UnsafeBufferPointer(start: data, count: size))
    }

    /// Splits `bytes` at the first `count - 1` NUL bytes into `count` parts (missing parts are empty).
    /// Seeds join real files with a NUL between them (Scripts/fuzz/make-seeds.sh).
    public static func split(_ bytes: [UInt8], into count: Int) -> [[UInt8]] {
        var parts: [[UInt8]] = []
        var start = 0
        while parts.count < count - 1, let end = bytes[start...].firstIndex(of: 0) {
            parts.append(Array(bytes[start..<end]))
            start = end + 1
        }
        parts.append(Array(bytes[start...]))
        while parts.count < count { parts.append([]) }
        return parts
    }

    /// A folder of this process on tmpfs (or the system temporary folder), created once.
    public static let scratch: URL = {
        let base = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        let url = URL(fileURLWithPath: base).appendingPathComponent("tinyencoder-fuzz-\(getpid())")
        try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(atPath: "/dev/shm/tinyencoder-fuzz-\(getpid())") }
        return url
    }()

    /// Writes `bytes` to `name` inside the scratch folder (creating sub-folders) and returns its URL.
    @discardableResult
    public static func file(_ name: String, _ bytes: [UInt8]) -> URL {
        let url = scratch.appendingPathComponent(name)
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: url.path, contents: Data(bytes)) else {
            fatalError("fuzz harness: cannot write \(url.path)")
        }
        return url
    }

    /// Removes `name` from the scratch folder if it exists.
    public static func remove(_ name: String) {
        try? FileManager.default.removeItem(at: scratch.appendingPathComponent(name))
    }

    /// Aborts with `message` when `condition` is false: a broken property is a crash to libFuzzer.
    public static func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
        if !condition() { fatalError("property violated: \(message())") }
    }

    /// Formats an error the way the CLI prints it, so building the message is exercised too,
    /// and checks that the message is not empty.
    public static func describe(_ error: Error) {
        let text = "\(error)"
        check(!text.isEmpty, "an error with an empty message: \(type(of: error))")
    }
}
