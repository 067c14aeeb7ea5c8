// The commands that write, run on paths where writing would destroy a user's files: each one
// refuses (exit 2, the reason on standard error) and leaves every file as it was; replacing an
// earlier TinyEncoder output needs --force and keeps the user's own files; a symbolic link is
// written through and kept; an unwritable folder is found before the job starts; two runs
// cannot hold one checkpoint.
// Not handled: the rule itself case by case (TensorCoreTests/OutputSafetyTests).

import Foundation
import Testing
import TestSupport
import TinyEncoder

@Suite struct OutputSafetyCLITests {
    static let tinyBert = fixtureURL("HuggingFace/tiny-bert").path
    static let corpus = fixtureURL("Pretraining/corpus-slice.txt").path
    static let smallCorpus = fixtureURL("Tokenization/small-corpus.txt").path

    /// A working folder with a user's files in it: notes.txt, and docs/ with a report. It sits two
    /// levels down a scratch folder, beside a scratch home folder, so that even a broken check
    /// aimed at `..` or `~` can only reach scratch folders. Remove `sandbox(of:)` afterwards.
    func userFolder() throws -> URL {
        let folder = try CLI.temporaryFolder().appendingPathComponent("outer/work")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: home(of: folder), withIntermediateDirectories: true)
        try Data("dotfile\n".utf8).write(to: home(of: folder).appendingPathComponent(".profile"))
        try Data("my notes\n".utf8).write(to: folder.appendingPathComponent("notes.txt"))
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("docs"), withIntermediateDirectories: true)
        try Data("report\n".utf8).write(to: folder.appendingPathComponent("docs/report.txt"))
        return folder
    }

    /// The scratch folder holding a `userFolder()` (remove it when done).
    func sandbox(of folder: URL) -> URL { folder.deletingLastPathComponent().deletingLastPathComponent() }
    /// The scratch home folder beside a `userFolder()`.
    func home(of folder: URL) -> URL { sandbox(of: folder).appendingPathComponent("home") }

    /// Every file below `folder` with its bytes.
    func snapshot(_ folder: URL) -> [String: Data] {
        var files: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: folder.path)
        while let path = enumerator?.nextObject() as? String {
            if let data = FileManager.default.contents(atPath: folder.appendingPathComponent(path).path) { files[path] = data }
        }
        return files
    }

    /// Each command that writes a folder, with its --out.
    static let folderWriters: [[String]] = [
        ["export", "--model", tinyBert],
        ["whiten", "--model", tinyBert, "--corpus", smallCorpus, "--lines", "20"],
        ["pretrain", "--corpus", corpus, "--tokenizer", fixtureURL("Encoder/tokenizer-2k.json").path, "--preset", "tiny",
         "--steps", "1", "--seq", "16", "--batch", "2", "--eval-every", "0", "--checkpoint-every", "0", "--quiet"],
    ]

    @Test(arguments: folderWriters)
    func refusesFoldersItDidNotWrite(_ command: [String]) throws {
        let folder = try userFolder()
        defer { try? FileManager.default.removeItem(at: sandbox(of: folder)) }
        let inner = folder.appendingPathComponent("docs")
        let before = snapshot(sandbox(of: folder))
        let cases: [(String, URL, String)] = [
            (".", folder, "holds the working folder"), ("..", folder, "holds the working folder"),
            (home(of: folder).path, folder, "is the home folder"),
            ("notes.txt", folder, "is a file, not a folder"), ("docs", folder, "is a folder TinyEncoder did not write"),
            ("..", inner, "holds the working folder"), ("notes.txt/out", folder, "which is a file"),
        ]
        for (out, directory, expected) in cases {
            for force in [false, true] {
                let result = try CLI.run(command + ["--out", out] + (force ? ["--force"] : []), in: directory, home: home(of: folder))
                #expect(result.status == 2, "\(command[0]) --out \(out): \(result.stderr)")
                #expect(result.stderr.contains("--out \(out): ") && result.stderr.contains(expected), "\(command[0]) --out \(out): \(result.stderr)")
            }
        }
        // The root folder only without --force: nothing here may ever aim a forced write at it.
        let root = try CLI.run(command + ["--out", "/"], in: folder, home: home(of: folder))
        #expect(root.status == 2 && root.stderr.contains("--out /: is the root folder"), "\(root.stderr)")
        #expect(snapshot(sandbox(of: folder)) == before)
    }

    @Test(arguments: folderWriters)
    func replacesItsOwnOutputOnlyWithForceAndKeepsTheUsersFiles(_ command: [String]) throws {
        let folder = try userFolder()
        defer { try? FileManager.default.removeItem(at: sandbox(of: folder)) }
        let first = try CLI.run(command + ["--out", "model"], in: folder)
        #expect(first.status == 0, "\(first.stderr)")
        let model = folder.appendingPathComponent("model")
        #expect(FileManager.default.fileExists(atPath: model.appendingPathComponent(".tinyencoder-output.json").path))
        try Data("mine\n".utf8).write(to: model.appendingPathComponent("my-notes.md"))
        let again = try CLI.run(command + ["--out", "model"], in: folder)
        #expect(again.status == 2)
        #expect(again.stderr.contains(command[0] == "pretrain" ? "already holds a checkpoint" : "holds an earlier TinyEncoder output. Add --force"), "\(again.stderr)")
        let forced = try CLI.run(command + ["--out", "model", "--force"], in: folder)
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try String(contentsOf: model.appendingPathComponent("my-notes.md"), encoding: .utf8) == "mine\n")
        #expect(try String(contentsOf: folder.appendingPathComponent("notes.txt"), encoding: .utf8) == "my notes\n")
        // Through a symbolic link: the target is written, the link stays a link.
        try FileManager.default.createSymbolicLink(atPath: folder.appendingPathComponent("link").path, withDestinationPath: "model")
        let linked = try CLI.run(command + ["--out", "link", "--force"], in: folder)
        #expect(linked.status == 0, "\(linked.stderr)")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: folder.appendingPathComponent("link").path) == "model")
        #expect(FileManager.default.fileExists(atPath: model.appendingPathComponent("my-notes.md").path))
    }

    @Test func exportHelpNoLongerPromisesToReplace() throws {
        let help = try CLI.run(["export", "--help"])
        #expect(!help.stdout.contains("replaced if it exists"))
        #expect(help.stdout.contains("--force"))
    }

    /// Two runs on one checkpoint: the second stops at once, naming the first's pid.
    @Test func aSecondRunCannotTakeALockedCheckpoint() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let lock = try OutputLock.acquire(for: folder.appendingPathComponent("run"))
        defer { lock.release() }
        for resume in [false, true] {
            let result = try CLI.run(Self.folderWriters[2] + ["--out", "run"] + (resume ? ["--resume"] : []), in: folder)
            #expect(result.status == 2)
            #expect(result.stderr.contains("--out \(folder.appendingPathComponent("run").path): is being written by another run (pid \(getpid()))"), "\(result.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("run").path))
    }

    /// A file output: an existing file needs --force, a folder is refused, an unwritable folder
    /// is found before training.
    @Test func fileOutputsAreCheckedBeforeTraining() throws {
        let folder = try userFolder()
        defer { try? FileManager.default.removeItem(at: sandbox(of: folder)) }
        let train = ["vectors-train", "--algorithm", "skipgram", "--corpus", Self.corpus, "--dim", "4", "--epochs", "1", "--quiet"]
        let before = snapshot(folder)
        for (out, expected) in [("notes.txt", "--out notes.txt: already exists. Add --force"), ("docs", "--out docs: is a folder"),
                                ("/proc/v.bin", "--out /proc/v.bin: cannot be written")] {
            let result = try CLI.run(train + ["--out", out], in: folder, home: home(of: folder))
            #expect(result.status == 2 && result.stderr.contains(expected), "\(result.stderr)")
            #expect(!result.stderr.contains("skipgram"), "training started: \(result.stderr)")
        }
        #expect(snapshot(folder) == before)
        let forced = try CLI.run(train + ["--out", "notes.txt", "--force"], in: folder)
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(try VectorFile.read(folder.appendingPathComponent("notes.txt")).dimension == 4)
    }

    /// fastText with --dim 10000 and the default 2,000,000 buckets would need 80 GB: a typed
    /// error before counting, naming the size and the options, instead of SIGABRT.
    @Test func fastTextTooLargeForMemoryIsRefused() throws {
        let folder = try CLI.temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CLI.run(["vectors-train", "--algorithm", "fasttext", "--corpus", Self.corpus, "--dim", "10000", "--out", "ft.bin"], in: folder)
        #expect(result.status == 1)
        #expect(result.stderr.contains("fastText's n-gram vectors (2000000 buckets × 10000 dimensions) need 80.0 GB"), "\(result.stderr)")
        #expect(result.stderr.contains("Lower --dim or --bucket"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }
}
