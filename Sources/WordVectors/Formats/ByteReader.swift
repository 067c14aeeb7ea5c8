// ByteReader: a bounds-checked cursor over a file's bytes (memory-mapped), for the binary and text
// readers. Every read that would pass the end throws `WordVectorsError.truncated` naming the field,
// so no reader ever indexes past a buffer because a header lied.
// Reference: none beyond the formats themselves. Not handled: big-endian files (fastText and
// word2vec.c write the machine's order, little-endian on every platform they support).

import Foundation
import TextInput
import TensorCore

/// A cursor over bytes that throws instead of reading past the end.
struct ByteReader {
    let path: String
    let bytes: UnsafeRawBufferPointer
    private(set) var position = 0

    init(path: String, bytes: UnsafeRawBufferPointer) {
        self.path = path
        self.bytes = bytes
    }

    var remaining: Int { bytes.count - position }
    var atEnd: Bool { position >= bytes.count }

    mutating func require(_ count: Int, _ field: @autoclosure () -> String) throws {
        guard count >= 0, count <= remaining else {
            throw WordVectorsError.truncated(path: path, field: field(), detail: "needs \(count) bytes at offset \(position), \(remaining) left")
        }
    }

    mutating func int32(_ field: @autoclosure () -> String) throws -> Int32 {
        try require(4, field())
        let value = bytes.loadUnaligned(fromByteOffset: position, as: Int32.self)
        position += 4
        return Int32(littleEndian: value)
    }

    mutating func int64(_ field: @autoclosure () -> String) throws -> Int64 {
        try require(8, field())
        let value = bytes.loadUnaligned(fromByteOffset: position, as: Int64.self)
        position += 8
        return Int64(littleEndian: value)
    }

    mutating func float64(_ field: @autoclosure () -> String) throws -> Double {
        try require(8, field())
        let bits = bytes.loadUnaligned(fromByteOffset: position, as: UInt64.self)
        position += 8
        return Double(bitPattern: UInt64(littleEndian: bits))
    }

    mutating func uint8(_ field: @autoclosure () -> String) throws -> UInt8 {
        try require(1, field())
        let value = bytes[position]
        position += 1
        return value
    }

    /// Copies `count` little-endian Float32 values into `destination`.
    mutating func floats(into destination: UnsafeMutablePointer<Float>, count: Int, _ field: @autoclosure () -> String) throws {
        let (byteCount, overflow) = count.multipliedReportingOverflow(by: 4)
        guard !overflow else { throw WordVectorsError.malformed(path: path, field: field(), detail: "\(count) floats overflow") }
        try require(byteCount, field())
        memcpy(destination, bytes.baseAddress! + position, byteCount)
        position += byteCount
    }

    /// The bytes up to (not including) `terminator`, which is consumed. At most `limit` bytes.
    mutating func bytes(until terminator: UInt8, limit: Int, _ field: @autoclosure () -> String) throws -> UnsafeRawBufferPointer {
        let start = position
        var index = position
        while index < bytes.count && bytes[index] != terminator {
            index += 1
            if index - start > limit {
                throw WordVectorsError.malformed(path: path, field: field(), detail: "no terminator within \(limit) bytes at offset \(start); the file is garbled or in another format")
            }
        }
        guard index < bytes.count else {
            throw WordVectorsError.truncated(path: path, field: field(), detail: "no terminator before the end (started at offset \(start))")
        }
        position = index + 1
        return UnsafeRawBufferPointer(rebasing: bytes[start..<index])
    }

    mutating func skip(while predicate: (UInt8) -> Bool) {
        while position < bytes.count && predicate(bytes[position]) { position += 1 }
    }

    mutating func skip(_ count: Int, _ field: @autoclosure () -> String) throws {
        try require(count, field())
        position += count
    }
}

/// Decodes a word, strictly or replacing invalid sequences with U+FFFD.
func decodeWord(_ raw: UnsafeRawBufferPointer, path: String, field: @autoclosure () -> String, offset: Int, replaceInvalid: Bool) throws -> String {
    let buffer = raw.bindMemory(to: UInt8.self)
    if let word = String(validating: buffer, as: UTF8.self) { return word }
    if replaceInvalid { return String(decoding: buffer, as: UTF8.self) }
    var badOffset = 0
    do { _ = try WordTokenizer.decodeUTF8(buffer) } catch { badOffset = error.byteOffset }
    throw WordVectorsError.invalidUTF8(path: path, field: field(), byteOffset: offset + badOffset)
}

/// Maps a whole file read-only and passes its bytes to `body`.
func withMappedFile<R>(_ path: String, _ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
    let data: Data
    do {
        data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
    } catch {
        throw WordVectorsError.io(path: path, reason: "cannot be read: \(TextFile.readFailureCause(path))")
    }
    return try data.withUnsafeBytes { try body($0) }
}

/// Writes a file atomically: the bytes go to a temporary file in the same directory, which is then
/// renamed over `path`, so a failure never leaves a half-written file. Temporaries of killed
/// writers beside `path` are removed first (`AtomicFile.removeStaleTemporaries`).
func writeAtomically(_ path: String, _ produce: (FileHandle) throws -> Void) throws {
    let url = URL(fileURLWithPath: path)
    AtomicFile.removeStaleTemporaries(of: url)
    let directory = url.deletingLastPathComponent()
    let temporary = directory.appendingPathComponent(".\(url.lastPathComponent).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
    guard FileManager.default.createFile(atPath: temporary.path, contents: nil) else {
        throw WordVectorsError.io(path: path, reason: "cannot create a file in \(directory.path); check that the folder exists and is writable")
    }
    do {
        let handle = try FileHandle(forWritingTo: temporary)
        do {
            try produce(handle)
            try handle.synchronize()
            try handle.close()
        } catch {
            try? handle.close()
            throw error
        }
        if rename(temporary.path, path) != 0 {
            throw WordVectorsError.io(path: path, reason: "cannot move the finished file into place (\(String(cString: strerror(errno))))")
        }
    } catch {
        try? FileManager.default.removeItem(at: temporary)
        if error is WordVectorsError { throw error }
        if AtomicFile.isDiskFull(error) {
            throw WordVectorsError.io(path: path, reason: "the disk is full; free some space and run the command again (the old file, if any, is unchanged)")
        }
        throw WordVectorsError.io(path: path, reason: "write failed (\(error.localizedDescription))")
    }
}

/// Buffers small writes into large ones.
struct BufferedWriter {
    let handle: FileHandle
    var buffer: [UInt8] = []

    init(_ handle: FileHandle) {
        self.handle = handle
        buffer.reserveCapacity(1 << 20)
    }

    mutating func write(_ bytes: some Sequence<UInt8>) throws {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { try flush() }
    }

    mutating func write(_ text: String) throws { try write(text.utf8) }

    /// Large blocks (a matrix) go straight to the file after what is buffered.
    mutating func write(_ raw: UnsafeRawBufferPointer) throws {
        guard raw.count >= 1 << 20 else {
            buffer.append(contentsOf: raw)
            if buffer.count >= 1 << 20 { try flush() }
            return
        }
        try flush()
        try handle.write(contentsOf: raw)
    }

    mutating func flush() throws {
        if !buffer.isEmpty {
            try handle.write(contentsOf: buffer)
            buffer.removeAll(keepingCapacity: true)
        }
    }
}
