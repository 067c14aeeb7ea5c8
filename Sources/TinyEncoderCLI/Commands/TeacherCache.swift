// The teacher-vector cache as `distill` and `distill-static` use it: the vectors of a corpus's
// usable lines, reused when the cache was made by the same teacher from the same corpus, computed
// (with a progress line and a resumable partial file) when not. A cache at a path the user named
// that belongs to another teacher or corpus is an error; the default cache beside --out is ours to
// replace. Everything is checked before the teacher runs.
// Not handled: caches shared by concurrent runs (the second writer's rename wins).

import Encoder
import Foundation
import Pretraining
import TensorCore

enum TeacherCache {
    /// The cached vectors of `lines`, or the computed ones.
    ///
    /// - Parameters:
    ///   - isDefault: `url` is the default path (a stale cache there is replaced, not refused).
    ///   - refresh: compute even if `url` holds vectors of another teacher or corpus.
    static func vectors(at url: URL, isDefault: Bool, refresh: Bool, teacher: SentenceEmbedder, teacherFolder: URL,
                        corpus: URL, lines: [String], progress: ProgressLine) throws -> TeacherVectors {
        let identity = try TeacherVectors.identity(teacher: teacher, teacherFolder: teacherFolder, corpus: corpus, lines: lines.count)
        if !refresh {
            do {
                if let cached = try TeacherVectors.load(url, expecting: identity) {
                    progress.message("teacher vectors: \(identity.lines) lines × \(identity.dimension) from \(url.path) (reused)")
                    return cached
                }
            } catch let error as DistillationError where isDefault {
                progress.message("\(error); computing it again")
            }
        }
        let started = monotonicSeconds()
        let vectors = try TeacherVectors.compute(at: url, identity: identity, teacher: teacher, lines: lines) { done, total in
            progress.update(force: done == total) {
                let rate = Double(done) / max(monotonicSeconds() - started, 1e-9)
                let eta = rate > 0 ? ProgressFormat.duration(Double(total - done) / rate) : "–"
                return "teacher vectors \(done)/\(total) lines  \(ProgressFormat.count(rate)) lines/s  ETA \(eta)"
            }
        }
        progress.finish()
        progress.message("teacher vectors: \(identity.lines) lines × \(identity.dimension) written to \(url.path)")
        return vectors
    }

    /// The default cache path: DIR.teacher-vectors.safetensors beside the output DIR.
    static func defaultURL(besides out: URL) -> URL {
        out.deletingLastPathComponent().appendingPathComponent(out.lastPathComponent + ".teacher-vectors.safetensors")
    }
}
