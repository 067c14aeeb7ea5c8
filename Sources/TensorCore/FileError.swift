// FileError: the one error type for bad files and failed writes in the numeric modules. It names
// the file, the field (a JSON key, a tensor name, a byte offset), what is wrong, and the fix.
// AtomicFile writes through a temporary file in the same folder and renames it into place, so a
// reader never sees a half-written file, even if the writer is killed.
// Not handled: locking against two concurrent writers of the same path (last rename wins).

import Foundation
import TextInput

/// A problem with a file the user gave us, or with writing one.
public struct FileError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The broad class of problem, for code that wants to react differently.
    public enum Kind: String, Sendable {
        case notFound, unreadable, truncated, malformed, unsupported, tooLarge, mismatch, writeFailed
    }

    public let kind: Kind
    /// The path as the user gave it.
    public let file: String
    /// Where in the file: a key, a tensor name, a line or byte offset.
    public let field: String
    /// What is wrong.
    public let problem: String
    /// What to do about it.
    public let fix: String

    public init(_ kind: Kind, file: String, field: String, problem: String, fix: String) {
        self.kind = kind
        self.file = file
        self.field = field
        self.problem = problem
        self.fix = fix
    }

    /// One line; a field or problem quoting a huge input (a 10 MB string) is cut (quotedForMessage).
    public var description: String {
        "\(file): \(quotedForMessage(field, limit: 500)): \(quotedForMessage(problem)). \(fix)"
    }
}

/// Writing files so that a crash leaves either the old file or the new one, never a torn one.
public enum AtomicFile: Sendable {
    /// Writes `data` to a temporary file next to `url`, flushes it to disk, then renames it over `url`.
    public static func write(_ data: Data, to url: URL) throws {
        try write(to: url) { temporary in
            guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
                throw FileError(.writeFailed, file: url.path, field: "(file)", problem: "cannot create a file in \(url.deletingLastPathComponent().path)",
                                fix: "Check that the folder exists and is writable")
            }
            let handle = try FileHandle(forWritingTo: temporary)
            defer { try? handle.close() }
            try handle.write(contentsOf: data)
            try handle.synchronize()
        }
    }

    /// Whether `error` (from Foundation or a POSIX call) means the disk or the quota is full:
    /// Foundation's NSFileWriteOutOfSpaceError (640), or ENOSPC/EDQUOT, directly or underlying.
    public static func isDiskFull(_ error: Error) -> Bool {
        let nsError = error as NSError
        if nsError.domain == NSCocoaErrorDomain && nsError.code == 640 { return true }
        if nsError.domain == NSPOSIXErrorDomain && (nsError.code == Int(ENOSPC) || nsError.code == Int(EDQUOT)) { return true }
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError { return isDiskFull(underlying) }
        return false
    }

    /// Removes the temporaries that killed writers left beside `url`: ".NAME.tmp-PID-…" whose
    /// process no longer exists (and "..NAME.tmp-PID-…", a model folder a checkpoint writer was
    /// saving inside its own temporary), and ".NAME.old-PID-…" (a folder set aside) once `url`
    /// exists again.
    /// A live writer's temporaries, ours or another process's, are kept.
    /// Not handled: a writer in another PID namespace sharing the folder (its PID may look dead).
    public static func removeStaleTemporaries(of url: URL) {
        let manager = FileManager.default
        let folder = url.deletingLastPathComponent()
        let name = url.lastPathComponent
        guard let entries = try? manager.contentsOfDirectory(atPath: folder.path) else { return }
        for entry in entries {
            let rest: Substring
            if entry.hasPrefix(".\(name).tmp-") {
                rest = entry.dropFirst(name.count + 6)
            } else if entry.hasPrefix("..\(name).tmp-") {  // a folder saved inside our temporary folder
                rest = entry.dropFirst(name.count + 7)
            } else if entry.hasPrefix(".\(name).old-") && manager.fileExists(atPath: url.path) {
                rest = entry.dropFirst(name.count + 6)
            } else {
                continue
            }
            guard let pid = Int32(rest.prefix { $0 != "-" }), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
            try? manager.removeItem(at: folder.appendingPathComponent(entry))
        }
    }

    /// Lets `body` write the new content to a temporary path, then renames it over `url`.
    /// On any error the temporary file is removed and `url` is left as it was. Temporaries of
    /// killed writers beside `url` are removed first (`removeStaleTemporaries`).
    public static func write(to url: URL, _ body: (URL) throws -> Void) throws {
        removeStaleTemporaries(of: url)
        let folder = url.deletingLastPathComponent()
        let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).tmp-\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))")
        do {
            try body(temporary)
            if rename(temporary.path, url.path) != 0 {
                throw FileError(.writeFailed, file: url.path, field: "(file)",
                                problem: "cannot rename the finished file into place: \(String(cString: strerror(errno)))",
                                fix: "Check that the folder is writable and on one file system")
            }
        } catch let error as FileError {
            try? FileManager.default.removeItem(at: temporary)
            throw error
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            let full = isDiskFull(error)
            throw FileError(.writeFailed, file: url.path, field: "(file)",
                            problem: full ? "the disk is full" : "writing failed: \(error.localizedDescription)",
                            fix: full ? "Free some disk space and run the command again; the old file is unchanged" : "Check the path and permissions; the old file is unchanged")
        }
    }
}
