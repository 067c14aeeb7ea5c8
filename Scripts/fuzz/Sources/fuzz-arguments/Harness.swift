// Fuzz harness: the CLI's hand-written argument parser (`Arguments`, Sources/TinyEncoderCLI).
// Arguments.swift is linked here by a symlink (the CLI is an executable target, which a package
// cannot depend on), so the fuzzed parser is exactly the shipped one. The first input byte picks a
// command's flag set; the rest is the argument list, split at NUL bytes. Every accessor the
// commands use is then asked for the options the commands read.
// Not handled: the commands' own run() (they read files and train; their errors are CLIErrors too).

import FuzzSupport
import Foundation

/// Each command's flag names (the `flagNames` of Sources/TinyEncoderCLI/Commands).
let flagSets: [(command: String, flags: Set<String>)] = [
    ("embed", ["truncate"]), ("similarity", ["truncate"]), ("tokenize", ["json", "special", "decode"]),
    ("bpe-train", ["quiet"]), ("pretrain", ["resume", "whole-word", "quiet", "float16"]),
    ("probe", ["no-normalize", "quiet"]), ("vectors-train", ["quiet"]),
    ("vectors-eval", ["sections", "replace-invalid-utf8"]), ("vectors-convert", ["replace-invalid-utf8"]),
    ("bench", ["transpose-b", "elementwise"]), ("trace", []),
]

/// Options as the commands read them: (name, accessor).
let reads: [(String, String)] = [
    ("model", "string"), ("pooling", "string"), ("format", "string"), ("tokenizer", "required"), ("out", "required"),
    ("corpus", "strings"), ("vocab-size", "int"), ("min-frequency", "int"), ("threads", "string"), ("dim", "int"),
    ("window", "int"), ("sample", "double"), ("alpha", "double"), ("steps", "int"), ("seed", "int"), ("x-max", "double"),
    ("json", "flag"), ("special", "flag"), ("truncate", "flag"), ("resume", "flag"), ("quiet", "flag"), ("sizes", "strings"),
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let (command, flags) = flagSets[Int(data[0]) % flagSets.count]
    let raw = Fuzz.bytes(data + 1, size - 1).split(separator: 0, omittingEmptySubsequences: false)
        .map { String(decoding: $0, as: UTF8.self) }
    do {
        var arguments = try Arguments(command: command, raw, flagNames: flags)
        for (name, accessor) in reads {
            do {
                switch accessor {
                case "string": _ = arguments.string(name)
                case "strings": _ = arguments.strings(name)
                case "required": _ = try arguments.required(name)
                case "int": _ = try arguments.int(name, default: 1, in: 1...1_000_000)
                case "double": _ = try arguments.double(name, default: 0.5, in: 0...1)
                default: _ = arguments.flag(name)
                }
            } catch {
                Fuzz.describe(error)
            }
        }
        _ = try arguments.int("unbounded", default: 0)
        try arguments.rejectUnknown()
        Fuzz.check(arguments.positionals.count <= raw.count, "more positionals than arguments")
    } catch {
        Fuzz.describe(error)
    }
    return 0
}
