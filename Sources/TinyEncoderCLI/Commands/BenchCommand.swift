// `tinyencoder bench KIND …`: throughput measurements, one machine-readable line per measurement
// ("key=value" pairs, always with threads=). Each KIND lives in its own file (Bench*.swift).
// Speed claims are made by running these alternately with the peers in ../shared/peers and
// comparing medians; see Docs/Benchmarks.md. Not handled: statistics across runs (the driver
// scripts in Scripts/ do that).

import Foundation
import TensorCore

/// A benchmark that `tinyencoder bench` can run.
protocol Benchmark {
    static var kind: String { get }
    static var usage: String { get }
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
    VectorsBenchmark.self,
    EmbedBenchmark.self,
]

enum BenchCommand: Command {
    static let name = "bench"
    static let summary = "measure throughput: " + allBenchmarks.map { $0.kind }.joined(separator: "|")
    static var usage: String {
        "usage: tinyencoder bench KIND [OPTIONS] [--threads N]\n\n"
            + allBenchmarks.map { $0.usage }.joined(separator: "\n\n")
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

/// Peak resident memory of this process so far, in MiB (Linux: ru_maxrss is in KiB).
func peakResidentMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}
