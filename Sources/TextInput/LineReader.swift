// LineReader: streams the lines of a file or of standard input in blocks of 1 MiB, so memory
// grows with the longest line, not with the input. Lines follow TextLines (end at "\n", a trailing
// "\r" dropped) and are decoded under an InvalidUTF8Policy; errors name the byte and the line in
// the whole input.
// Not handled: seeking, and reading the same descriptor from two readers.

import Foundation

/// Streams lines from a file descriptor.
public final class LineReader {
    public let source: String
    public let policy: InvalidUTF8Policy
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    /// Bytes consumed before `buffer[0]`.
    private var consumed = 0
    /// Number of the next line (1-based).
    public private(set) var lineNumber = 1
    private static let blockSize = 1 << 20

    /// Reads standard input.
    public init(standardInput source: String = "standard input", policy: InvalidUTF8Policy = .current) {
        self.source = source
        self.policy = policy
        descriptor = 0
        ownsDescriptor = false
    }

    /// Opens `path` for reading.
    /// - Throws: `TextFileError` naming the path and the cause.
    public init(path: String, action: String = "reading lines", policy: InvalidUTF8Policy = .current) throws {
        source = path
        self.policy = policy
        descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else { throw TextFileError(path: path, action: action, errno: errno) }
        ownsDescriptor = true
        var status = stat()
        if fstat(descriptor, &status) == 0, (status.st_mode & S_IFMT) == S_IFDIR {
            close(descriptor)
            throw TextFileError(path: path, action: action, errno: EISDIR)
        }
    }

    deinit { if ownsDescriptor { close(descriptor) } }

    /// The next line's bytes (without "\n" or "\r\n"), or nil at the end of the input. The bytes
    /// are not checked for UTF-8; `next()` does that.
    public func nextBytes() throws -> ArraySlice<UInt8>? {
        var searchFrom = start
        while true {
            if let newline = buffer[searchFrom...].firstIndex(of: 0x0A) {
                let lineStart = start
                start = newline + 1
                lineNumber += 1
                let end = newline > lineStart && buffer[newline - 1] == 0x0D ? newline - 1 : newline
                return buffer[lineStart..<end]
            }
            if atEnd {
                guard start < buffer.count else { return nil }
                let lineStart = start
                start = buffer.count
                lineNumber += 1
                let end = buffer.count > lineStart && buffer[buffer.count - 1] == 0x0D ? buffer.count - 1 : buffer.count
                return buffer[lineStart..<end]
            }
            // Drop consumed bytes, then read one more block.
            if start > 0 {
                consumed += start
                buffer.removeFirst(start)
                start = 0
            }
            searchFrom = buffer.count
            try fill()
        }
    }

    /// The next line as a String, decoded under `policy`, or nil at the end of the input.
    /// - Throws: `InvalidUTF8Error` naming the byte (in the whole input) and the line.
    public func next() throws -> String? {
        let number = lineNumber
        let offset = consumed + start
        guard let bytes = try nextBytes() else { return nil }
        return try bytes.withUnsafeBufferPointer {
            try UTF8Check.string($0, source: source, policy: policy, firstByte: offset, firstLine: number)
        }
    }

    /// Every remaining line.
    public func readAll() throws -> [String] {
        var lines: [String] = []
        while let line = try next() { lines.append(line) }
        return lines
    }

    private func fill() throws {
        let old = buffer.count
        // No reserveCapacity here: it allocates exactly what is asked, so a long line would be
        // copied once per block (quadratic); append grows the buffer geometrically.
        buffer.append(contentsOf: repeatElement(0, count: Self.blockSize))
        var got = 0
        repeat {
            got = buffer.withUnsafeMutableBufferPointer { read(descriptor, $0.baseAddress! + old, Self.blockSize) }
        } while got < 0 && errno == EINTR
        if got < 0 {
            let code = errno
            buffer.removeLast(Self.blockSize)
            throw TextFileError(path: source, action: "reading lines", errno: code)
        }
        buffer.removeLast(Self.blockSize - got)
        if got == 0 { atEnd = true }
    }
}
