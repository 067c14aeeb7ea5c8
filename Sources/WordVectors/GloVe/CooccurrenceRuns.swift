// CooccurrenceRuns: the sorted runs that counting spills to disk, and their k-way merge into one
// stream of unique (word, context, X) records in (word, context) order, summing duplicates.
// Each run is a file of 12-byte records (uint32 word, uint32 context, float32 count), written
// atomically into a private temporary folder that is removed with the object.
// Reference: stanfordnlp/GloVe src/cooccur.c (write_chunk, merge_files). Not handled: compression.

import Foundation
import TextInput

/// A set of sorted co-occurrence runs on disk. Thread-safe for `write`.
final class CooccurrenceRuns: Sendable {
    let directory: String
    private struct Written: Sendable {
        var files: [String] = []
        var recordsWritten = 0
        var firstError: (any Error)?
    }
    private let written = Locked(Written())
    /// The run files so far, in the order they were written.
    var files: [String] { written.current.files }
    /// Records in all runs so far.
    var recordsWritten: Int { written.current.recordsWritten }

    /// Creates a private folder under `parent`.
    init(directory parent: String) throws {
        let path = (parent as NSString).appendingPathComponent("tinyencoder-glove-\(getpid())-\(UInt32.random(in: 0...UInt32.max))")
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        } catch {
            throw WordVectorsError.io(path: path, reason: "cannot create the folder for co-occurrence runs; set the temporary directory to a writable folder")
        }
        directory = path
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    func record(_ error: Error) {
        written.withLock { if $0.firstError == nil { $0.firstError = error } }
    }

    func rethrow() throws {
        if let firstError = written.current.firstError { throw firstError }
    }

    /// Writes one sorted run.
    func write(keys: [UInt64], values: [Float]) throws {
        let path = written.withLock { written in
            let path = (directory as NSString).appendingPathComponent("run-\(written.files.count).bin")
            written.files.append(path)
            written.recordsWritten += keys.count
            return path
        }
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw WordVectorsError.io(path: path, reason: "cannot write a co-occurrence run; check the temporary folder")
        }
        defer { try? handle.close() }
        // 12-byte records written 64k at a time, so spilling needs no second copy of the run.
        let chunk = 1 << 16
        var bytes = [UInt8](repeating: 0, count: chunk * 12)
        var start = 0
        while start < keys.count {
            let end = min(keys.count, start + chunk)
            bytes.withUnsafeMutableBytes { raw in
                for index in start..<end {
                    let offset = (index - start) * 12
                    raw.storeBytes(of: UInt32(truncatingIfNeeded: keys[index] >> 32).littleEndian, toByteOffset: offset, as: UInt32.self)
                    raw.storeBytes(of: UInt32(truncatingIfNeeded: keys[index]).littleEndian, toByteOffset: offset + 4, as: UInt32.self)
                    raw.storeBytes(of: values[index].bitPattern.littleEndian, toByteOffset: offset + 8, as: UInt32.self)
                }
            }
            do {
                try bytes.withUnsafeBytes { try handle.write(contentsOf: UnsafeRawBufferPointer(rebasing: $0[0..<((end - start) * 12)])) }
            } catch {
                throw WordVectorsError.io(path: path, reason: "cannot write a co-occurrence run (disk full?); free space or pick another temporary folder")
            }
            start = end
        }
    }

    /// Calls `body(word, context, X)` for every distinct pair in ascending (word, context) order.
    /// - Returns: the number of distinct pairs.
    @discardableResult
    func merge(_ body: (Int, Int, Float) throws -> Void) throws -> Int {
        var cursors = try files.map { try RunCursor(path: $0) }
        var distinct = 0
        var currentKey: UInt64 = .max
        var currentValue: Float = 0
        while true {
            var best = -1
            var bestKey: UInt64 = .max
            for (index, cursor) in cursors.enumerated() where !cursor.isDone && cursor.key < bestKey {
                best = index
                bestKey = cursor.key
            }
            if best < 0 { break }
            if bestKey == currentKey {
                currentValue += cursors[best].value
            } else {
                if currentKey != .max {
                    try body(Int(currentKey >> 32), Int(currentKey & 0xFFFF_FFFF), currentValue)
                    distinct += 1
                }
                currentKey = bestKey
                currentValue = cursors[best].value
            }
            try cursors[best].advance()
        }
        if currentKey != .max {
            try body(Int(currentKey >> 32), Int(currentKey & 0xFFFF_FFFF), currentValue)
            distinct += 1
        }
        return distinct
    }
}

/// Buffered sequential reading of one run file.
private struct RunCursor {
    let handle: FileHandle
    var buffer = Data()
    var offset = 0
    var isDone = false
    var key: UInt64 = 0
    var value: Float = 0
    let path: String

    init(path: String) throws {
        self.path = path
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw WordVectorsError.io(path: path, reason: "cannot reopen a co-occurrence run")
        }
        self.handle = handle
        try advance()
    }

    mutating func advance() throws {
        if offset + 12 > buffer.count {
            let rest = buffer.count - offset
            guard rest == 0 else {
                throw WordVectorsError.truncated(path: path, field: "a co-occurrence record", detail: "\(rest) stray bytes")
            }
            buffer = (try? handle.read(upToCount: 12 << 16)) ?? Data()
            offset = 0
            if buffer.isEmpty {
                isDone = true
                try? handle.close()
                return
            }
        }
        buffer.withUnsafeBytes { raw in
            let word = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
            let context = UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self))
            value = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 8, as: UInt32.self)))
            key = UInt64(word) << 32 | UInt64(context)
        }
        offset += 12
    }
}
