// safetensors: the reference writer's F32/F16/BF16 files read to the right values; our files
// round-trip; and every malformed file throws a typed FileError instead of trapping.
import Foundation
import Testing
import TensorCore
import TestSupport

@Suite struct SafetensorsTests {
    /// Written by the `safetensors` Python package (Scripts/make_autograd_fixtures.py).
    @Test func readsReferenceDTypes() throws {
        let file = try Safetensors.read(fixtureURL("Autograd/dtypes.safetensors"))
        #expect(file.metadata["format"] == "pt")
        #expect(file.tensors["scalar"]!.shape == [])
        #expect(file.tensors["scalar"]!.scalar == 7)
        let f32 = file.tensors["f32"]!.scalars
        #expect(file.tensors["f32"]!.shape == [2, 4])
        #expect(f32 == [0, 1, -2.5, 65504, 1e-3, -1e-3, 3.140625, 0.333333])
        // F16 has 11 significant bits: 1e-3 → 0.0010004043579, 0.333333 → 0.33325195.
        let f16 = file.tensors["f16"]!.scalars
        #expect(f16[0...3] == [0, 1, -2.5, 65504])
        #expect(f16[4] == 0.0010004043579101562)
        #expect(f16[7] == 0.333251953125)
        // BF16 keeps 8 significant bits: 65504 → 65536, 3.140625 exactly, 0.333333 → 0.333984375.
        let bf16 = file.tensors["bf16"]!.scalars
        #expect(bf16[3] == 65536)
        #expect(bf16[6] == 3.140625)
        #expect(bf16[7] == 0.333984375)
        #expect(file.storedTypes["bf16"] == .bfloat16)
    }

    @Test func roundTripsFloat32AndFloat16() throws {
        let a = Tensor(shape: [2, 3], scalars: [1, -2, 3.5, 0, 1e-8, 123456])
        let b = Tensor(shape: [4], scalars: [0.5, 0.25, -0.125, 2])
        let data32 = Safetensors.serialize([("a", a), ("b", b)], metadata: ["k": "v \"quoted\""])
        let back32 = try Safetensors.parse(data32, file: "memory")
        #expect(back32.names == ["a", "b"])
        #expect(back32.tensors["a"] == a)
        #expect(back32.metadata["k"] == "v \"quoted\"")
        let back16 = try Safetensors.parse(Safetensors.serialize([("b", b)], dtype: .float16), file: "memory")
        #expect(back16.tensors["b"] == b)  // exactly representable in F16
        // The header length is a multiple of 8, as the reference writer pads it.
        let headerLength = data32.prefix(8).withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) }
        #expect(headerLength % 8 == 0)
    }

    @Test func writesAtomically() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("te-safetensors-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("x.safetensors")
        try Safetensors.write([("x", Tensor(shape: [1], scalars: [2]))], to: url)
        #expect(try Safetensors.read(url).tensors["x"]!.scalars == [2])
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["x.safetensors"])
    }

    /// Builds a file from a header text and a data size.
    func file(header: String, dataBytes: Int) -> Data {
        var data = Data()
        withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { data.append(contentsOf: $0) }
        data.append(Data(header.utf8))
        data.append(Data(count: dataBytes))
        return data
    }

    func expectError(_ data: Data, kind: FileError.Kind, field: String) {
        do {
            _ = try Safetensors.parse(data, file: "bad.safetensors")
            Issue.record("expected a \(kind) error on \(field)")
        } catch let error as FileError {
            #expect(error.kind == kind, "\(error)")
            #expect(error.field == field, "\(error)")
            #expect(error.file == "bad.safetensors")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func truncatedFile() {
        expectError(Data([1, 2, 3]), kind: .truncated, field: "header length")
        let good = file(header: #"{"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#, dataBytes: 16)
        expectError(good.prefix(good.count - 4), kind: .truncated, field: "a.data_offsets")
    }

    @Test func headerLengthPastTheEnd() {
        var data = Data()
        withUnsafeBytes(of: UInt64(1000).littleEndian) { data.append(contentsOf: $0) }
        data.append(Data("{}".utf8))
        expectError(data, kind: .truncated, field: "header length")
        var huge = Data()
        withUnsafeBytes(of: UInt64.max.littleEndian) { huge.append(contentsOf: $0) }
        expectError(huge, kind: .tooLarge, field: "header length")
    }

    @Test func overlappingOffsets() {
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#
        expectError(file(header: header, dataBytes: 12), kind: .malformed, field: "b.data_offsets")
    }

    /// The reference reader (safetensors' `validate`) accepts only data that is exactly the
    /// tensors, back to back from byte 0: bytes after the last tensor, or a gap, are refused.
    @Test func bytesAfterTheLastTensorOrBetweenTensorsAreRefused() throws {
        let header = #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
        _ = try Safetensors.parse(file(header: header, dataBytes: 8), file: "good.safetensors")
        expectError(file(header: header, dataBytes: 9), kind: .malformed, field: "(data)")
        let gap = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[8,12]}}"#
        expectError(file(header: gap, dataBytes: 12), kind: .malformed, field: "b.data_offsets")
        let late = #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#
        expectError(file(header: late, dataBytes: 8), kind: .malformed, field: "a.data_offsets")
    }

    @Test func unknownDType() {
        let header = #"{"a":{"dtype":"Q4","shape":[2],"data_offsets":[0,2]}}"#
        expectError(file(header: header, dataBytes: 2), kind: .unsupported, field: "a.dtype")
    }

    @Test func shapeAndSizeDisagree() {
        let header = #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#
        expectError(file(header: header, dataBytes: 8), kind: .malformed, field: "a.data_offsets")
        let overflow = #"{"a":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,8]}}"#
        expectError(file(header: overflow, dataBytes: 8), kind: .malformed, field: "a.shape")
        let negative = #"{"a":{"dtype":"F32","shape":[-1],"data_offsets":[0,8]}}"#
        expectError(file(header: negative, dataBytes: 8), kind: .malformed, field: "a.shape")
    }

    @Test func headerIsNotJSON() {
        expectError(file(header: "not json", dataBytes: 0), kind: .malformed, field: "header")
        expectError(file(header: #"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0.5,4]}}"#, dataBytes: 4), kind: .malformed, field: "a.data_offsets")
    }
}
