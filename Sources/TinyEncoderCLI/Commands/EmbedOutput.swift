// EmbedOutput: where `tinyencoder embed` writes its vectors, in each output format, streamed so
// memory grows with one batch, not with the input: tsv and json as text, npy (NumPy's .npy v1.0)
// and safetensors as binary files whose header, written last over reserved space, holds the row
// count known only at the end.
// Reference: NumPy's "NPY format" (numpy.lib.format, version 1.0; header padded to 64 bytes);
// safetensors' format (header JSON may be padded with spaces; tensors cover the data in order).
// Not handled: float16 output; several files for one run.

import Foundation
import TensorCore

/// embed's output formats.
enum EmbedFormat: String, OptionChoice {
    case tsv, json, npy, safetensors

    var isBinary: Bool { self == .npy || self == .safetensors }

    /// The format an --out file's extension asks for (.tsv, .json, .npy, .safetensors).
    static func inferred(from url: URL) -> EmbedFormat? {
        EmbedFormat(rawValue: url.pathExtension.lowercased())
    }
}

/// Receives embed's vectors batch by batch, then `finish()`.
protocol EmbeddingSink: AnyObject {
    /// One sentence vector per text.
    func write(sentences: [[Float]]) throws
    /// Each text's token vectors (`--pooling none`).
    func write(tokens: [[[Float]]]) throws
    /// Completes the output (closing brackets, the binary header).
    func finish() throws
}

/// Buffered bytes to a file handle (standard output or a file being written).
final class ByteOutput {
    let handle: FileHandle
    private var buffer = Data()

    init(_ handle: FileHandle) { self.handle = handle }

    func write(_ text: String) throws { try write(Data(text.utf8)) }

    func write(_ bytes: Data) throws {
        buffer.append(bytes)
        if buffer.count > 1 << 20 { try flush() }
    }

    func write<T>(littleEndian values: [T]) throws where T: FixedWidthInteger {
        try write(values.withUnsafeBufferPointer { Data(buffer: UnsafeBufferPointer(start: $0.baseAddress, count: $0.count)) })
    }

    func write(floats values: [Float]) throws {
        try write(littleEndian: values.map { $0.bitPattern.littleEndian })
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}

// MARK: - Text

/// tsv: one line per vector, numbers separated by tabs (token mode: "TEXT<TAB>TOKEN<TAB>…").
/// json: an array with one array per text (token mode: an array of token arrays per text).
/// Numbers are printed in the shortest form that reads back to the same Float32.
final class TextEmbeddingSink: EmbeddingSink {
    let output: ByteOutput
    let json: Bool
    private var textIndex = 0

    init(_ output: ByteOutput, json: Bool) throws {
        self.output = output
        self.json = json
        if json { try output.write("[") }
    }

    static func numbers(_ vector: [Float], separator: String) -> String {
        vector.map { "\($0)" }.joined(separator: separator)
    }

    /// JSON has no NaN or Infinity: a non-finite number is refused, naming the text (its index
    /// and, for standard input, its line) and the position, instead of printing invalid JSON.
    func requireFinite(_ vector: [Float], token: Int? = nil) throws {
        guard let position = vector.firstIndex(where: { !$0.isFinite }) else { return }
        let place = token.map { "token \($0), " } ?? ""
        throw CLIError("embed: text \(textIndex) (input line \(textIndex + 1)): \(place)element \(position) of its vector is \(vector[position]), "
            + "which JSON cannot hold; the model produced a non-finite value (check its weights), or use --format tsv, npy or safetensors to see it")
    }

    func write(sentences: [[Float]]) throws {
        for vector in sentences {
            if json {
                try requireFinite(vector)
                try output.write((textIndex == 0 ? "\n[" : ",\n[") + Self.numbers(vector, separator: ",") + "]")
            } else {
                try output.write(Self.numbers(vector, separator: "\t") + "\n")
            }
            textIndex += 1
        }
    }

    func write(tokens: [[[Float]]]) throws {
        for perText in tokens {
            if json {
                for (token, vector) in perText.enumerated() { try requireFinite(vector, token: token) }
                let rows = perText.map { "[" + Self.numbers($0, separator: ",") + "]" }.joined(separator: ",")
                try output.write((textIndex == 0 ? "\n[" : ",\n[") + rows + "]")
            } else {
                for (tokenIndex, vector) in perText.enumerated() {
                    try output.write("\(textIndex)\t\(tokenIndex)\t" + Self.numbers(vector, separator: "\t") + "\n")
                }
            }
            textIndex += 1
        }
    }

    func finish() throws {
        if json { try output.write(textIndex == 0 ? "]\n" : "\n]\n") }
        try output.flush()
    }
}

// MARK: - Binary

/// A [rows, width] float32 matrix streamed into a file after a header of fixed size, which is
/// rewritten at the end with the final row count.
class BinaryEmbeddingSink: EmbeddingSink {
    let output: ByteOutput
    let width: Int
    let headerSize: Int
    private(set) var rows = 0
    private(set) var tokenCounts: [Int] = []

    init(_ output: ByteOutput, width: Int, headerSize: Int) throws {
        self.output = output
        self.width = width
        self.headerSize = headerSize
        try output.write(Data(count: headerSize))  // replaced by `header()` in finish
    }

    func write(sentences: [[Float]]) throws {
        for vector in sentences { try append(vector) }
    }

    func write(tokens: [[[Float]]]) throws {
        for perText in tokens {
            for vector in perText { try append(vector) }
            tokenCounts.append(perText.count)
        }
    }

    func append(_ vector: [Float]) throws {
        precondition(vector.count == width, "embed: a \(vector.count)-wide vector in a \(width)-wide output")
        try output.write(floats: vector)
        rows += 1
    }

    /// The header for the final row count, exactly `headerSize` bytes.
    func header() throws -> Data { fatalError("subclass") }
    /// Data written after the matrix (safetensors: the token counts).
    func trailer() throws {}

    func finish() throws {
        try trailer()
        try output.flush()
        let header = try header()
        precondition(header.count == headerSize, "embed: header of \(header.count) bytes in \(headerSize) reserved")
        try output.handle.seek(toOffset: 0)
        try output.handle.write(contentsOf: header)
    }
}

/// NumPy .npy version 1.0: "\x93NUMPY", 1, 0, a little-endian UInt16 header length, then a Python
/// dict literal padded with spaces and ended by "\n" so that the data starts at a multiple of 64.
final class NpyEmbeddingSink: BinaryEmbeddingSink {
    init(_ output: ByteOutput, width: Int) throws {
        try super.init(output, width: width, headerSize: 128)  // room for a 20-digit row count
    }

    override func header() throws -> Data {
        var dictionary = "{'descr': '<f4', 'fortran_order': False, 'shape': (\(rows), \(width)), }"
        let length = headerSize - 10
        dictionary += String(repeating: " ", count: length - 1 - dictionary.utf8.count) + "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        withUnsafeBytes(of: UInt16(length).littleEndian) { data.append(contentsOf: $0) }
        data.append(Data(dictionary.utf8))
        return data
    }
}

/// safetensors: "embeddings" F32 [rows, width]; with token vectors also "token_counts" I64 [texts]
/// (text i's tokens are rows sum(counts[..<i]) ..< sum(counts[...i])). Metadata: strings.
final class SafetensorsEmbeddingSink: BinaryEmbeddingSink {
    let tokenMode: Bool
    let metadata: [String: String]

    init(_ output: ByteOutput, width: Int, tokenMode: Bool, metadata: [String: String]) throws {
        self.tokenMode = tokenMode
        self.metadata = metadata
        // Room for the largest header: the one for no rows, with each of its (at most six) counts
        // and offsets grown from 1 digit to 19, rounded up to a multiple of 8 bytes.
        let smallest = Self.headerJSON(rows: 0, width: width, texts: tokenMode ? 0 : nil, metadata: metadata)
        try super.init(output, width: width, headerSize: 8 + (smallest.utf8.count + 6 * 18 + 7) / 8 * 8)
    }

    static func headerJSON(rows: Int, width: Int, texts: Int?, metadata: [String: String]) -> String {
        let matrixBytes = rows * width * 4
        var entries = ["\"embeddings\":{\"dtype\":\"F32\",\"shape\":[\(rows),\(width)],\"data_offsets\":[0,\(matrixBytes)]}"]
        if let texts {
            entries.append("\"token_counts\":{\"dtype\":\"I64\",\"shape\":[\(texts)],\"data_offsets\":[\(matrixBytes),\(matrixBytes + 8 * texts)]}")
        }
        let meta = metadata.sorted { $0.key < $1.key }.map { Safetensors.jsonString($0.key) + ":" + Safetensors.jsonString($0.value) }
        return "{\"__metadata__\":{" + meta.joined(separator: ",") + "}," + entries.joined(separator: ",") + "}"
    }

    override func trailer() throws {
        if tokenMode { try output.write(littleEndian: tokenCounts.map { Int64($0).littleEndian }) }
    }

    override func header() throws -> Data {
        let json = Self.headerJSON(rows: rows, width: width, texts: tokenMode ? tokenCounts.count : nil, metadata: metadata)
        let length = headerSize - 8
        var data = Data()
        withUnsafeBytes(of: UInt64(length).littleEndian) { data.append(contentsOf: $0) }
        data.append(Data((json + String(repeating: " ", count: length - json.utf8.count)).utf8))
        return data
    }
}
