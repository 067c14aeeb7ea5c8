// Output safety: OutputTarget refuses every path whose writing would remove a user's files, and
// accepts new, empty and (with force) TinyEncoder's own outputs; OutputMarker recognises ours;
// OutputLock lets one writer hold a checkpoint; MemoryBudget refuses sizes over the limit.
// Not handled here: the commands that use them (TinyEncoderCLITests/OutputSafetyCLITests).

import Foundation
import Testing
import TensorCore
import TextInput

@Suite struct OutputSafetyTests {
    func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("te-out-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    func refusal(_ path: String, _ kind: OutputTarget.Kind, force: Bool = false) -> String? {
        do {
            _ = try OutputTarget.check(path, kind: kind, force: force)
            return nil
        } catch let error as OutputError {
            return error.problem
        } catch {
            return "\(error)"
        }
    }

    @Test func refusesRootHomeAndFoldersHoldingTheWorkingFolder() throws {
        let working = FileManager.default.currentDirectoryPath
        #expect(refusal("/", .folder, force: true) == "is the root folder")
        #expect(refusal(NSHomeDirectory(), .folder, force: true) == "is the home folder")
        #expect(refusal(working, .folder, force: true)?.hasPrefix("holds the working folder") == true)
        #expect(refusal(working + "/..", .folder, force: true)?.hasPrefix("holds the working folder") == true)
        #expect(refusal(".", .folder, force: true)?.hasPrefix("holds the working folder") == true)
        #expect(refusal("..", .folder, force: true)?.hasPrefix("holds the working folder") == true)
        #expect(refusal("", .folder) == "is empty")
    }

    @Test func filesAndFoldersAreNotMixedUp() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let notes = folder.appendingPathComponent("notes.txt")
        try Data("mine".utf8).write(to: notes)
        #expect(refusal(notes.path, .folder, force: true) == "is a file, not a folder")
        #expect(refusal(folder.path, .file, force: true) == "is a folder")
        #expect(refusal(notes.path, .file) == "already exists")
        #expect(refusal(notes.path, .file, force: true) == nil)
        #expect(refusal(folder.appendingPathComponent("new.bin").path, .file) == nil)
        #expect(try String(contentsOf: notes, encoding: .utf8) == "mine")
    }

    @Test func onlyTinyEncoderFoldersAreReplacedAndOnlyWithForce() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let manager = FileManager.default
        let empty = folder.appendingPathComponent("empty"), user = folder.appendingPathComponent("user")
        let ours = folder.appendingPathComponent("ours"), checkpoint = folder.appendingPathComponent("checkpoint")
        for url in [empty, user, ours, checkpoint] { try manager.createDirectory(at: url, withIntermediateDirectories: true) }
        try Data().write(to: user.appendingPathComponent("thesis.tex"))
        try Data().write(to: ours.appendingPathComponent("config.json"))
        try OutputMarker.write(in: ours)
        try Data("{}".utf8).write(to: checkpoint.appendingPathComponent("trainer_state.json"))

        #expect(refusal(empty.path, .folder) == nil)
        #expect(refusal(folder.appendingPathComponent("new/deeper").path, .folder) == nil)
        #expect(refusal(user.path, .folder, force: true)?.hasPrefix("is a folder TinyEncoder did not write (it holds thesis.tex)") == true)
        #expect(refusal(ours.path, .folder) == "holds an earlier TinyEncoder output")
        #expect(refusal(ours.path, .folder, force: true) == nil)
        #expect(refusal(checkpoint.path, .folder) == "holds an earlier TinyEncoder output")
        #expect(try OutputTarget.check(ours.path, kind: .folder, continuing: true).replacesExisting)
        // A marker written by something else, or unreadable, does not make a folder ours.
        try Data(#"{"written_by":"someone","files":[]}"#.utf8).write(to: user.appendingPathComponent(OutputMarker.fileName))
        #expect(refusal(user.path, .folder, force: true)?.hasPrefix("is a folder TinyEncoder did not write") == true)
        // What the marker does not list is the user's.
        try Data().write(to: ours.appendingPathComponent("notes.md"))
        #expect(OutputMarker.foreignEntries(in: ours) == ["notes.md"])
        #expect(OutputMarker.listedEntries(in: ours) == ["config.json"])
    }

    @Test func aSymbolicLinkIsFollowedAndKept() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let target = folder.appendingPathComponent("real"), link = folder.appendingPathComponent("link")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: link.path, withDestinationPath: "real")
        let checked = try OutputTarget.check(link.path, kind: .folder)
        #expect(checked.url.path == target.standardizedFileURL.path)
        // A link to a user's folder is refused like the folder.
        try Data().write(to: target.appendingPathComponent("photo.jpg"))
        #expect(refusal(link.path, .folder, force: true)?.hasPrefix("is a folder TinyEncoder did not write") == true)
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link.path) == "real")
    }

    @Test func anUnwritableParentIsFoundBeforeTheJob() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("plain")
        try Data().write(to: file)
        #expect(refusal(file.appendingPathComponent("out").path, .folder)?.hasSuffix("which is a file") == true)
        #expect(refusal("/proc/tinyencoder-out", .file)?.hasPrefix("cannot be written: creating a file in /proc failed") == true)
        // The probe leaves nothing behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["plain"])
    }

    @Test func threadsCheckingOneNameAtOnceAllPass() throws {
        // The writability probe beside the output once had one name per process and output name, so
        // two checks of "out" in one folder at once could meet it and report "file exists".
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("probe-race-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("missing/out").path
        let failures = Locked(0)
        DispatchQueue.concurrentPerform(iterations: 64) { _ in
            for _ in 0..<20 where (try? OutputTarget.check(path, kind: .file)) == nil { failures.withLock { $0 += 1 } }
        }
        #expect(failures.withLock { $0 } == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)   // no probe left behind
    }

    @Test func oneWriterHoldsACheckpointLock() throws {
        let folder = try scratch()
        defer { try? FileManager.default.removeItem(at: folder) }
        let checkpoint = folder.appendingPathComponent("run")
        let first = try OutputLock.acquire(for: checkpoint)
        #expect(first.url.lastPathComponent == ".run.lock")
        #expect(try String(contentsOf: first.url, encoding: .utf8) == "\(getpid())\n")
        do {
            _ = try OutputLock.acquire(for: checkpoint)
            Issue.record("a second lock on the same folder was granted")
        } catch let error as OutputError {
            #expect(error.problem == "is being written by another run (pid \(getpid()))")
        }
        first.release()
        #expect(!FileManager.default.fileExists(atPath: first.url.path))
        // A lock file left by a killed run (its pid gone, no flock held) is stale: taken over.
        try Data("2147483646\n".utf8).write(to: OutputLock.lockURL(for: checkpoint))
        let second = try OutputLock.acquire(for: checkpoint)
        #expect(try String(contentsOf: second.url, encoding: .utf8) == "\(getpid())\n")
        second.release()
    }

    @Test func memoryOverTheLimitIsATypedError() throws {
        // fastText's input table at --dim 10000 with 2,000,000 buckets: 2e6 × 1e4 × 4 bytes = 80 GB.
        let bytes = 2_000_000.0 * 10_000 * 4
        #expect(throws: MemoryBudgetError(what: "tables", neededBytes: 8e10, availableBytes: 16e9, fix: "Lower --dim.")) {
            try MemoryBudget.check(bytes, for: "tables", fix: "Lower --dim.", available: 16e9)
        }
        try MemoryBudget.check(bytes, for: "tables", fix: "Lower --dim.", available: 8e10)   // exactly the limit fits
        let error = MemoryBudgetError(what: "tables", neededBytes: 8e10, availableBytes: 16e9, fix: "Lower --dim.")
        #expect(error.description == "tables need 80.0 GB, more than the 16.0 GB this machine allows. Lower --dim.")
        #expect(MemoryBudget.availableBytes > 0 && MemoryBudget.availableBytes <= Double(ProcessInfo.processInfo.physicalMemory))
    }
}
