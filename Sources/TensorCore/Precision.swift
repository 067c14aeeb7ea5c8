// Precision: the arithmetic of an inference pass, chosen when a model is loaded (`--precision` on
// the command line). float32 is the default and the only choice for training. bfloat16 runs every
// Linear layer's product with bfloat16 inputs (weights rounded once, activations per call) and
// float32 accumulation, on a CPU unit made for it (AMX or AVX512-BF16); everything else (softmax,
// LayerNorm, GELU, attention's products) stays float32. Docs/BFloat16.md has its measured cost.
// BFloat16Support finds the kernel path those products run on, or says what the CPU lacks.
// Not handled: float16 (no CPU unit we target multiplies it faster than float32).

import CKernels

/// Float32 (exact to the model's weights) or bfloat16 products (faster on CPUs with the units).
public enum Precision: String, CaseIterable, Sendable {
    case float32
    case bfloat16
}

/// Asking for bfloat16 where it cannot run.
public struct PrecisionError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Which kernel path runs bfloat16 products.
public enum BFloat16Support {
    /// The paths built into this binary that have a bfloat16 product, the preferred first, with
    /// the CPU features each needs.
    public static let units: [(path: String, features: String)] = [
        ("amx", "AMX-TILE and AMX-BF16"),
        ("avx512-bf16", "AVX512-BF16"),
    ]

    /// The kernel path for bfloat16 products on the calling thread: its own path when that has a
    /// bf16 product; else, unless a path was chosen by hand (`KernelPath.run`, `--path`), the
    /// first bf16 path this CPU can run.
    /// - Throws: `PrecisionError` naming the CPU features missing, or the chosen path.
    public static func kernelPath() throws -> String {
        try kernelPath(current: KernelPath.current, chosen: te_kernel_path_chosen() == 1,
                       available: KernelPath.available)
    }

    /// The rule of `kernelPath()` over given facts (testable on any CPU).
    public static func kernelPath(current: String, chosen: Bool, available: [String]) throws -> String {
        if te_kernel_path_has_bf16(current) == 1 { return current }
        let candidates = units.map(\.path).filter { available.contains($0) }
        if chosen {
            let offer = candidates.isEmpty ? "this CPU has no bfloat16 path" : "choose " + candidates.joined(separator: " or ")
            throw PrecisionError("bfloat16: the kernel path \(current) has no bfloat16 product (\(offer), or do not choose a path; or use --precision float32)")
        }
        guard let path = candidates.first else {
            throw PrecisionError("bfloat16: this CPU lacks "
                + units.map(\.features).joined(separator: " and lacks ")
                + " (bfloat16 products need one of them; its kernel paths are \(available.joined(separator: ", "))); use --precision float32")
        }
        return path
    }
}
