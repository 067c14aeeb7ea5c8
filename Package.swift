// swift-tools-version:6.0
// TinyEncoder: text → tokens → static and contextual vectors, in one readable package.
// No package dependencies and no unsafe build flags: the package must stay usable as a versioned
// dependency. Hot loops live in the C target CKernels (per-function target attributes with
// runtime CPU dispatch). See Docs/README.md for the reading order.
import PackageDescription

/// The library modules, in dependency order (Docs/README.md maps each module to its chapters).
let package = Package(
    name: "TinyEncoder",
    // Linux as well (no declaration needed). Docs/Platforms.md lists every Foundation API we use
    // and the first version of each platform that has it.
    platforms: [.macOS(.v13), .iOS(.v16)],
    products: [
        .library(name: "TinyEncoder", targets: ["TinyEncoder"]),
        // The shipped model as a resource (Weights/), apart from the code, so that apps loading
        // their own models do not carry it.
        .library(name: "ShippedWeights", targets: ["ShippedWeights"]),
        .executable(name: "tinyencoder", targets: ["TinyEncoderCLI"]),
    ],
    targets: [
        // MARK: - Library modules
        .target(name: "CKernels", exclude: ["README.md"]),
        .target(name: "TextInput", exclude: ["README.md"]),
        .target(name: "TensorCore", dependencies: ["CKernels", "TextInput"], exclude: ["README.md"]),
        .target(name: "Autograd", dependencies: ["TensorCore"], exclude: ["README.md"]),
        .target(name: "Tokenization", dependencies: ["TextInput"], exclude: ["README.md"]),
        .target(name: "WordVectors", dependencies: ["TensorCore", "TextInput"], exclude: ["README.md"]),
        .target(name: "NeuralNetwork", dependencies: ["Autograd"], exclude: ["README.md"]),
        .target(name: "Encoder", dependencies: ["NeuralNetwork", "Tokenization", "TextInput"], exclude: ["README.md"]),
        // Static word vectors (WordVectors) → an Encoder's token-embedding table; Encoder itself
        // knows nothing of word vectors.
        .target(name: "StaticVectorInitialization", dependencies: ["Encoder", "NeuralNetwork", "Tokenization", "WordVectors", "TextInput"],
                exclude: ["README.md"]),
        // Measuring sentence and word vectors: the linear probe (logistic regression by L-BFGS),
        // agreement between two embedders, Ethayarajh's contextuality measures.
        .target(name: "Evaluation", dependencies: ["Encoder", "Autograd", "WordVectors", "TextInput"], exclude: ["README.md"]),
        .target(name: "Pretraining", dependencies: ["Encoder", "StaticVectorInitialization", "Evaluation", "WordVectors", "TextInput"],
                exclude: ["README.md"]),
        .target(name: "AttentionViz", dependencies: ["Encoder", "Evaluation", "Tokenization"], exclude: ["README.md"]),
        .target(
            name: "TinyEncoder",
            dependencies: [
                "TextInput", "TensorCore", "Autograd", "Tokenization", "WordVectors", "NeuralNetwork",
                "Encoder", "StaticVectorInitialization", "Evaluation", "Pretraining", "AttentionViz",
            ]),
        // Weights/ stays the top-level folder; the whole folder is the resource, and the Swift side
        // names the model's sub-folder once (ShippedModel.folderName).
        .target(name: "ShippedWeights", dependencies: ["Encoder"], exclude: ["README.md"],
                resources: [.copy("../../Weights")]),
        .executableTarget(name: "TinyEncoderCLI", dependencies: ["TinyEncoder", "ShippedWeights"], exclude: ["README.md"]),

        // MARK: - Examples (each prints what it shows, in seconds: swift run -c release NAME)
        .executableTarget(name: "TrainTokenizer", dependencies: ["Tokenization"], path: "Examples/TrainTokenizer"),
        .executableTarget(name: "TrainWord2Vec", dependencies: ["WordVectors"], path: "Examples/TrainWord2Vec"),
        .executableTarget(name: "PretrainTiny", dependencies: ["TinyEncoder"], path: "Examples/PretrainTiny"),
        .executableTarget(name: "AttentionByHand", dependencies: ["TinyEncoder"], path: "Examples/AttentionByHand"),
        .executableTarget(name: "GradCheckTour", dependencies: ["TinyEncoder"], path: "Examples/GradCheckTour"),
        .executableTarget(name: "SentenceSimilarity", dependencies: ["TinyEncoder", "ShippedWeights"], path: "Examples/SentenceSimilarity"),
        .executableTarget(name: "DistillTiny", dependencies: ["TinyEncoder", "ShippedWeights"], path: "Examples/DistillTiny"),
        .executableTarget(name: "WordInContext", dependencies: ["TinyEncoder", "ShippedWeights"], path: "Examples/WordInContext"),

        // MARK: - Tests (one target per module, sharing TestSupport)
        .target(name: "TestSupport", dependencies: ["TensorCore"], path: "Tests/TestSupport"),
        .testTarget(name: "TextInputTests", dependencies: ["TextInput", "TestSupport"]),
        .testTarget(name: "TensorCoreTests", dependencies: ["TensorCore", "CKernels", "TestSupport"]),
        .testTarget(name: "AutogradTests", dependencies: ["Autograd", "TestSupport"]),
        .testTarget(name: "TokenizationTests", dependencies: ["Tokenization", "TestSupport"]),
        .testTarget(name: "WordVectorsTests", dependencies: ["WordVectors", "TestSupport"]),
        .testTarget(name: "NeuralNetworkTests", dependencies: ["NeuralNetwork", "TestSupport"]),
        .testTarget(name: "EncoderTests", dependencies: ["Encoder", "ShippedWeights", "TestSupport"]),
        .testTarget(name: "StaticVectorInitializationTests",
                    dependencies: ["StaticVectorInitialization", "TestSupport"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "TestSupport"]),
        .testTarget(name: "PretrainingTests", dependencies: ["Pretraining", "StaticVectorInitialization", "TestSupport"]),
        .testTarget(name: "AttentionVizTests", dependencies: ["AttentionViz", "TestSupport"]),
        .testTarget(name: "TinyEncoderCLITests", dependencies: ["TinyEncoderCLI", "TinyEncoder", "TestSupport"]),
        .testTarget(name: "TinyEncoderTests", dependencies: ["TinyEncoder", "ShippedWeights", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
