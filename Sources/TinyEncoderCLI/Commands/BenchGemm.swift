// `tinyencoder bench gemm`: SGEMM throughput in GFLOP/s at the shapes of
// Scripts/peers/numpy_gemm.py (so the two print comparable lines), optionally with B transposed;
// with --elementwise, the time of GELU, softmax and LayerNorm at encoder shapes beside the GEMM
// that feeds each of them; with --fma-peak, the FMA ceiling of the cores (every thread running
// nothing but independent FMAs), the number the GFLOP/s figures are measured against; with
// --precision bfloat16, the bf16 product of Linear layers (B a weight packed once, A rounded per
// call, float32 sums) on the bf16 path BFloat16Support picks. Not handled: alpha/beta other than 1/0 (they cost nothing measurable).

import CKernels
import Foundation
import TensorCore

enum GemmBenchmark: Benchmark {
    static let kind = "gemm"
    static let synopsis = "gemm [--sizes M,N,K ...] [--transpose-b] [--cpu-time] [--elementwise] [--fma-peak] [--precision float32|bfloat16]"
    static let options = [
        HelpOption("--sizes M,N,K", "shapes to time (repeatable)", default: "256³, 512³, 1024³, 2048³, 4096x768x256, 4096x256x256, 4096x1024x256, 4096x256x1024, as numpy_gemm.py"),
        HelpOption("--transpose-b", "B transposed (Linear's weight layout)"),
        HelpOption("--cpu-time", "one thread only: divide by this thread's CPU time instead of wall time, so time lost to other processes does not count (adds clock=cpu)"),
        HelpOption("--elementwise", "instead, GELU, softmax and LayerNorm (forward and backward) at encoder shapes beside the GEMM that feeds each (medians of 15 runs)"),
        HelpOption("--precision P", "float32, or bfloat16: C = A·Wᵀ with W [N, K] packed once in bfloat16 (as a Linear layer at inference), A rounded per call, float32 sums, on AMX or AVX512-BF16", default: "float32"),
        HelpOption("--fma-peak", "instead, the FMA ceiling of each vector path (256-bit AVX2, 512-bit AVX-512, NEON; only --path's if given): each thread runs only independent FMA chains (median of 7 runs of about 0.3 s)"),
    ]
    static let output = """
        gemm: "m= n= k= transpose_b= threads= gflops=" per shape (bfloat16: "m= n= k= precision=bfloat16 bf16_path= threads= gflops="); --elementwise: "op= shape= threads= ms= gemm= gemm_ms= ratio="; --fma-peak: "fma_peak path= vector_bits= threads= gflops=" per vector path
        """
    static let flagNames: Set<String> = ["transpose-b", "elementwise", "cpu-time", "fma-peak"]

    static let defaultShapes: [(Int, Int, Int)] = [
        (256, 256, 256), (512, 512, 512), (1024, 1024, 1024), (2048, 2048, 2048),
        (4096, 768, 256), (4096, 256, 256), (4096, 1024, 256), (4096, 256, 1024),
    ]

    static func run(_ arguments: inout Arguments) throws {
        let transposeB = arguments.flag("transpose-b")
        let elementwise = arguments.flag("elementwise")
        let cpuTime = arguments.flag("cpu-time")
        let fmaPeak = arguments.flag("fma-peak")
        let pathChosen = arguments.string("path") != nil
        let precision = try arguments.precision()
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
        if cpuTime && Threads.count != 1 {
            throw CLIError("bench gemm: --cpu-time measures one thread's CPU time; add --threads 1")
        }
        let clock = cpuTime ? threadCPUSeconds : monotonicSeconds
        if precision == .bfloat16 {
            if elementwise || fmaPeak || transposeB { throw CLIError("bench gemm: --precision bfloat16 times the product alone (B is always a packed weight); drop --elementwise, --fma-peak and --transpose-b") }
            try runBFloat16(shapes: shapes, clock: clock, cpuTime: cpuTime)
            return
        }
        if elementwise {
            runElementwise()
            return
        }
        if fmaPeak {
            runFMAPeak(paths: pathChosen ? [KernelPath.current] : KernelPath.available.filter { $0 != "portable" })
            return
        }
        var rng = SeededGenerator(seed: 0)
        for (m, n, k) in shapes {
            let a = rng.uniform(shape: [m, k])
            let b = transposeB ? rng.uniform(shape: [n, k]) : rng.uniform(shape: [k, n])
            _ = matmul(a, b, transposeB: transposeB)
            let flops = 2.0 * Double(m) * Double(n) * Double(k)
            let repetitions = max(3, Int(2e10 / flops))
            let start = clock()
            for _ in 0..<repetitions { _ = matmul(a, b, transposeB: transposeB) }
            let seconds = (clock() - start) / Double(repetitions)
            print("m=\(m) n=\(n) k=\(k) transpose_b=\(transposeB ? 1 : 0) threads=\(Threads.count) "
                  + "gflops=\(String(format: "%.1f", flops / seconds / 1e9))\(cpuTime ? " clock=cpu" : "")")
        }
    }

    /// C = A·Wᵀ with W packed once in bfloat16 (its packing not timed), A rounded per call.
    static func runBFloat16(shapes: [(Int, Int, Int)], clock: () -> Double, cpuTime: Bool) throws {
        let path = try BFloat16Support.kernelPath()
        var rng = SeededGenerator(seed: 0)
        for (m, n, k) in shapes {
            let a = rng.uniform(shape: [m, k]), w = rng.uniform(shape: [n, k])
            let packed = PackedBFloat16Matrix(transposedWeight: w, kernelPath: path)
            var c = [Float](repeating: 0, count: m * n)
            a.withUnsafeBufferPointer { x in
                gemmBFloat16(m: m, a: x.baseAddress!, lda: k, packedB: packed, c: &c, ldc: n)
                let flops = 2.0 * Double(m) * Double(n) * Double(k)
                let repetitions = max(3, Int(4e10 / flops))
                let start = clock()
                for _ in 0..<repetitions { gemmBFloat16(m: m, a: x.baseAddress!, lda: k, packedB: packed, c: &c, ldc: n) }
                let seconds = (clock() - start) / Double(repetitions)
                print("m=\(m) n=\(n) k=\(k) precision=bfloat16 bf16_path=\(path) threads=\(Threads.count) "
                      + "gflops=\(String(format: "%.1f", flops / seconds / 1e9))\(cpuTime ? " clock=cpu" : "")")
            }
        }
    }

    /// Every thread runs FMA chains at once; the rate is all threads' FLOPs over the wall time.
    /// One line per vector path the CPU can run (256-bit AVX2 and 512-bit AVX-512 on x86-64), or
    /// only the --path one.
    static func runFMAPeak(paths: [String]) {
        let threads = Threads.count, iterations = 50_000_000
        for path in paths {
            var rates: [Double] = []
            for _ in 0..<8 {
                let flops = UnsafeMutablePointer<Double>.allocate(capacity: threads)
                defer { flops.deallocate() }
                let start = monotonicSeconds()
                parallelFor(threads) { chunk, _ in
                    flops[chunk] = KernelPath.run(path) { te_fma_peak_run(iterations, nil) } ?? 0
                }
                let seconds = monotonicSeconds() - start
                rates.append((0..<threads).reduce(0) { $0 + flops[$1] } / seconds / 1e9)
            }
            rates.removeFirst()  // warm-up: clocks ramping, threads starting
            let bits = 32 * Int(KernelPath.run(path) { te_fma_peak_run(1, nil) / 24 } ?? 0)
            print("fma_peak path=\(path) vector_bits=\(bits) threads=\(threads) gflops=\(String(format: "%.1f", rates.sorted()[rates.count / 2]))")
        }
    }

    /// Seconds of CPU time used by the calling thread.
    static func threadCPUSeconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
    }

    // MARK: - Elementwise ops beside the GEMM that feeds them

    /// The median of `runs` timings of `body`, in milliseconds (after one warm-up call).
    static func medianMilliseconds(runs: Int = 15, _ body: () -> Void) -> Double {
        body()
        var times: [Double] = []
        for _ in 0..<runs {
            let start = monotonicSeconds()
            body()
            times.append((monotonicSeconds() - start) * 1e3)
        }
        return times.sorted()[runs / 2]
    }

    /// Encoder shapes (B = 32 sequences, T = 128 tokens, C = 256, H = 4 heads, D = 64, FFN 1024):
    /// GELU on the FFN's [B·T, 1024] hidden layer, fed by x·W₁ᵀ (4096x1024x256); softmax over the
    /// B·H·T score rows of T, fed by Q·Kᵀ per head (128 products of 128x128x64); LayerNorm on
    /// [B·T, C], fed by the attention output projection (4096x256x256).
    static func runElementwise() {
        var rng = SeededGenerator(seed: 1)
        let threads = Threads.count
        func report(_ op: String, _ shape: String, _ milliseconds: Double, _ gemm: String, _ gemmMilliseconds: Double) {
            print("op=\(op) shape=\(shape) threads=\(threads) ms=\(String(format: "%.3f", milliseconds)) "
                  + "gemm=\(gemm) gemm_ms=\(String(format: "%.3f", gemmMilliseconds)) "
                  + "ratio=\(String(format: "%.2f", milliseconds / gemmMilliseconds))")
        }

        // GELU, fed by the FFN up-projection [4096, 256]·[1024, 256]ᵀ.
        let tokens = rng.uniform(shape: [4096, 256], low: -1, high: 1)
        let upWeight = rng.uniform(shape: [1024, 256], low: -0.1, high: 0.1)
        let up = matmul(tokens, upWeight, transposeB: true)
        let upMilliseconds = medianMilliseconds { _ = matmul(tokens, upWeight, transposeB: true) }
        for tanhForm in [false, true] {
            let name = tanhForm ? "gelu_tanh" : "gelu_erf"
            report(name, "4096x1024", medianMilliseconds { _ = gelu(up, tanhApproximation: tanhForm) },
                   "4096x1024x256", upMilliseconds)
            report(name + "_backward", "4096x1024",
                   medianMilliseconds { _ = geluBackward(up, input: up, tanhApproximation: tanhForm) },
                   "4096x1024x256", upMilliseconds)
        }

        // Softmax over [B·H, T, T] scores, fed by Q·Kᵀ for each of the B·H heads.
        let queries = rng.uniform(shape: [128, 128, 64], low: -1, high: 1)
        let keys = rng.uniform(shape: [128, 128, 64], low: -1, high: 1)
        let scores = batchedMatmul(queries, keys, transposeB: true)
        let scoreMilliseconds = medianMilliseconds { _ = batchedMatmul(queries, keys, transposeB: true) }
        let probabilities = softmaxRows(scores)
        report("softmax", "16384x128", medianMilliseconds { _ = softmaxRows(scores) }, "128x(128x128x64)", scoreMilliseconds)
        report("softmax_backward", "16384x128",
               medianMilliseconds { _ = softmaxRowsBackward(scores, output: probabilities) },
               "128x(128x128x64)", scoreMilliseconds)

        // LayerNorm on [B·T, C], fed by the attention output projection [4096, 256]·[256, 256]ᵀ.
        let projection = rng.uniform(shape: [256, 256], low: -0.1, high: 0.1)
        let mixed = matmul(tokens, projection, transposeB: true)
        let projectionMilliseconds = medianMilliseconds { _ = matmul(tokens, projection, transposeB: true) }
        let gamma = rng.uniform(shape: [256], low: 0.5, high: 1.5), beta = rng.uniform(shape: [256], low: -0.5, high: 0.5)
        let normalised = layerNormRows(mixed, gamma: gamma, beta: beta)
        report("layernorm", "4096x256", medianMilliseconds { _ = layerNormRows(mixed, gamma: gamma, beta: beta) },
               "4096x256x256", projectionMilliseconds)
        report("layernorm_backward", "4096x256", medianMilliseconds {
            _ = layerNormRowsBackward(mixed, input: mixed, gamma: gamma, mean: normalised.mean,
                                      inverseStandardDeviation: normalised.inverseStandardDeviation)
        }, "4096x256x256", projectionMilliseconds)
    }
}
