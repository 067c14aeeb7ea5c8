// OutputTarget: the one check every command runs on a path it will write (--out, --export, …),
// before any long job starts. It refuses what would destroy a user's files: `/`, the home folder,
// any folder holding the working directory (so `.` and `..`), a file where a folder is expected,
// a folder where a file is expected, a non-empty folder TinyEncoder did not write (OutputMarker),
// and, without `force`, an earlier TinyEncoder output or an existing file. A symbolic link is
// followed: the output goes to its target and the link stays. Then it proves the parent folder
// writable by creating and removing a probe file there.
// Not handled: permissions that change while the job runs (the atomic write reports them).

import Foundation

/// Why an output path was refused.
public struct OutputError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The option that named the path, e.g. "--out".
    public let option: String
    /// The path as the user gave it.
    public let path: String
    public let problem: String
    public let fix: String

    public var description: String { "\(option) \(path): \(problem). \(fix)" }
}

/// A checked path to write, with symbolic links resolved.
public struct OutputTarget: Sendable {
    /// What will be written at the path.
    public enum Kind: Sendable { case folder, file }

    /// Where to write: the path given, or the target of the symbolic link it names.
    public let url: URL
    /// Whether something (an earlier output) is there and will be replaced.
    public let replacesExisting: Bool

    /// Checks `path` as an output of `kind`.
    ///
    /// - Parameters:
    ///   - option: the option that named it, for messages.
    ///   - force: allows replacing an earlier TinyEncoder output (folder) or an existing file.
    ///   - continuing: the command continues what is there (`--resume`: its checkpoint folder,
    ///     its log file), so an existing TinyEncoder folder or file needs no `force`.
    /// - Throws: `OutputError` naming the option, the path, the problem and the fix.
    public static func check(_ path: String, kind: Kind, option: String = "--out", force: Bool = false,
                             continuing: Bool = false) throws -> OutputTarget {
        func refuse(_ problem: String, _ fix: String) -> OutputError { OutputError(option: option, path: path, problem: problem, fix: fix) }
        guard !path.isEmpty else { throw refuse("is empty", "Give a path") }
        let manager = FileManager.default
        var url = URL(fileURLWithPath: path).standardizedFileURL
        if let destination = try? manager.destinationOfSymbolicLink(atPath: url.path) {
            url = URL(fileURLWithPath: destination, relativeTo: url.deletingLastPathComponent()).standardizedFileURL
        }
        let canonical = canonicalPath(url.path)
        // The account's home folder, and $HOME when it names another one.
        let homes = Set([NSHomeDirectory(), ProcessInfo.processInfo.environment["HOME"]].compactMap { $0 }.filter { !$0.isEmpty }.map(canonicalPath))
        let workingDirectory = canonicalPath(manager.currentDirectoryPath)
        if canonical == "/" { throw refuse("is the root folder", "Give a new or empty folder") }
        if kind == .folder && homes.contains(canonical) { throw refuse("is the home folder", "Give a new or empty folder inside it") }
        if kind == .folder && (workingDirectory == canonical || workingDirectory.hasPrefix(canonical + "/")) {
            throw refuse("holds the working folder (\(workingDirectory)); writing there would replace it",
                         "Give a new or empty folder, e.g. \(option) my-output")
        }
        var isDirectory: ObjCBool = false
        var replaces = false
        if manager.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            switch (kind, isDirectory.boolValue) {
            case (.folder, false):
                throw refuse("is a file, not a folder", "Give a folder path; the file is left as it is")
            case (.file, true):
                throw refuse("is a folder", "Give a file path, e.g. \(url.appendingPathComponent("output").path)")
            case (.file, false):
                guard force || continuing else { throw refuse("already exists", "Add --force to replace it, or give another path") }
                replaces = true
            case (.folder, true):
                let entries = (try? manager.contentsOfDirectory(atPath: url.path)) ?? []
                if entries.isEmpty { break }
                guard OutputMarker.isTinyEncoderOutput(url) else {
                    let shown = entries.sorted().prefix(3).joined(separator: ", ") + (entries.count > 3 ? ", …" : "")
                    throw refuse("is a folder TinyEncoder did not write (it holds \(shown))",
                                 "Give a new or empty folder; TinyEncoder never replaces folders it did not write")
                }
                guard force || continuing else {
                    throw refuse("holds an earlier TinyEncoder output", "Add --force to replace it, or give another folder")
                }
                replaces = true
            }
        }
        try probeWritable(parentOf: url, refuse)
        return OutputTarget(url: url, replacesExisting: replaces)
    }

    /// `path` with every symbolic link and `..` resolved as far as the path exists; the missing
    /// tail is appended as given.
    static func canonicalPath(_ path: String) -> String {
        var existing = URL(fileURLWithPath: path).standardizedFileURL
        var tail: [String] = []
        while !FileManager.default.fileExists(atPath: existing.path) && existing.path != "/" {
            tail.insert(existing.lastPathComponent, at: 0)
            existing = existing.deletingLastPathComponent()
        }
        var resolved = existing.resolvingSymlinksInPath().path
        for part in tail { resolved = (resolved as NSString).appendingPathComponent(part) }
        return resolved
    }

    /// Creates and removes a probe file in the nearest existing folder above `url`, where the
    /// atomic write will create its temporary (and any missing folders).
    static func probeWritable(parentOf url: URL, _ refuse: (String, String) -> OutputError) throws {
        let manager = FileManager.default
        var folder = url.deletingLastPathComponent()
        while !manager.fileExists(atPath: folder.path) && folder.path != "/" { folder = folder.deletingLastPathComponent() }
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw refuse("is inside \(folder.path), which is a file", "Give a path inside a folder")
        }
        // Unique per call (two threads of one process may check the same name at once), in the
        // temporaries' ".NAME.tmp-PID-…" form, so a probe a killed process left is cleaned as theirs.
        let probe = folder.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))-probe")
        let descriptor = open(probe.path, O_CREAT | O_EXCL | O_WRONLY, 0o600)
        guard descriptor >= 0 else {
            let cause = String(cString: strerror(errno))
            throw refuse("cannot be written: creating a file in \(folder.path) failed (\(cause.lowercased()))",
                         "Choose a folder you can write to, or fix its permissions")
        }
        close(descriptor)
        unlink(probe.path)
    }
}
