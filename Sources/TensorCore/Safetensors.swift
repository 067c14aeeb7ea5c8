// safetensors (Hugging Face's tensor file): an 8-byte little-endian header length N, N bytes of
// JSON {"name": {"dtype", "shape", "data_offsets": [begin, end]}, "__metadata__": {…}}, then the
// raw little-endian data, offsets counted from the end of the header. We read F32, F16 and BF16
// (widened to Float32) and write F32 or F16 (HalfPrecision: bit operations, no Float16 type).
// Every size and offset is checked against the file before anything is allocated.
// Reference: github.com/huggingface/safetensors, "Format".
// Not handled: integer and F64 tensors (a typed error names the dtype), memory-mapped views.

import Foundation
import TextInput

/// Element types we can read.
public enum SafetensorsDType: String, Sendable {
    case float32 = "F32", float16 = "F16", bfloat16 = "BF16"

    var byteSize: Int { self == .float32 ? 4 : 2 }
}

/// A parsed safetensors file: tensors in file order, widened to Float32, and the metadata.
public struct SafetensorsFile: Sendable {
    /// Tensor names: those with no data (a 0 in the shape) first, by name, then the others in the
    /// order of their data in the file.
    public var names: [String]
    public var tensors: [String: Tensor]
    /// The stored dtype of each tensor before widening.
    public var storedTypes: [String: SafetensorsDType]
    public var metadata: [String: String]
    /// Tensors left unread because of their dtype (only with `skippingUnsupported`), name → dtype.
    public var skipped: [String: String] = [:]

    /// The tensor called `name`, or a FileError naming it.
    public func tensor(_ name: String, file: String) throws -> Tensor {
        if let dtype = skipped[name] {
            throw FileError(.unsupported, file: file, field: "\(name).dtype", problem: "dtype \(dtype) is not supported (only F32, F16 and BF16 are read)",
                            fix: "Convert the tensor to a floating-point type before loading")
        }
        guard let tensor = tensors[name] else {
            throw FileError(.mismatch, file: file, field: name, problem: "the tensor is missing",
                            fix: "Check that the file was written for this model (it holds \(names.count) tensors)")
        }
        return tensor
    }
}

/// Reading and writing safetensors files.
public enum Safetensors: Sendable {
    /// The largest header we accept (the reference implementation's limit too).
    public static let maximumHeaderBytes = 100_000_000

    /// Reads and validates a file. Errors name the file, the tensor or key, and the fix.
    ///
    /// - Parameter skippingUnsupported: leave tensors of other dtypes (I64 position ids, say)
    ///   unread instead of failing; they are listed in `skipped`. Their offsets are still checked.
    public static func read(_ url: URL, skippingUnsupported: Bool = false) throws -> SafetensorsFile {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            let exists = FileManager.default.fileExists(atPath: url.path)
            throw FileError(exists ? .unreadable : .notFound, file: url.path, field: "(file)",
                            problem: "cannot be read (reading safetensors): \(TextFile.readFailureCause(url.path))",
                            fix: exists ? "Check its permissions" : "Check the path")
        }
        return try parse(data, file: url.path, skippingUnsupported: skippingUnsupported)
    }

    /// Parses the bytes of a safetensors file; `file` is used in error messages.
    public static func parse(_ data: Data, file: String, skippingUnsupported: Bool = false) throws -> SafetensorsFile {
        func fail(_ kind: FileError.Kind, _ field: String, _ problem: String, _ fix: String = "The file is damaged or not a safetensors file; re-create or re-download it") -> FileError {
            FileError(kind, file: file, field: field, problem: problem, fix: fix)
        }
        guard data.count >= 8 else {
            throw fail(.truncated, "header length", "the file has \(data.count) bytes, fewer than the 8-byte header length")
        }
        let headerLength = data.prefix(8).withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
        guard headerLength <= UInt64(maximumHeaderBytes) else {
            throw fail(.tooLarge, "header length", "the header claims \(headerLength) bytes, more than the \(maximumHeaderBytes)-byte limit")
        }
        guard headerLength <= UInt64(data.count - 8) else {
            throw fail(.truncated, "header length", "the header claims \(headerLength) bytes but only \(data.count - 8) follow")
        }
        let headerEnd = 8 + Int(headerLength)
        let headerBytes = data.subdata(in: data.startIndex + 8..<data.startIndex + headerEnd)
        guard let json = try? JSONSerialization.jsonObject(with: headerBytes), let header = json as? [String: Any] else {
            throw fail(.malformed, "header", "the header is not a JSON object")
        }
        let dataLength = data.count - headerEnd
        var metadata: [String: String] = [:]
        var entries: [(name: String, dtype: SafetensorsDType?, shape: [Int], begin: Int, end: Int)] = []
        var skipped: [String: String] = [:]
        /// Bytes per element of the dtypes we can skip but not read.
        let otherSizes = ["F64": 8, "I64": 8, "U64": 8, "I32": 4, "U32": 4, "I16": 2, "U16": 2, "I8": 1, "U8": 1, "BOOL": 1, "F8_E4M3": 1, "F8_E5M2": 1]
        for (name, value) in header {
            if name == "__metadata__" {
                guard let dictionary = value as? [String: Any] else { throw fail(.malformed, name, "must be an object of strings") }
                for (key, item) in dictionary {
                    guard let text = item as? String else { throw fail(.malformed, "__metadata__.\(key)", "must be a string") }
                    metadata[key] = text
                }
                continue
            }
            guard let entry = value as? [String: Any] else { throw fail(.malformed, name, "the entry is not an object") }
            guard let dtypeText = entry["dtype"] as? String else { throw fail(.malformed, "\(name).dtype", "missing or not a string") }
            let dtype = SafetensorsDType(rawValue: dtypeText)
            guard let byteSize = dtype?.byteSize ?? (skippingUnsupported ? otherSizes[dtypeText] : nil) else {
                throw fail(.unsupported, "\(name).dtype", "dtype \(dtypeText) is not supported (only F32, F16 and BF16 are read)",
                           "Convert the tensor to a floating-point type before loading")
            }
            if dtype == nil { skipped[name] = dtypeText }
            guard let shapeList = entry["shape"] as? [Any] else { throw fail(.malformed, "\(name).shape", "missing or not a list") }
            var shape: [Int] = []
            var elements = 1
            for extent in shapeList {
                guard let value = exactInt(extent), value >= 0 else {
                    throw fail(.malformed, "\(name).shape", "extent \(extent) is not a non-negative whole number")
                }
                let (product, overflow) = elements.multipliedReportingOverflow(by: value)
                guard !overflow, product <= dataLength else {
                    throw fail(.malformed, "\(name).shape", "shape \(shapeList) holds more elements than the file has bytes")
                }
                shape.append(value)
                elements = product
            }
            guard let offsets = entry["data_offsets"] as? [Any], offsets.count == 2,
                  let begin = exactInt(offsets[0]), let end = exactInt(offsets[1]) else {
                throw fail(.malformed, "\(name).data_offsets", "must be two whole numbers [begin, end]")
            }
            guard begin >= 0, begin <= end, end <= dataLength else {
                throw fail(.truncated, "\(name).data_offsets", "[\(begin), \(end)] lies outside the \(dataLength) data bytes")
            }
            guard end - begin == elements * byteSize else {
                throw fail(.malformed, "\(name).data_offsets", "[\(begin), \(end)] spans \(end - begin) bytes but shape \(shape) of \(dtypeText) needs \(elements * byteSize)")
            }
            entries.append((name, dtype, shape, begin, end))
        }
        // Tensors with no data (a 0 in the shape) come first, by name: their offsets say nothing
        // of order, and a writer lays them out wherever it likes (ours: where the data stands when
        // their turn comes). So parse → serialize → parse gives the same names in the same order.
        func order(_ entry: (name: String, dtype: SafetensorsDType?, shape: [Int], begin: Int, end: Int)) -> (Int, Int, String) {
            entry.end > entry.begin ? (1, entry.begin, entry.name) : (0, 0, entry.name)
        }
        entries.sort { order($0) < order($1) }
        let empty = entries.prefix { $0.end == $0.begin }.count
        for index in entries.indices.dropFirst(empty + 1) where entries[index].begin < entries[index - 1].end {
            throw fail(.malformed, "\(entries[index].name).data_offsets",
                       "overlaps \(entries[index - 1].name) (bytes \(entries[index].begin) < \(entries[index - 1].end))")
        }
        // The data must be exactly the tensors, back to back from byte 0 (the reference reader's
        // `validate`: InvalidOffset for a gap, MetadataIncompleteBuffer for bytes left at the end).
        var covered = 0
        for entry in entries.dropFirst(empty) {
            guard entry.begin == covered else {
                throw fail(.malformed, "\(entry.name).data_offsets",
                           "starts at byte \(entry.begin), leaving data bytes \(covered)..<\(entry.begin) to no tensor")
            }
            covered = entry.end
        }
        guard covered == dataLength else {
            throw fail(.malformed, "(data)", "has \(dataLength - covered) bytes after the last tensor (tensors end at byte \(covered) of \(dataLength))",
                       "The file was cut wrongly or has bytes appended; re-create it (the safetensors reference reader rejects it too)")
        }
        var result = SafetensorsFile(names: [], tensors: [:], storedTypes: [:], metadata: metadata, skipped: skipped)
        data.withUnsafeBytes { raw in
            let base = raw.baseAddress! + headerEnd
            for entry in entries {
                guard let dtype = entry.dtype else { continue }
                var tensor = Tensor(uninitializedShape: entry.shape)
                tensor.withUnsafeMutableBufferPointer { target in
                    widen(base + entry.begin, dtype: dtype, into: target)
                }
                result.names.append(entry.name)
                result.tensors[entry.name] = tensor
                result.storedTypes[entry.name] = dtype
            }
        }
        return result
    }

    /// A JSON number that is exactly a whole number representable as Int.
    private static func exactInt(_ value: Any) -> Int? {
        guard let number = value as? NSNumber else { return nil }
        let double = number.doubleValue
        // Whole, and small enough that Double holds it exactly (2⁵³); no file is larger.
        guard double.isFinite, double.rounded() == double, abs(double) <= 9_007_199_254_740_992 else { return nil }
        return Int(double)
    }

    private static func widen(_ source: UnsafeRawPointer, dtype: SafetensorsDType, into target: UnsafeMutableBufferPointer<Float>) {
        switch dtype {
        case .float32:
            for index in target.indices {
                target[index] = Float(bitPattern: UInt32(littleEndian: source.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)))
            }
        case .float16:
            for index in target.indices {
                let bits = UInt16(littleEndian: source.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self))
                target[index] = HalfPrecision.float(fromBits: bits)
            }
        case .bfloat16:
            for index in target.indices {
                let bits = UInt16(littleEndian: source.loadUnaligned(fromByteOffset: index * 2, as: UInt16.self))
                target[index] = Float(bitPattern: UInt32(bits) << 16)
            }
        }
    }

    // MARK: - Writing

    /// Serialises tensors (in the given order) as F32, or as F16 to halve the size.
    public static func serialize(_ tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:],
                                 dtype: SafetensorsDType = .float32) -> Data {
        precondition(dtype != .bfloat16, "Safetensors.serialize: BF16 output is not supported")
        var header = "{"
        if !metadata.isEmpty {
            header += "\"__metadata__\":{" + metadata.sorted { $0.key < $1.key }.map { "\(jsonString($0.key)):\(jsonString($0.value))" }.joined(separator: ",") + "},"
        }
        var offset = 0
        var parts: [String] = []
        for (name, tensor) in tensors {
            let bytes = tensor.count * dtype.byteSize
            parts.append("\(jsonString(name)):{\"dtype\":\"\(dtype.rawValue)\",\"shape\":[\(tensor.shape.map(String.init).joined(separator: ","))],\"data_offsets\":[\(offset),\(offset + bytes)]}")
            offset += bytes
        }
        header += parts.joined(separator: ",") + "}"
        var headerData = Data(header.utf8)
        while headerData.count % 8 != 0 { headerData.append(0x20) }  // pad with spaces, as the reference does
        var output = Data(capacity: 8 + headerData.count + offset)
        withUnsafeBytes(of: UInt64(headerData.count).littleEndian) { output.append(contentsOf: $0) }
        output.append(headerData)
        for (_, tensor) in tensors {
            tensor.withUnsafeBufferPointer { values in
                if dtype == .float32 {
                    var littleEndian = [UInt32](repeating: 0, count: values.count)
                    for index in values.indices { littleEndian[index] = values[index].bitPattern.littleEndian }
                    littleEndian.withUnsafeBytes { output.append(contentsOf: $0) }
                } else {
                    var halves = [UInt16](repeating: 0, count: values.count)
                    for index in values.indices { halves[index] = HalfPrecision.bits(from: values[index]).littleEndian }
                    halves.withUnsafeBytes { output.append(contentsOf: $0) }
                }
            }
        }
        return output
    }

    /// Writes a file atomically (temporary file, then rename).
    public static func write(_ tensors: [(name: String, tensor: Tensor)], metadata: [String: String] = [:],
                             dtype: SafetensorsDType = .float32, to url: URL) throws {
        try AtomicFile.write(serialize(tensors, metadata: metadata, dtype: dtype), to: url)
    }

    /// A JSON string literal with the escapes JSON requires.
    public static func jsonString(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            default:
                if scalar.value < 0x20 {
                    result += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16)
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
