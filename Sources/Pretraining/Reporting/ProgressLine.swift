// ProgressLine: the one progress display of long jobs (tokenising a corpus, training). On a
// terminal (isatty(2)) it rewrites one line on standard error with "\r" a few times a second; in
// a log (stderr redirected) it writes a plain line every few seconds, so log files stay short.
// Also the small formatting helpers every progress text uses (counts, rates, durations).
// Not handled: several concurrent progress lines; terminal width (texts are kept short instead).

import Foundation

/// A throttled, terminal-aware progress line on standard error.
///
/// ```swift
/// let progress = ProgressLine()
/// for step in 1...steps { …; progress.update { "step \(step)/\(steps)" } }
/// progress.finish()
/// ```
public final class ProgressLine {
    /// Whether standard error is a terminal ("\r" updates) or a file (plain lines).
    public let isTerminal: Bool
    /// Seconds between plain log lines when not on a terminal.
    public let logInterval: Double
    /// Nothing is written when false (`--quiet`).
    public let isEnabled: Bool
    private let write: (String) -> Void
    private var lastUpdate = -Double.infinity
    private var lineIsOpen = false
    private var lastText = ""

    public init(isEnabled: Bool = true, isTerminal: Bool = isatty(2) != 0, logInterval: Double = 10,
                write: @escaping (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        self.isEnabled = isEnabled
        self.isTerminal = isTerminal
        self.logInterval = logInterval
        self.write = write
    }

    /// Shows `text()` if enough time has passed since the last update (5 Hz on a terminal,
    /// `logInterval` otherwise); `force` shows it now.
    public func update(force: Bool = false, _ text: () -> String) {
        guard isEnabled else { return }
        let now = monotonicSeconds()
        guard force || now - lastUpdate >= (isTerminal ? 0.2 : logInterval) else { return }
        lastUpdate = now
        let line = text()
        if isTerminal {
            let padding = String(repeating: " ", count: max(0, lastText.count - line.count))
            write("\r" + line + padding)
            lineIsOpen = true
        } else {
            write(line + "\n")
        }
        lastText = line
    }

    /// Writes a whole message line (evaluation results, notes) without garbling the progress line.
    public func message(_ text: String) {
        guard isEnabled else { return }
        if lineIsOpen { write("\n"); lineIsOpen = false; lastText = "" }
        write(text + "\n")
    }

    /// Ends the progress line (a newline on a terminal).
    public func finish() {
        guard isEnabled, lineIsOpen else { return }
        write("\n")
        lineIsOpen = false
        lastText = ""
    }
}

// MARK: - Formatting

/// Seconds on a monotonic clock.
public func monotonicSeconds() -> Double {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Double(now.tv_sec) + Double(now.tv_nsec) * 1e-9
}

public enum ProgressFormat: Sendable {
    /// 75 → "1m15s", 3725 → "1h02m", 9 → "9s".
    public static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "?" }
        let total = Int(seconds.rounded())
        if total < 60 { return "\(total)s" }
        if total < 3600 { return "\(total / 60)m\(String(format: "%02d", total % 60))s" }
        return "\(total / 3600)h\(String(format: "%02d", (total % 3600) / 60))m"
    }

    /// 12345.6 → "12.3k", 2_500_000 → "2.50M", 512 → "512".
    public static func count(_ value: Double) -> String {
        if value >= 1e6 { return String(format: "%.2fM", value / 1e6) }
        if value >= 1e4 { return String(format: "%.1fk", value / 1e3) }
        return String(Int(value.rounded()))
    }
}
