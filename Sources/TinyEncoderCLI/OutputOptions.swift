// Output options: every command that writes reads its --out (and --export, --held-out-file, …)
// through `Arguments.output`, which applies TensorCore's OutputTarget with the command's --force,
// so one rule decides what may be written or replaced (Docs/Reliability.md, "Writing outputs").
// `BPETrainer.checkingMemory` gives the BPE trainer TensorCore's MemoryBudget (Tokenization does
// not depend on TensorCore).
// Not handled: standard output (never checked: the shell owns redirections).

import Foundation
import TensorCore
import Tokenization

extension Arguments {
    /// `--NAME` checked as an output of `kind`; nil when absent. `--force` allows replacing an
    /// earlier TinyEncoder output or an existing file; `continuing` (a --resume) needs no --force.
    /// - Throws: `CLIError` with OutputTarget's reason.
    mutating func output(_ name: String, kind: OutputTarget.Kind, continuing: Bool = false) throws -> URL? {
        guard let path = string(name) else { return nil }
        let force = flag("force")
        do {
            return try OutputTarget.check(path, kind: kind, option: "--\(name)", force: force, continuing: continuing).url
        } catch let error as OutputError {
            try rejectUndocumented()   // a misspelt option beside a bad --out is the first thing to fix
            throw CLIError("\(command): \(error)")
        }
    }

    /// Throws the unknown-option error for an option given but not read yet that the command's
    /// help page does not list (a typo, almost surely). Commands check outputs before they have
    /// read every option (rejectUnknown comes last), so without this a misspelt option would
    /// hide behind an error about --out. Runs only when an output check has already failed.
    func rejectUndocumented() throws {
        guard let page = allCommands.first(where: { $0.name == command })?.help else { return }
        let documented = Set(page.allOptions.map(\.name))
        let unread = Set(options.keys).union(flags).subtracting(used).subtracting(documented).subtracting(["help"])
        if let name = unread.sorted().first {
            throw CLIError("\(command): unknown option --\(name) (see `tinyencoder \(command) --help`)")
        }
    }

    /// `--NAME` checked as an output of `kind`, or an error saying it is required.
    mutating func requiredOutput(_ name: String, kind: OutputTarget.Kind, continuing: Bool = false) throws -> URL {
        guard let url = try output(name, kind: kind, continuing: continuing) else {
            throw CLIError("\(command): --\(name) is required (see `tinyencoder \(command) --help`)")
        }
        return url
    }
}

/// Takes the lock of a checkpoint folder for this run (OutputLock), as a CLIError on failure.
func lockCheckpoint(_ folder: URL, command: String) throws -> OutputLock {
    do {
        return try OutputLock.acquire(for: folder)
    } catch let error as OutputError {
        throw CLIError("\(command): \(error)")
    }
}

/// The help line of --force, shared by every command that writes.
let forceHelpOption = HelpOption("--force", "replace an earlier TinyEncoder output (or an existing file) at the output path; folders TinyEncoder did not write are never replaced")

extension BPETrainer {
    /// A trainer that stops with a `MemoryBudgetError` when its merge tables would not fit.
    static func checkingMemory(_ configuration: BPETrainerConfiguration) -> BPETrainer {
        var trainer = BPETrainer(configuration)
        trainer.checkMemory = { bytes in
            try MemoryBudget.check(bytes, for: "BPE's merge tables for the corpus's distinct words",
                                   fix: "Train on a sample of the corpus (fewer distinct words)")
        }
        return trainer
    }
}
