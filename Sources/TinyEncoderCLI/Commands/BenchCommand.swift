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
let allBenchmarks: [Benchmark.Type] = [
    GemmBenchmark.self,
    EncoderBenchmark.self,
    TrainBenchmark.self,
    TokenizeBenchmark.self,
    TokenizeLongBenchmark.self,
    VectorsBenchmark.self,
    EmbedBenchmark.self,
]

enum BenchCommand: Command {
    static let name = "bench"
    static let summary = "measure throughput: " + allBenchmarks.map { $0.kind }.joined(separator: "|")
    static var help: HelpPage {
        HelpPage(
            usage: allBenchmarks.map { "bench " + $0.synopsis },
            description: "Throughput of one kind of work, one machine-readable line per measurement. Speed claims compare "
                + "these lines with the peer scripts' (Scripts/peers), run alternately; see Docs/Benchmarks.md.",
            sections: allBenchmarks.map { HelpSection("bench \($0.kind)", $0.options) },
            output: "key=value pairs separated by spaces, always with threads=:\n"
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
        try benchmark.run(&arguments)
    }
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
