// `tinyencoder bench gemm`: SGEMM throughput in GFLOP/s at the shapes of
// ../shared/peers/gemm_numpy.py (so the two print comparable lines), optionally with B transposed.
// Not handled: alpha/beta other than 1/0 (they cost nothing measurable).

import Foundation
import TensorCore

enum GemmBenchmark: Benchmark {
    static let kind = "gemm"
    static let usage = """
        tinyencoder bench gemm [--sizes M,N,K ...] [--transpose-b] [--threads N]
            prints "m= n= k= transpose_b= threads= gflops=" per shape; default shapes: 256³, 512³,
            1024³, 2048³, 4096x768x256, 4096x256x256, 4096x1024x256, 4096x256x1024 (as gemm_numpy.py)
        """
    static let flagNames: Set<String> = ["transpose-b"]

    static let defaultShapes: [(Int, Int, Int)] = [
        (256, 256, 256), (512, 512, 512), (1024, 1024, 1024), (2048, 2048, 2048),
        (4096, 768, 256), (4096, 256, 256), (4096, 1024, 256), (4096, 256, 1024),
    ]

    static func run(_ arguments: inout Arguments) throws {
        let transposeB = arguments.flag("transpose-b")
        var shapes = defaultShapes
        let sizeTexts = arguments.strings("sizes") + arguments.positionals.dropFirst()
        if !sizeTexts.isEmpty {
            shapes = try sizeTexts.map { text in
                let parts = text.split(separator: ",").compactMap { Int($0) }
                guard parts.count == 3, parts.allSatisfy({ $0 > 0 && $0 <= 65536 }) else {
                    throw CLIError("bench gemm: a size is M,N,K with each from 1 to 65536, got \"\(text)\"")
                }
                return (parts[0], parts[1], parts[2])
            }
        }
        try arguments.rejectUnknown()
        var rng = SeededGenerator(seed: 0)
        for (m, n, k) in shapes {
            let a = rng.uniform(shape: [m, k])
            let b = transposeB ? rng.uniform(shape: [n, k]) : rng.uniform(shape: [k, n])
            _ = matmul(a, b, transposeB: transposeB)
            let flops = 2.0 * Double(m) * Double(n) * Double(k)
            let repetitions = max(3, Int(2e10 / flops))
            let start = monotonicSeconds()
            for _ in 0..<repetitions { _ = matmul(a, b, transposeB: transposeB) }
            let seconds = (monotonicSeconds() - start) / Double(repetitions)
            print("m=\(m) n=\(n) k=\(k) transpose_b=\(transposeB ? 1 : 0) threads=\(Threads.count) gflops=\(String(format: "%.1f", flops / seconds / 1e9))")
        }
    }
}
