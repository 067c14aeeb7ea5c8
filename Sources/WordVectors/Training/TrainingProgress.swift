// TrainingProgress: the progress line of long jobs (counting, training), on standard error:
// "skipgram  42.0%  512k words/s  lr 0.01452  ETA 0:31". On a terminal it is rewritten in place
// ("\r"); otherwise (a log file, CI) a plain line is printed every `logInterval` seconds.
// Reference: word2vec.c's "Alpha: … Progress: … Words/thread/sec" line.
// Not handled: several concurrent progress lines.

import Foundation
import TextInput

/// A rate-limited progress reporter. Call `update` as often as you like from one thread.
public final class TrainingProgress: Sendable {
    public let label: String
    public let unit: String
    private let isTerminal: Bool
    private let logInterval: Double
    private let start: Double
    private let lastPrint: Locked<Double>  // also keeps two lines from interleaving

    /// - Parameters:
    ///   - label: the first word of the line (the job's name).
    ///   - unit: what `done` counts ("words", "records").
    ///   - logInterval: seconds between lines when standard error is not a terminal.
    public init(label: String, unit: String = "words", logInterval: Double = 5) {
        self.label = label
        self.unit = unit
        self.isTerminal = isatty(2) != 0
        self.logInterval = logInterval
        start = TrainingProgress.now()
        lastPrint = Locked(start)
    }

    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }

    /// Seconds since the reporter was made.
    public var elapsed: Double { TrainingProgress.now() - start }

    /// Reports `done` of `total` units; prints at most every 0.25 s (terminal) or `logInterval`.
    public func update(done: Double, total: Double, learningRate: Float? = nil) {
        let now = TrainingProgress.now()
        let interval = isTerminal ? 0.25 : logInterval
        lastPrint.withLock { lastPrint in
            guard now - lastPrint >= interval else { return }
            lastPrint = now
            printLine(done: done, total: total, learningRate: learningRate, now: now)
        }
    }

    private func printLine(done: Double, total: Double, learningRate: Float?, now: Double) {
        let seconds = max(now - start, 1e-9)
        let rate = done / seconds
        let fraction = total > 0 ? min(1, done / total) : 0
        let remaining = rate > 0 ? max(0, total - done) / rate : 0
        var line = "\(label)  \(String(format: "%5.1f", fraction * 100))%  \(TrainingProgress.compact(rate)) \(unit)/s"
        if let learningRate { line += "  lr \(String(format: "%.5f", learningRate))" }
        line += "  ETA \(TrainingProgress.clock(remaining))"
        write(line)
    }

    /// Ends the line (terminal) and prints a summary: the total time and mean rate.
    public func finish(done: Double) {
        lastPrint.withLock { _ in
            let seconds = max(elapsed, 1e-9)
            write("\(label)  done: \(TrainingProgress.compact(done)) \(unit) in \(String(format: "%.1f", seconds)) s, "
                  + "\(TrainingProgress.compact(done / seconds)) \(unit)/s", final: true)
        }
    }

    private func write(_ line: String, final: Bool = false) {
        let text: String
        if isTerminal {
            text = "\r\u{1B}[K" + line + (final ? "\n" : "")
        } else {
            text = line + "\n"
        }
        FileHandle.standardError.write(text.data(using: .utf8) ?? Data())
    }

    /// 1234567 → "1.23M", 51234 → "51.2k".
    public static func compact(_ value: Double) -> String {
        if value >= 1e9 { return String(format: "%.2fG", value / 1e9) }
        if value >= 1e6 { return String(format: "%.2fM", value / 1e6) }
        if value >= 1e3 { return String(format: "%.1fk", value / 1e3) }
        return String(format: "%.0f", value)
    }

    /// Seconds as "h:mm:ss" or "m:ss".
    public static func clock(_ seconds: Double) -> String {
        let total = Int(seconds.rounded())
        let hours = total / 3600, minutes = (total % 3600) / 60, secs = total % 60
        return hours > 0 ? String(format: "%d:%02d:%02d", hours, minutes, secs) : String(format: "%d:%02d", minutes, secs)
    }
}
