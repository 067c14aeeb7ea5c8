// Command: what every `tinyencoder` subcommand provides, and the table of them. One file per
// subcommand lives in Commands/; adding one means adding it to `allCommands` below.
// Not handled: plugins; subcommands of subcommands other than `bench`'s first word.

/// A subcommand of `tinyencoder`.
protocol Command {
    /// The word after `tinyencoder`.
    static var name: String { get }
    /// One line for the overview.
    static var summary: String { get }
    /// The page printed by `--help` and `tinyencoder help NAME` (Help.swift: one layout for all).
    static var help: HelpPage { get }
    /// Options that take no value, without the dashes.
    static var flagNames: Set<String> { get }
    /// Runs the command. Output goes to standard output; diagnostics and progress to standard error.
    static func run(_ arguments: inout Arguments) throws
}

extension Command {
    static var flagNames: Set<String> { [] }
}

/// Every subcommand, in the order the overview lists them.
var allCommands: [Command.Type] {[
    EmbedCommand.self,
    SimilarityCommand.self,
    ContextualityCommand.self,
    TraceCommand.self,
    AttentionCommand.self,
    BenchCommand.self,
    BPETrainCommand.self,
    TokenizeCommand.self,
    PretrainCommand.self,
    DistillCommand.self,
    DistillStaticCommand.self,
    ProbeCommand.self,
    AgreementCommand.self,
    VectorsTrainCommand.self,
    VectorsEvalCommand.self,
    VectorsSimilarCommand.self,
    VectorsAnalogyCommand.self,
    VectorsConvertCommand.self,
    InitReportCommand.self,
    ExportCommand.self,
    WhitenCommand.self,
]}
