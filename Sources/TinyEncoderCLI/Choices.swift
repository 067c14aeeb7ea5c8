// Choices: options that take one of a closed set of values (pooling, algorithms, formats, …). Each
// set is one CaseIterable enum, and both the help pages (`T.choiceList`) and the error for a wrong
// value are made from its cases, so they cannot drift apart.
// Reference: none beyond CaseIterable. Not handled: abbreviations or case-insensitive matching.

import Encoder
import NeuralNetwork
import Pretraining
import StaticVectorInitialization
import TensorCore
import Tokenization
import WordVectors

/// A closed set of option values: the raw values are what the user types.
protocol OptionChoice: CaseIterable, RawRepresentable where RawValue == String {}

extension OptionChoice {
    /// "cls|mean|max": the values, in declaration order, for help pages and errors.
    static var choiceList: String { allCases.map(\.rawValue).joined(separator: "|") }
}

extension Arguments {
    /// `--name` as one of `T`'s values, or nil when absent.
    mutating func choice<T: OptionChoice>(_ name: String, _ type: T.Type = T.self) throws -> T? {
        guard let text = string(name) else { return nil }
        guard let value = T(rawValue: text) else {
            throw CLIError("\(command): --\(name) must be one of \(T.choiceList), got \"\(text)\"")
        }
        return value
    }

    /// `--name` as one of `T`'s values, or `fallback` when absent.
    mutating func choice<T: OptionChoice>(_ name: String, default fallback: T) throws -> T {
        try choice(name, T.self) ?? fallback
    }
}

// MARK: - The library's choices

extension PoolingStrategy: OptionChoice {}
extension VectorFileFormat: OptionChoice {}
extension AnalogyMethod: OptionChoice {}
extension Word2VecArchitecture: OptionChoice {}
extension DimensionMapping: OptionChoice {}
extension PackingMode: OptionChoice {}
extension DecayShape: OptionChoice {}
extension DistillationConfiguration.Loss: OptionChoice {}
extension StaticDistillationConfiguration.Weighting: OptionChoice {}
extension Precision: OptionChoice {}

/// `--precision` of embed, similarity, probe, bench encoder|embed|gemm.
let precisionHelpOption = HelpOption("--precision P", "\(Precision.choiceList): bfloat16 runs the Linear layers' products with bfloat16 inputs and float32 sums on AMX or AVX512-BF16 (faster; cosines within 0.001 of float32 on all-MiniLM-L6-v2, Docs/BFloat16.md); an error on CPUs with neither",
                                     default: "float32")

extension Arguments {
    /// `--precision`, float32 when absent.
    mutating func precision() throws -> Precision { try choice("precision", default: Precision.float32) }
}

// MARK: - The command line's own choices

/// `embed --pooling` and `probe`-style poolings, plus `none` (token vectors) for embed.
enum EmbedPooling: String, OptionChoice {
    case cls, mean, max, none

    /// The library's strategy; nil for `none`.
    var strategy: PoolingStrategy? { PoolingStrategy(rawValue: rawValue) }
}

/// `tokenize --special-text`: what to do with special-token text inside the input.
enum SpecialTextChoice: String, OptionChoice {
    case recognize, text, refuse

    var policy: SpecialTokenPolicy {
        switch self {
        case .recognize: return .recognize
        case .text: return .treatAsText
        case .refuse: return .refuse
        }
    }
}

/// `vectors-train --algorithm`.
enum TrainingAlgorithm: String, OptionChoice {
    case skipgram, cbow, glove, fasttext, svd
}

/// `pretrain --preset`.
enum ModelPreset: String, OptionChoice {
    case tiny, small
}
