// Progress: the progress line of long jobs (counting a corpus, learning merges). On a terminal it
// rewrites one line on standard error ("\r"), with a rate and an ETA; otherwise it prints a plain
// line every few seconds, so logs stay readable. Silent when nobody asked for it.
// Reference: the house rule "long jobs show progress" (BRIEF.md, rule 6).
// Not handled: several bars at once.

import Foundation
import TextInput

/// Reports how far a job has come.
///
/// ```swift
/// let progress = ProgressReporter(label: "merges", total: 7739, unit: "merges")
/// progress.update(done: 100)
/// progress.finish()
/// ```
public final class ProgressReporter: Sendable {
    private let label: String
    private let total: Double
    private let unit: String
    private let enabled: Bool
    private let isTerminal: Bool
    private let start = ProcessInfo.processInfo.systemUptime
    private struct Printed: Sendable {
        var lastReport: Double  // when the last line was printed
        var lastLength = 0      // its length, to blank out what a shorter line leaves
    }
    private let printed: Locked<Printed>  // also keeps two lines from interleaving

    /// - Parameters:
    ///   - total: the amount of work (for the percentage and the ETA); 0 if unknown.
    ///   - unit: what `done` counts ("MB", "merges").
    ///   - enabled: false makes every call a no-op (library users who want silence).
    public init(label: String, total: Double, unit: String, enabled: Bool = true) {
        self.label = label
        self.total = total
        self.unit = unit
        self.enabled = enabled
        isTerminal = isatty(2) != 0
        printed = Locked(Printed(lastReport: start))
    }

    /// Reports `done` units of work; cheap to call often (prints at most a few times a second).
    public func update(done: Double) {
        guard enabled else { return }
        let now = ProcessInfo.processInfo.systemUptime
        let interval = isTerminal ? 0.2 : 5.0
        printed.withLock { printed in
            guard now - printed.lastReport >= interval else { return }
            printed.lastReport = now
            emit(done: done, now: now, final: false, printed: &printed)
        }
    }

    /// Prints the final line (with the total time).
    public func finish(done: Double? = nil) {
        guard enabled else { return }
        printed.withLock { printed in
            emit(done: done ?? total, now: ProcessInfo.processInfo.systemUptime, final: true, printed: &printed)
        }
    }

    private func emit(done: Double, now: Double, final: Bool, printed: inout Printed) {
        let elapsed = max(now - start, 1e-9)
        let rate = done / elapsed
        var line = "\(label): \(format(done))"
        if total > 0 { line += "/\(format(total)) \(unit) (\(Int((100 * done / total).rounded()))%)" } else { line += " \(unit)" }
        line += String(format: ", %.2f %@/s", rate, unit)
        if final {
            line += String(format: ", %.1f s", elapsed)
        } else if total > 0, rate > 0 {
            line += String(format: ", ETA %.0f s", max(0, (total - done) / rate))
        }
        var output = line
        if isTerminal {
            let padding = max(0, printed.lastLength - line.count)
            output = "\r" + line + String(repeating: " ", count: padding) + (final ? "\n" : "")
            printed.lastLength = line.count
        } else {
            output += "\n"
        }
        FileHandle.standardError.write(output.data(using: .utf8) ?? Data())
    }

    private func format(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(format: "%.1f", value)
    }
}
