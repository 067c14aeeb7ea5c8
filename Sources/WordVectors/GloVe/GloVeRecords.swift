// GloVeRecords: the merged co-occurrences turned into training records — (word, context, log X,
// f(X)) with the log and the weight computed once here instead of in every iteration — and
// shuffled once, like GloVe's `shuffle` tool. They stay in memory when they fit the budget;
// otherwise each record goes to a random one of K bucket files, each bucket is shuffled in memory
// and appended to one file that training reads in chunks (a uniform shuffle in two passes).
// Reference: stanfordnlp/GloVe src/shuffle.c. Not handled: reshuffling between iterations (GloVe
// does not either).

import Foundation

/// One co-occurrence ready for training: 16 bytes.
public struct GloVeRecord: Equatable, Sendable {
    public var word: Int32
    public var context: Int32
    /// log X_wc.
    public var logCount: Float
    /// f(X_wc) = min(1, (X_wc / x_max)^α).
    public var weight: Float
}

/// The shuffled records, in memory or in one file.
final class GloVeRecords {
    private(set) var memory: UnsafeMutablePointer<GloVeRecord>?
    private(set) var filePath: String?
    private(set) var count = 0
    private let directory: String

    deinit { memory?.deallocate() }

    /// Builds and shuffles the records of `runs`.
    init(runs: CooccurrenceRuns, config: GloVeConfig, estimatedCount: Int) throws {
        directory = runs.directory
        let stride = MemoryLayout<GloVeRecord>.stride
        var random = TrainingRandom(runSeed: config.seed, thread: 1_000)
        let xMax = config.xMax, power = config.power
        func record(_ word: Int, _ context: Int, _ x: Float) -> GloVeRecord {
            GloVeRecord(word: Int32(word), context: Int32(context), logCount: log(x),
                        weight: x < xMax ? pow(x / xMax, power) : 1)
        }
        if estimatedCount * stride <= config.memoryBudget {
            let buffer = UnsafeMutablePointer<GloVeRecord>.allocate(capacity: max(1, estimatedCount))
            var filled = 0
            try runs.merge { word, context, x in
                guard filled < estimatedCount else { return }
                buffer[filled] = record(word, context, x)
                filled += 1
            }
            GloVeRecords.shuffle(buffer, filled, &random)
            memory = buffer
            count = filled
            return
        }
        // Out of memory: scatter to buckets, then shuffle each bucket into one file.
        let bucketCount = max(2, (estimatedCount * stride) / max(1, config.memoryBudget / 2) + 1)
        var writers: [FileHandle] = []
        var paths: [String] = []
        var pending = [[GloVeRecord]](repeating: [], count: bucketCount)
        for bucket in 0..<bucketCount {
            let path = (directory as NSString).appendingPathComponent("bucket-\(bucket).bin")
            guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
                throw WordVectorsError.io(path: path, reason: "cannot create a shuffle bucket; pick a writable temporary folder")
            }
            writers.append(handle)
            paths.append(path)
        }
        func flush(_ bucket: Int) throws {
            try pending[bucket].withUnsafeBytes { try writers[bucket].write(contentsOf: $0) }
            pending[bucket].removeAll(keepingCapacity: true)
        }
        var total = 0
        try runs.merge { word, context, x in
            let bucket = random.next(below: bucketCount)
            pending[bucket].append(record(word, context, x))
            if pending[bucket].count >= 1 << 16 { try flush(bucket) }
            total += 1
        }
        for bucket in 0..<bucketCount { try flush(bucket); try writers[bucket].close() }
        let finalPath = (directory as NSString).appendingPathComponent("shuffled.bin")
        guard FileManager.default.createFile(atPath: finalPath, contents: nil), let output = FileHandle(forWritingAtPath: finalPath) else {
            throw WordVectorsError.io(path: finalPath, reason: "cannot create the shuffled co-occurrence file")
        }
        for path in paths {
            guard let data = FileManager.default.contents(atPath: path) else {
                throw WordVectorsError.io(path: path, reason: "cannot read back a shuffle bucket")
            }
            var bucket = [GloVeRecord](repeating: GloVeRecord(word: 0, context: 0, logCount: 0, weight: 0), count: data.count / stride)
            bucket.withUnsafeMutableBytes { target in data.withUnsafeBytes { source in target.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[0..<target.count])) } }
            bucket.withUnsafeMutableBufferPointer { GloVeRecords.shuffle($0.baseAddress!, $0.count, &random) }
            try bucket.withUnsafeBytes { try output.write(contentsOf: $0) }
            try? FileManager.default.removeItem(atPath: path)
        }
        try output.close()
        filePath = finalPath
        count = total
    }

    /// Fisher–Yates.
    static func shuffle(_ records: UnsafeMutablePointer<GloVeRecord>, _ count: Int, _ random: inout TrainingRandom) {
        guard count > 1 else { return }
        for index in stride(from: count - 1, to: 0, by: -1) {
            let other = random.next(below: index + 1)
            if other != index { swap(&records[index], &records[other]) }
        }
    }

    /// Calls `body` with consecutive chunks of records `range` (from memory, or read from the file).
    func forEachChunk(in range: Range<Int>, _ body: (UnsafeBufferPointer<GloVeRecord>) -> Void) throws {
        if let memory {
            body(UnsafeBufferPointer(start: memory + range.lowerBound, count: range.count))
            return
        }
        guard let filePath else { return }
        let descriptor = open(filePath, O_RDONLY)
        guard descriptor >= 0 else { throw WordVectorsError.io(path: filePath, reason: "cannot reopen the shuffled records") }
        defer { close(descriptor) }
        let chunk = 1 << 16
        let buffer = UnsafeMutablePointer<GloVeRecord>.allocate(capacity: chunk)
        defer { buffer.deallocate() }
        var start = range.lowerBound
        let stride = MemoryLayout<GloVeRecord>.stride
        while start < range.upperBound {
            let n = min(chunk, range.upperBound - start)
            let got = pread(descriptor, buffer, n * stride, off_t(start * stride))
            guard got == n * stride else { throw WordVectorsError.truncated(path: filePath, field: "the shuffled records", detail: "short read") }
            body(UnsafeBufferPointer(start: buffer, count: n))
            start += n
        }
    }
}
