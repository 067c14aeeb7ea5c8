// OutputLock: one writer per checkpoint folder. `pretrain` and `distill` (new runs and --resume)
// hold a lock on the sibling file ".NAME.lock" for the whole run, so a second run on the same
// --out stops at once instead of interleaving checkpoints. The lock is flock(2): the kernel drops
// it when the process ends, even when killed, so a lock file left behind is stale by construction;
// the file holds the owner's pid for the message. Where flock is unsupported (some network file
// systems) the pid decides: a lock whose process no longer exists is taken over.
// Not handled: two machines sharing a folder over a file system without flock.

import Foundation

/// A held lock on a folder's sibling lock file; released by `release()`, or when the process ends.
public final class OutputLock {
    /// The lock file.
    public let url: URL
    private var descriptor: Int32

    private init(url: URL, descriptor: Int32) {
        self.url = url
        self.descriptor = descriptor
    }

    deinit { release() }

    /// The lock file of `folder`: ".NAME.lock" beside it (inside it, it would be swapped away at
    /// every checkpoint).
    public static func lockURL(for folder: URL) -> URL {
        folder.deletingLastPathComponent().appendingPathComponent(".\(folder.lastPathComponent).lock")
    }

    /// Takes the lock of `folder`, or throws `OutputError` naming the process that holds it.
    ///
    /// - Parameter option: the option that named the folder, for messages.
    public static func acquire(for folder: URL, option: String = "--out") throws -> OutputLock {
        let url = lockURL(for: folder)
        func refuse(_ problem: String, _ fix: String) -> OutputError {
            OutputError(option: option, path: folder.path, problem: problem, fix: fix)
        }
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        for _ in 0..<8 {
            let descriptor = open(url.path, O_CREAT | O_RDWR, 0o644)
            guard descriptor >= 0 else {
                throw refuse("cannot create the lock file \(url.lastPathComponent) (\(String(cString: strerror(errno)).lowercased()))",
                             "Check that the parent folder is writable")
            }
            if flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
                let failure = errno
                if failure == EWOULDBLOCK {
                    let owner = ownerPID(descriptor)
                    close(descriptor)
                    throw refuse("is being written by another run\(owner.map { " (pid \($0))" } ?? "")",
                                 "Wait for it to finish or stop it; two runs cannot share one checkpoint")
                }
                // flock unsupported here: fall back to the pid written in the file.
                if let owner = ownerPID(descriptor), owner != getpid(), kill(owner, 0) == 0 || errno != ESRCH {
                    close(descriptor)
                    throw refuse("is being written by another run (pid \(owner))",
                                 "Wait for it to finish or stop it; two runs cannot share one checkpoint")
                }
            }
            // The file may have been removed and re-created by a releasing owner between our open
            // and our flock: then we hold a lock on a file nobody else sees. Check and retry.
            var opened = stat(), current = stat()
            if fstat(descriptor, &opened) == 0, stat(url.path, &current) == 0, opened.st_ino == current.st_ino, opened.st_dev == current.st_dev {
                let pid = Array("\(getpid())\n".utf8)
                _ = ftruncate(descriptor, 0)
                _ = pwrite(descriptor, pid, pid.count, 0)
                return OutputLock(url: url, descriptor: descriptor)
            }
            close(descriptor)
        }
        throw refuse("its lock file \(url.lastPathComponent) keeps changing", "Check that no other run is using this folder")
    }

    /// Removes the lock file and drops the lock (idempotent).
    public func release() {
        guard descriptor >= 0 else { return }
        unlink(url.path)
        close(descriptor)
        descriptor = -1
    }

    /// The pid written in an open lock file, if any.
    private static func ownerPID(_ descriptor: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = pread(descriptor, &buffer, buffer.count, 0)
        guard count > 0 else { return nil }
        return Int32(String(decoding: buffer[..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
