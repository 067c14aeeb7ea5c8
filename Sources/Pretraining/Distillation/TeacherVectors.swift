// TeacherVectors: the teacher's sentence vector of every usable corpus line, computed once and kept
// in a safetensors file ("vectors" [N, D], float32) whose header says whose vectors they are:
//   format "tinyencoder-teacher-vectors", teacher_hash (FNV-1a of the teacher's files), corpus_hash
//   (FNV-1a of the corpus bytes), lines, dimension, normalized.
// A usable line is a non-empty line after trimming white space; row n is the n-th usable line.
// The vectors are what the teacher's `embed` returns (its pooling, Dense and Normalize modules).
// Computing them is the longest part of a distillation (about half an hour for 419k lines through
// all-MiniLM-L6-v2 on two cores), so it runs in chunks: each finished chunk is appended to a
// ".partial" file next to the cache, and a killed run continues from the last whole chunk.
// Not handled: several corpus files (concatenate them first); caches larger than memory.

import Encoder
import Foundation
import TensorCore

/// A teacher's vectors for the usable lines of one corpus.
public struct TeacherVectors: Sendable {
    public static let format = "tinyencoder-teacher-vectors"

    /// Who made the vectors and from what: must all match for a cache to be reused.
    public struct Identity: Equatable, Sendable {
        public var teacherHash: String
        public var corpusHash: String
        public var lines: Int
        public var dimension: Int
        public var normalized: Bool

        public init(teacherHash: String, corpusHash: String, lines: Int, dimension: Int, normalized: Bool) {
            self.teacherHash = teacherHash
            self.corpusHash = corpusHash
            self.lines = lines
            self.dimension = dimension
            self.normalized = normalized
        }

        var metadata: [String: String] {
            ["format": TeacherVectors.format, "version": "1", "teacher_hash": teacherHash, "corpus_hash": corpusHash,
             "lines": "\(lines)", "dimension": "\(dimension)", "normalized": "\(normalized)"]
        }
    }

    public let identity: Identity
    /// [lines, dimension].
    public let vectors: Tensor

    /// Vectors made elsewhere (an example, a test), under the identity given.
    public init(identity: Identity, vectors: Tensor) {
        precondition(vectors.shape == [identity.lines, identity.dimension], "TeacherVectors: \(vectors.shape) for \(identity.lines) × \(identity.dimension)")
        self.identity = identity
        self.vectors = vectors
    }

    // MARK: - Fingerprints

    /// FNV-1a (64-bit) of the teacher's files that decide its vectors: config, weights, tokenizer
    /// and the sentence-transformers module files, in a fixed order.
    public static func teacherHash(folder: URL) throws -> String {
        let manager = FileManager.default
        var names = ["config.json", "model.safetensors", "tokenizer.json", "vocab.txt", "tokenizer_config.json",
                     "modules.json", "sentence_bert_config.json", "1_Pooling/config.json"]
        let entries = (try? manager.contentsOfDirectory(atPath: folder.path)) ?? []
        for entry in entries.sorted() where entry.hasSuffix("_Dense") {
            names += ["\(entry)/config.json", "\(entry)/model.safetensors"]
        }
        var hash = FNV1a()
        for name in names {
            let url = folder.appendingPathComponent(name)
            guard manager.fileExists(atPath: url.path) else { continue }
            hash.add(Array(name.utf8))
            try hash.addFile(url)
        }
        return hash.hex
    }

    /// FNV-1a (64-bit) of the corpus file's bytes.
    public static func corpusHash(_ url: URL) throws -> String {
        var hash = FNV1a()
        try hash.addFile(url)
        return hash.hex
    }

    // MARK: - Reading and writing

    /// The cache at `url` if it exists and was made for `identity`; nil if there is none.
    /// - Throws: `DistillationError.cacheMismatch` naming the first field that differs;
    ///   `FileError` for a file that is not a teacher-vector cache.
    public static func load(_ url: URL, expecting identity: Identity) throws -> TeacherVectors? {
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let file = try Safetensors.read(url)
        let metadata = file.metadata
        guard metadata["format"] == format else {
            throw FileError(.malformed, file: url.path, field: "__metadata__.format", problem: "is \(metadata["format"] ?? "missing"), not \(format)",
                            fix: "Pass a cache written by `tinyencoder distill` (or another path for a new one)")
        }
        let stored = identity.metadata
        for key in ["teacher_hash", "corpus_hash", "lines", "dimension", "normalized"] where metadata[key] != stored[key] {
            throw DistillationError.cacheMismatch(cache: url.path, field: key, expected: stored[key] ?? "", found: metadata[key] ?? "missing")
        }
        let vectors = try file.tensor("vectors", file: url.path)
        guard vectors.shape == [identity.lines, identity.dimension] else {
            throw FileError(.malformed, file: url.path, field: "vectors", problem: "has shape \(vectors.shape), not [\(identity.lines), \(identity.dimension)]",
                            fix: "Delete the cache; it will be computed again")
        }
        return TeacherVectors(identity: identity, vectors: vectors)
    }

    /// The identity of `teacher`'s vectors of `lines` usable lines of `corpus` (hashes both).
    public static func identity(teacher: SentenceEmbedder, teacherFolder: URL, corpus: URL, lines: Int) throws -> Identity {
        Identity(teacherHash: try teacherHash(folder: teacherFolder), corpusHash: try corpusHash(corpus), lines: lines,
                 dimension: teacher.dense.last?.outFeatures ?? teacher.config.width, normalized: teacher.pooling.normalize)
    }

    /// Computes the vectors of `lines` (continuing a partial run of the same identity beside `url`)
    /// and writes them to `url` atomically.
    ///
    /// - Parameters:
    ///   - lines: the corpus's usable lines, in order.
    ///   - progress: told (lines done, lines in all) after each chunk.
    public static func compute(at url: URL, identity: Identity, teacher: SentenceEmbedder, lines: [String], chunkSize: Int = 8192,
                               progress: (Int, Int) -> Void = { _, _ in }) throws -> TeacherVectors {
        precondition(lines.count == identity.lines, "TeacherVectors.compute: \(lines.count) lines for an identity of \(identity.lines)")
        let width = identity.dimension
        let partial = PartialVectors(url: url.appendingPathExtension("partial"), identity: identity)
        var values = try partial.resume()
        var done = values.count / width
        progress(done, lines.count)
        values.reserveCapacity(lines.count * width)
        while done < lines.count {
            let chunk = Array(lines[done..<min(done + chunkSize, lines.count)])
            let chunkVectors = try teacher.embed(chunk)
            for vector in chunkVectors { values.append(contentsOf: vector) }
            try partial.append(chunkVectors)
            done += chunk.count
            progress(done, lines.count)
        }
        let result = TeacherVectors(identity: identity, vectors: Tensor(shape: [lines.count, width], scalars: values))
        try Safetensors.write([(name: "vectors", tensor: result.vectors)], metadata: identity.metadata, to: url)
        partial.remove()
        return result
    }
}

/// The chunks finished so far: raw little-endian float32 rows in NAME.partial, and in
/// NAME.partial.json the identity they belong to. A partial file of another identity is discarded.
struct PartialVectors {
    let url: URL
    let identity: TeacherVectors.Identity
    var manifestURL: URL { url.appendingPathExtension("json") }

    /// The values of every whole row written so far (none if the manifest is absent or differs).
    func resume() throws -> [Float] {
        guard let data = FileManager.default.contents(atPath: manifestURL.path),
              let stored = try? JSONDecoder().decode([String: String].self, from: data), stored == identity.metadata,
              let bytes = FileManager.default.contents(atPath: url.path) else {
            remove()
            try AtomicFile.write(try JSONEncoder().encode(identity.metadata), to: manifestURL)
            guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
                throw FileError(.writeFailed, file: url.path, field: "(file)", problem: "cannot be created",
                                fix: "Check that the folder exists and is writable")
            }
            return []
        }
        let rowBytes = identity.dimension * 4
        let whole = bytes.count / rowBytes * rowBytes
        if whole != bytes.count, let handle = try? FileHandle(forWritingTo: url) {  // a torn last row: cut it off
            try? handle.truncate(atOffset: UInt64(whole))
            try? handle.close()
        }
        return bytes.prefix(whole).withUnsafeBytes { raw in
            (0..<(whole / 4)).map { Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
        }
    }

    /// Appends rows and flushes them to disk.
    func append(_ rows: [[Float]]) throws {
        var data = Data(capacity: rows.count * identity.dimension * 4)
        for row in rows { for value in row { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } } }
        do {
            let handle = try FileHandle(forWritingTo: url)
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: data)
            try handle.synchronize()
        } catch {
            throw FileError(.writeFailed, file: url.path, field: "(file)", problem: "cannot append teacher vectors: \(error.localizedDescription)",
                            fix: "Check that the folder is writable and the disk has room")
        }
    }

    func remove() {
        try? FileManager.default.removeItem(at: url)
        try? FileManager.default.removeItem(at: manifestURL)
    }
}

/// 64-bit FNV-1a, over bytes added in order.
struct FNV1a {
    private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func add(_ bytes: [UInt8]) {
        for byte in bytes { value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
    }

    mutating func add(_ buffer: UnsafeRawBufferPointer) {
        var v = value
        for byte in buffer { v = (v ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        value = v
    }

    /// Adds a file's bytes, read in 4 MiB pieces.
    mutating func addFile(_ url: URL) throws {
        guard let handle = FileHandle(forReadingAtPath: url.path) else {
            throw FileError(.unreadable, file: url.path, field: "(file)", problem: "cannot be opened", fix: "Check the path and permissions")
        }
        defer { try? handle.close() }
        while let piece = try handle.read(upToCount: 1 << 22), !piece.isEmpty {
            piece.withUnsafeBytes { add($0) }
        }
    }

    var hex: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
