// swift-tools-version:6.0
// TinyEncoderFuzz: libFuzzer harnesses for every parser of TinyEncoder, one executable each.
// A separate package that depends on the main one by path, so the main build never sees it.
// Built and run only by Scripts/fuzz/run.sh (`swift build --sanitize=fuzzer --sanitize=address`):
// each harness defines LLVMFuzzerTestOneInput and libFuzzer supplies `main`, so a plain
// `swift build` of this package does not link. See Docs/Reliability.md.
import PackageDescription

/// The harnesses: executable name → the modules it needs.
let harnesses: [(name: String, modules: [String])] = [
    ("fuzz-safetensors", ["TensorCore"]),
    ("fuzz-tokenizer-json", ["Tokenization"]),
    ("fuzz-vocab-merges", ["Tokenization"]),
    ("fuzz-vocab-txt", ["Tokenization"]),
    ("fuzz-word2vec-bin", ["WordVectors"]),
    ("fuzz-word2vec-txt", ["WordVectors"]),
    ("fuzz-fasttext-bin", ["WordVectors"]),
    ("fuzz-config-json", ["Encoder", "TensorCore"]),
    ("fuzz-model-folder", ["Encoder", "TensorCore"]),
    ("fuzz-arguments", ["TextInput"]),   // Arguments.swift, linked from the CLI, uses TextInput
    ("fuzz-lines", ["TextInput"]),
]

let package = Package(
    name: "TinyEncoderFuzz",
    dependencies: [.package(name: "TinyEncoder", path: "../..")],
    targets: [
        .target(name: "FuzzSupport", path: "Sources/FuzzSupport"),
    ] + harnesses.map { harness in
        .executableTarget(
            name: harness.name,
            dependencies: ["FuzzSupport"] + (harness.modules.isEmpty ? [] : [.product(name: "TinyEncoder", package: "TinyEncoder")]),
            path: "Sources/\(harness.name)")
    },
    swiftLanguageModes: [.v5]
)
