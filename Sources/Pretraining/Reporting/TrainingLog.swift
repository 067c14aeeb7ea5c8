// TrainingLog: the --log file, one JSON object per line, to plot a run's curves:
//   {"type":"train","step":12,"loss":6.1234,"lr":0.0001,"grad_norm":1.9,"accuracy":0.05,
//    "tokens":4096,"padding":12,"masked":610,"tokens_per_s":5321.4,"elapsed_s":9.1}
//   {"type":"eval","step":500,"loss":5.9,"accuracy":0.18,"perplexity":365.0,"masked":15000,"sequences":1024}
//   {"type":"checkpoint","step":1000,"path":"runs/small"}
// A resumed run first drops the lines of steps after its checkpoint (they will be redone), so the
// file always reads as one uninterrupted run. Lines are flushed as they are written.
// Not handled: other formats (TensorBoard, CSV); NaN is written as null (JSON has no NaN).

import Foundation
import TensorCore

/// Appends JSON lines to a file.
public final class TrainingLog: PretrainingObserver {
    public let url: URL
    private let handle: FileHandle
    private var lastStepTime: Double?

    /// Opens `url` for a fresh run (emptied) or a resumed one (lines after `resumingAfter` dropped).
    public init(url: URL, resumingAfter step: Int? = nil) throws {
        self.url = url
        let manager = FileManager.default
        var kept = Data()
        if let step, let existing = manager.contents(atPath: url.path) {
            for line in existing.split(separator: 0x0A, omittingEmptySubsequences: true) {
                guard let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                      let lineStep = object["step"] as? Int, lineStep <= step else { continue }
                kept.append(Data(line))
                kept.append(0x0A)
            }
        }
        try AtomicFile.write(kept, to: url)
        guard let handle = FileHandle(forWritingAtPath: url.path) else {
            throw FileError(.writeFailed, file: url.path, field: "(file)", problem: "cannot be opened for writing", fix: "Check the --log path")
        }
        handle.seekToEndOfFile()
        self.handle = handle
    }

    deinit { try? handle.close() }

    /// Writes one line from ordered key–value pairs (numbers, strings, nil as null).
    public func write(_ fields: [(String, Any?)]) {
        let body = fields.map { key, value in "\"\(key)\":" + TrainingLog.json(value) }.joined(separator: ",")
        handle.write(Data(("{" + body + "}\n").utf8))
    }

    static func json(_ value: Any?) -> String {
        switch value {
        case let value as Float: return value.isFinite ? "\(value)" : "null"
        case let value as Double: return value.isFinite ? "\(value)" : "null"
        case let value as Int: return "\(value)"
        case let value as String:
            let escaped = value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            return "\"\(escaped)\""
        default: return "null"
        }
    }

    // MARK: - PretrainingObserver

    public func trainer(_ trainer: PretrainingTrainer, didStep report: StepReport) {
        write([("type", "train"), ("step", report.step), ("loss", report.loss), ("lr", report.learningRate),
               ("grad_norm", report.gradientNorm), ("accuracy", report.accuracy), ("tokens", report.tokens),
               ("padding", report.paddingTokens), ("masked", report.maskedTokens),
               ("tokens_per_s", Double(report.tokens) / max(report.seconds, 1e-9)), ("elapsed_s", trainer.state.trainingSeconds)]
              + (report.contrastiveLoss.map { [("contrastive_loss", $0 as Any)] } ?? [])
              + (report.distillationLoss.map { [("distillation_loss", $0 as Any)] } ?? []))
    }

    public func trainer(_ trainer: PretrainingTrainer, didEvaluate report: EvaluationReport) {
        write([("type", "eval"), ("step", report.step), ("loss", report.loss), ("accuracy", report.accuracy),
               ("perplexity", report.perplexity), ("masked", report.maskedTokens), ("sequences", report.sequences)])
    }

    public func trainer(_ trainer: PretrainingTrainer, didSaveCheckpointAt url: URL) {
        write([("type", "checkpoint"), ("step", trainer.state.step), ("path", url.path)])
    }
}
