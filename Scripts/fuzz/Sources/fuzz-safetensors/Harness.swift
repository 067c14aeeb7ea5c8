// Fuzz harness: safetensors (`Safetensors.parse`), with and without skipping unsupported dtypes.
// Property: a file that parses writes back (as F32) to a file that parses to the same tensors.
// Seeds: the committed .safetensors fixtures and MiniLM's header (Scripts/fuzz/make-seeds.sh).
// Not handled: memory-mapped reading (the same parse runs on the mapped bytes).

import FuzzSupport
import Foundation
import TensorCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Data(bytes: data, count: size)
    for skipping in [false, true] {
        do {
            let file = try Safetensors.parse(bytes, file: "fuzz.safetensors", skippingUnsupported: skipping)
            let tensors = file.names.map { (name: $0, tensor: file.tensors[$0]!) }
            let again = try Safetensors.parse(Safetensors.serialize(tensors, metadata: file.metadata), file: "round-trip")
            Fuzz.check(again.names == file.names, "names change in a round trip: \(file.names) → \(again.names)")
            Fuzz.check(again.metadata == file.metadata, "metadata changes in a round trip")
            for name in file.names {
                let (before, after) = (file.tensors[name]!, again.tensors[name]!)
                Fuzz.check(before.shape == after.shape, "\(name): shape changes in a round trip")
                Fuzz.check(zip(before.scalars, after.scalars).allSatisfy { $0.bitPattern == $1.bitPattern },
                           "\(name): values change in a round trip")
            }
        } catch {
            Fuzz.describe(error)
        }
    }
    return 0
}
