// `tinyencoder bench KIND …`: throughput measurements, one machine-readable line per measurement
// ("key=value" pairs, always with threads=). Each KIND lives in its own file (Bench*.swift).
// Speed claims are made by running these alternately with the peers in Scripts/peers and
// comparing medians; see Docs/Benchmarks.md. Not handled: statistics across runs (the driver
// scripts in Scripts/ do that).

import Foundation
import TensorCore

/// A benchmark that `tinyencoder bench` can run.
protocol Benchmark {
    static var kind: String { get }
    /// Its usage line, after "tinyencoder bench ".
    static var synopsis: String { get }
    static var options: [HelpOption] { get }
    /// What it prints: "KIND: key= key= …".
    static var output: String { get }
    static var flagNames: Set<String> { get }
    static func run(_ arguments: inout Arguments) throws
}

extension Benchmark {
    static var flagNames: Set<String> { [] }
}

/// Every benchmark kind.
var allBenchmarks: [Benchmark.Type] {[
    GemmBenchmark.self,
    EncoderBenchmark.self,
    TrainBenchmark.self,
    TokenizeBenchmark.self,
    TokenizeLongBenchmark.self,
    VectorsBenchmark.self,
    EmbedBenchmark.self,
]}

enum BenchCommand: Command {
    static let name = "bench"
    static let summary = "measure throughput: " + allBenchmarks.map { $0.kind }.joined(separator: "|")
    static var help: HelpPage {
        HelpPage(
            usage: allBenchmarks.map { "bench " + $0.synopsis },
            description: "Throughput of one kind of work, one machine-readable line per measurement. Speed claims compare "
                + "these lines with the peer scripts' (Scripts/peers), run alternately; see Docs/Benchmarks.md.",
            sections: [HelpSection("every bench", [
                HelpOption("--path NAME", "the CKernels path to run (avx512, avx2-fma, neon, portable, and avx512-bf16, amx for bfloat16; those this CPU can run), to compare paths on one machine", default: "the first the CPU can run"),
            ])] + allBenchmarks.map { HelpSection("bench \($0.kind)", $0.options) },
            output: "key=value pairs separated by spaces, always with threads=; first a line \"machine cpu= path= paths= threads=\" naming the CPU model and the kernel path:\n"
                + allBenchmarks.map { "  " + $0.output.trimmingCharacters(in: .whitespacesAndNewlines) }.joined(separator: "\n"),
            examples: ["bench gemm --sizes 1024,1024,1024 --threads 1", "bench encoder --threads 2"])
    }
    static var flagNames: Set<String> { allBenchmarks.reduce(into: Set<String>()) { $0.formUnion($1.flagNames) } }

    static func run(_ arguments: inout Arguments) throws {
        guard let kind = arguments.positionals.first else {
            throw CLIError("bench: name what to measure: " + allBenchmarks.map { $0.kind }.joined(separator: ", "))
        }
        guard let benchmark = allBenchmarks.first(where: { $0.kind == kind }) else {
            throw CLIError("bench: unknown benchmark \"\(kind)\"; choose one of " + allBenchmarks.map { $0.kind }.joined(separator: ", "))
        }
        if let path = arguments.string("path") {
            guard KernelPath.select(path) else {
                throw CLIError("bench: --path \(path) is not a kernel path this CPU can run; choose one of "
                               + KernelPath.available.joined(separator: ", "))
            }
        }
        print("machine cpu=\(cpuModel()) path=\(KernelPath.current) paths=\(KernelPath.available.joined(separator: ",")) threads=\(Threads.count)")
        try benchmark.run(&arguments)
    }
}

/// The CPU's model name with spaces as underscores (Linux: /proc/cpuinfo; elsewhere: the
/// machdep.cpu.brand_string sysctl), or "unknown".
func cpuModel() -> String {
    var name = "unknown"
    #if os(Linux)
    if let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
       let line = text.split(separator: "\n").first(where: { $0.hasPrefix("model name") }),
       let colon = line.firstIndex(of: ":") {
        name = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
    }
    #elseif canImport(Darwin)
    var size = 0
    if sysctlbyname("machdep.cpu.brand_string", nil, &size, nil, 0) == 0, size > 0 {
        var bytes = [CChar](repeating: 0, count: size)
        if sysctlbyname("machdep.cpu.brand_string", &bytes, &size, nil, 0) == 0 { name = String(cString: bytes) }
    }
    #endif
    return name.split(separator: " ").joined(separator: "_")
}

/// Seconds on a monotonic clock.
func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
}

/// Peak resident memory of this process so far, in MiB (ru_maxrss is in KiB on Linux, in bytes
/// on Apple platforms, whose RUSAGE_SELF is a plain Int32).
func peakResidentMiB() -> Double {
    var usage = rusage()
    #if os(Linux)
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
    #else
    getrusage(RUSAGE_SELF, &usage)
    return Double(usage.ru_maxrss) / (1024 * 1024)
    #endif
}
