// `tinyencoder bench tokenize`: batch-encoding throughput on a corpus, comparable line for line
// with Scripts/peers/hf_bpe.py: the same lines (Python's `str.splitlines` rule), the full
// Encoding for each (ids, tokens, offsets, masks), MB/s over the file size, bytes per token.
// Not handled: timing decode (it is a byte copy).

import Foundation
import TextInput
import TensorCore
import Tokenization

enum TokenizeBenchmark: Benchmark {
    static let kind = "tokenize"
    static let synopsis = "tokenize --tokenizer FILE --corpus FILE [--batch N]"
    static let options = [
        HelpOption("--tokenizer FILE", "tokenizer.json"),
        HelpOption("--corpus FILE", "text; its lines (split as Python's str.splitlines, as hf_bpe.py does) are encoded"),
        HelpOption("--batch N", "lines per batch", default: "1024"),
    ]
    static let output = """
        tokenize: "threads= encode_mb_per_s= bytes_per_token= tokens= seconds="
        """

    static func run(_ arguments: inout Arguments) throws {
        let tokenizerPath = try arguments.required("tokenizer")
        let corpusPath = try arguments.required("corpus")
        let batchSize = try arguments.int("batch", default: 1024, in: 1...10_000_000)
        try arguments.rejectUnknown()
        let tokenizer = try Tokenizer(contentsOf: URL(fileURLWithPath: tokenizerPath))
        let bytes: [UInt8]
        do { bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: corpusPath))) } catch {
            throw CLIError("bench tokenize: cannot read --corpus \(corpusPath): \(TextFile.readFailureCause(corpusPath))")
        }
        if InvalidUTF8Policy.current == .refuse, let bad = firstInvalidUTF8Byte(in: bytes) {   // replace: U+FFFD below
            throw TokenizationError.invalidUTF8(source: corpusPath, byteOffset: bad, line: bytes[..<bad].filter { $0 == 0x0A }.count + 1)
        }
        let lines = pythonSplitLines(bytes)

        let progress = ProgressReporter(label: "encoding", total: Double(bytes.count) / 1e6, unit: "MB")
        var tokens = 0
        var doneBytes = 0
        let start = monotonicSeconds()
        var batchStart = 0
        while batchStart < lines.count {
            let batch = Array(lines[batchStart..<min(lines.count, batchStart + batchSize)])
            let encodings = try tokenizer.encode(batch: batch, addSpecialTokens: true, threads: Threads.count)
            for encoding in encodings { tokens += encoding.count }
            for line in batch { doneBytes += line.utf8.count + 1 }
            progress.update(done: Double(doneBytes) / 1e6)
            batchStart += batchSize
        }
        let seconds = monotonicSeconds() - start
        progress.finish(done: Double(bytes.count) / 1e6)
        let megabytes = Double(bytes.count) / 1e6
        print("threads=\(Threads.count) encode_mb_per_s=\(String(format: "%.2f", megabytes / seconds)) "
              + "bytes_per_token=\(String(format: "%.3f", Double(bytes.count) / Double(max(tokens, 1)))) "
              + "tokens=\(tokens) seconds=\(String(format: "%.2f", seconds))")
    }

    /// Python's `str.splitlines()` on UTF-8: breaks at \n, \r\n, \r, \v, \f, \x1c, \x1d, \x1e,
    /// U+0085 (C2 85), U+2028 (E2 80 A8) and U+2029 (E2 80 A9), and drops the separators.
    static func pythonSplitLines(_ bytes: [UInt8]) -> [String] {
        var lines: [String] = []
        var start = 0
        var index = 0
        let count = bytes.count
        while index < count {
            let byte = bytes[index]
            var separator = 0
            switch byte {
            case 0x0A, 0x0B, 0x0C, 0x1C, 0x1D, 0x1E: separator = 1
            case 0x0D: separator = index + 1 < count && bytes[index + 1] == 0x0A ? 2 : 1
            case 0xC2 where index + 1 < count && bytes[index + 1] == 0x85: separator = 2
            case 0xE2 where index + 2 < count && bytes[index + 1] == 0x80 && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9):
                separator = 3
            default: break
            }
            if separator > 0 {
                lines.append(String(decoding: bytes[start..<index], as: UTF8.self))
                index += separator
                start = index
            } else {
                index += 1
            }
        }
        if start < count { lines.append(String(decoding: bytes[start..<count], as: UTF8.self)) }
        return lines
    }
}
