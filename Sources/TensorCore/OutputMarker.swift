// OutputMarker: how a folder written by TinyEncoder is recognised, so that replacing it never
// removes anything TinyEncoder did not write. Every folder we write (model folders, checkpoints,
// exports, static models, whitened copies) gets a small JSON file, `.tinyencoder-output.json`,
// listing the top-level entries we wrote. Checkpoints written before the marker existed are
// recognised by their state file (trainer_state.json, distillation_state.json).
// Not handled: files a user edited inside a marked folder (they count as ours: same names).

import Foundation

/// The marker file of a TinyEncoder output folder, and the questions asked of it.
public enum OutputMarker: Sendable {
    /// The marker's file name (hidden: loaders of HF folders ignore it, `ls` does not show it).
    public static let fileName = ".tinyencoder-output.json"
    /// Checkpoint state files written before the marker existed; a folder holding one is ours.
    public static let legacyStateFiles = ["trainer_state.json", "distillation_state.json"]

    /// Writes the marker into `folder`, listing every entry there now (call it last).
    public static func write(in folder: URL) throws {
        let entries = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0 != fileName }.sorted()
        let object: [String: Any] = ["written_by": "TinyEncoder", "files": entries]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        guard FileManager.default.createFile(atPath: folder.appendingPathComponent(fileName).path, contents: data) else {
            throw FileError(.writeFailed, file: folder.appendingPathComponent(fileName).path, field: "(file)",
                            problem: "cannot create the output marker", fix: "Check that the folder is writable")
        }
    }

    /// The entries TinyEncoder wrote into `folder`, from its marker; nil when the folder has no
    /// (readable) marker.
    public static func listedEntries(in folder: URL) -> Set<String>? {
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(fileName).path),
              let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              object["written_by"] as? String == "TinyEncoder",
              let files = object["files"] as? [String] else { return nil }
        return Set(files)
    }

    /// Whether `folder` was written by TinyEncoder: it holds a valid marker, or a checkpoint state
    /// file from before the marker existed.
    public static func isTinyEncoderOutput(_ folder: URL) -> Bool {
        if listedEntries(in: folder) != nil { return true }
        return legacyStateFiles.contains { FileManager.default.fileExists(atPath: folder.appendingPathComponent($0).path) }
    }

    /// The entries of a marked `folder` that its marker does not list: files the user put there.
    /// They are carried over when the folder is replaced. Empty for unmarked folders.
    public static func foreignEntries(in folder: URL) -> [String] {
        guard let listed = listedEntries(in: folder),
              let entries = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return [] }
        return entries.filter { $0 != fileName && !listed.contains($0) }.sorted()
    }
}
