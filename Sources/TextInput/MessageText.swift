// MessageText: how input is quoted in error messages. Quoted input is cut (a 10 MB string in a
// config.json must not become a 10 MB error line), and ranges read as words ("≥ 1", not
// "1...9223372036854775807").
// Not handled: escaping for a terminal (control characters are shown as they are).

/// At most `limit` characters of `text`, cut in the middle with a note of how much was left out.
public func quotedForMessage(_ text: String, limit: Int = 2000) -> String {
    guard text.count > limit else { return text }
    let head = text.prefix(limit * 3 / 4)
    let tail = text.suffix(limit / 4)
    return "\(head)… [\(text.count - head.count - tail.count) characters left out] …\(tail)"
}

/// A range as a person writes it: "≥ 1", "≤ 9", "between 1 and 9", "any".
public func describeRange(_ range: ClosedRange<Int>) -> String {
    switch (range.lowerBound == Int.min, range.upperBound == Int.max) {
    case (true, true): return "any whole number"
    case (false, true): return "≥ \(range.lowerBound)"
    case (true, false): return "≤ \(range.upperBound)"
    case (false, false): return "between \(range.lowerBound) and \(range.upperBound)"
    }
}

/// A Double range, as `describeRange(_:)`.
public func describeRange(_ range: ClosedRange<Double>) -> String {
    switch (range.lowerBound == -.infinity || range.lowerBound == -.greatestFiniteMagnitude,
            range.upperBound == .infinity || range.upperBound == .greatestFiniteMagnitude) {
    case (true, true): return "any number"
    case (false, true): return "≥ \(range.lowerBound)"
    case (true, false): return "≤ \(range.upperBound)"
    case (false, false): return "between \(range.lowerBound) and \(range.upperBound)"
    }
}
