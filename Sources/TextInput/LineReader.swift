// LineReader: streams the lines of a file or of standard input in blocks of 1 MiB, so memory
// grows with the longest line, not with the input; with `maximumLineBytes` set, not even with that
// (a longer line is cut at a scalar boundary, and its rest is read, checked and dropped). Lines
// follow TextLines (end at "\n", a trailing "\r" dropped) and are decoded under an
// InvalidUTF8Policy; errors name the byte and the line in the whole input.
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
    /// Lines longer than this many bytes are cut: the reader returns their first bytes (up to the
    /// last scalar boundary within the limit) and reads the rest of the line block by block,
    /// checking it under `policy` and dropping it, so memory stays bounded by the limit.
    /// nil (the default): every line is returned whole.
    public var maximumLineBytes: Int?
    /// Whether the line last returned was cut at `maximumLineBytes`.
    public private(set) var lastLineWasCut = false

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
        lastLineWasCut = false
        let limit = maximumLineBytes ?? Int.max
        while true {
            let newline = buffer[searchFrom...].firstIndex(of: 0x0A)
            if newline != nil || atEnd {
                let stop = newline ?? buffer.count
                guard newline != nil || start < buffer.count else { return nil }
                let end = stop > start && buffer[stop - 1] == 0x0D ? stop - 1 : stop
                if end - start > limit { return try cutLine(limit) }
                let lineStart = start
                start = newline.map { $0 + 1 } ?? buffer.count
                lineNumber += 1
                return buffer[lineStart..<end]
            }
            // No "\n" yet: a line already longer than the limit (and a "\r") is cut now.
            if buffer.count - start - 1 > limit { return try cutLine(limit) }
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

    /// The first bytes of a line longer than `limit` (cut at a scalar boundary); the rest of the
    /// line is read up to its "\n" (or the end of the input), checked under `policy`, and dropped.
    private func cutLine(_ limit: Int) throws -> ArraySlice<UInt8> {
        let number = lineNumber
        var end = start + limit
        if let lead = UTF8Check.sequenceStart(straddling: end, in: buffer, from: start) { end = lead }   // not inside a sequence
        let kept = Array(buffer[start..<end])
        // The kept bytes first: a bad byte there comes before any in the dropped rest.
        if policy == .refuse, let bad = UTF8Check.firstInvalidByte(in: kept) {
            throw InvalidUTF8Error(source: source, byteOffset: consumed + start + bad, line: number)
        }
        consumed += end
        buffer.removeFirst(end)
        start = 0
        /// Checks `buffer[0..<count]` and drops it.
        func checkAndDrop(_ count: Int) throws {
            if policy == .refuse,
               let bad = buffer.withUnsafeBufferPointer({ UTF8Check.firstInvalidByte(in: UnsafeBufferPointer(rebasing: $0[0..<count])) }) {
                throw InvalidUTF8Error(source: source, byteOffset: consumed + bad, line: number)
            }
            consumed += count
            buffer.removeFirst(count)
        }
        while true {
            if let newline = buffer.firstIndex(of: 0x0A) {
                try checkAndDrop(newline)
                start = 1
                break
            }
            if atEnd {
                try checkAndDrop(buffer.count)
                break
            }
            // A sequence the next block may complete stays, from its lead byte on.
            try checkAndDrop(UTF8Check.sequenceStart(straddling: buffer.count, in: buffer, from: 0) ?? buffer.count)
            try fill()
        }
        lineNumber += 1
        lastLineWasCut = true
        return kept[...]
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
