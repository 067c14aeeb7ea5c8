// TextFile: reads a whole text file, with errors that say the path, what was being done and the
// cause in plain words (never a raw Foundation error such as "NSCocoaErrorDomain Code=260").
// Not handled: files larger than memory (stream them with LineReader).

import Foundation

/// A file that could not be opened or read.
public struct TextFileError: Error, CustomStringConvertible, Equatable, Sendable {
    public let path: String
    /// What was being done, e.g. "reading the word pairs".
    public let action: String
    /// The cause in plain words.
    public let cause: String

    public init(path: String, action: String, cause: String) {
        self.path = path
        self.action = action
        self.cause = cause
    }

    /// A POSIX error number, worded.
    public init(path: String, action: String, errno code: Int32) {
        self.init(path: path, action: action, cause: TextFileError.words(for: code))
    }

    public var description: String { "\(path): cannot be read (\(action)): \(cause)" }

    static func words(for code: Int32) -> String {
        switch code {
        case ENOENT: return "no such file; check the path"
        case EACCES, EPERM: return "permission denied; check the file's permissions"
        case EISDIR: return "it is a folder, not a file; give the path of a file"
        case ENOTDIR: return "a part of the path is not a folder; check the path"
        case ENAMETOOLONG: return "the path is too long"
        case ELOOP: return "too many symbolic links in the path"
        default: return String(cString: strerror(code)).lowercased()
        }
    }
}

public enum TextFile: Sendable {
    /// Why `path` cannot be read, in plain words, found by opening it again after another API
    /// (Data(contentsOf:), mmap) failed with a Foundation error such as NSCocoaErrorDomain 260.
    public static func readFailureCause(_ path: String) -> String {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { return TextFileError.words(for: errno) }
        defer { close(descriptor) }
        var status = stat()
        if fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR { return TextFileError.words(for: EISDIR) }
        return "the file could not be read (an I/O error, or it changed while being read)"
    }

    /// The bytes of the file at `path`.
    /// - Throws: `TextFileError` naming the path, `action` and the cause.
    public static func bytes(_ path: String, action: String) throws -> [UInt8] {
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw TextFileError(path: path, action: action, errno: errno) }
        defer { close(descriptor) }
        var status = stat()
        if fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
            throw TextFileError(path: path, action: action, errno: EISDIR)
        }
        var bytes: [UInt8] = []
        var block = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let got = block.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
            if got < 0 {
                if errno == EINTR { continue }
                throw TextFileError(path: path, action: action, errno: errno)
            }
            if got == 0 { break }
            bytes += block[..<got]
        }
        return bytes
    }

    /// The lines of the file at `path` (TextLines rule), decoded under `policy`.
    public static func lines(_ path: String, action: String, policy: InvalidUTF8Policy = .current) throws -> [String] {
        try TextLines.strings(try bytes(path, action: action), source: path, policy: policy)
    }

    /// The whole file as one String, decoded under `policy`.
    public static func string(_ path: String, action: String, policy: InvalidUTF8Policy = .current) throws -> String {
        try bytes(path, action: action).withUnsafeBufferPointer { try UTF8Check.string($0, source: path, policy: policy) }
    }
}
