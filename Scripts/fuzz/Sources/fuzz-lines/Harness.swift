// Fuzz harness: TextInput's line reader (TextLines, LineReader, UTF8Check), fed arbitrary bytes
// under both UTF-8 policies and compared with a plain reference split written here.
// Properties: no trap; a line never holds "\n"; a "\r" before a "\n" (or at the end) is dropped;
// lines are the reference's; refusing happens exactly when the standard library finds the bytes
// ill-formed, and its error names a byte inside the input, one that starts an ill-formed sequence,
// and that byte's line; replaced lines are valid UTF-8 and equal the bytes when those are valid;
// the LF and CRLF copies of valid input read as the same lines; LineReader agrees with TextLines;
// and LineReader with `maximumLineBytes` (a limit of 1…40 bytes, from the input's first byte)
// returns each line longer than the limit cut at the last scalar boundary within it (flagged as
// cut), every other line whole, and refuses or replaces exactly as the whole reader does, naming
// the same byte and line.
// Not handled: LineReader's 1 MiB block boundary (inputs are at most 64 KiB; the unit tests cover it).

import FuzzSupport
import Foundation
import TextInput

/// The reference: split at every "\n", no empty piece after a final "\n", a final "\r" dropped.
private func referenceLines(_ bytes: [UInt8]) -> [[UInt8]] {
    var pieces = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
    if bytes.last == 0x0A || bytes.isEmpty { pieces.removeLast() }
    return pieces.map { $0.last == 0x0D ? Array($0.dropLast()) : $0 }
}

private func readWithLineReader(_ bytes: [UInt8], policy: InvalidUTF8Policy) -> Result<[String], Error> {
    let url = Fuzz.file("lines.txt", bytes)
    return Result {
        let reader = try LineReader(path: url.path, policy: policy)
        return try reader.readAll()
    }
}

private func checkLines(_ bytes: [UInt8], policy: InvalidUTF8Policy, reference: [[UInt8]]) -> [String]? {
    let valid = String(validating: bytes, as: UTF8.self) != nil
    do {
        let lines = try TextLines.strings(bytes, source: "input", policy: policy)
        Fuzz.check(policy == .replace || valid, "refuse mode accepted ill-formed UTF-8")
        Fuzz.check(lines.count == reference.count, "\(lines.count) lines, the reference has \(reference.count)")
        for (line, expected) in zip(lines, reference) {
            Fuzz.check(!line.utf8.contains(0x0A), "a line holds \"\\n\"")
            Fuzz.check(String(validating: Array(line.utf8), as: UTF8.self) != nil, "a line is not valid UTF-8")
            if valid {
                Fuzz.check(Array(line.utf8) == expected, "a line differs from the reference")
            } else {
                Fuzz.check(line == String(decoding: expected, as: UTF8.self), "a replaced line differs from the reference's replacement")
            }
        }
        let streamed = readWithLineReader(bytes, policy: policy)
        switch streamed {
        case .success(let other): Fuzz.check(other == lines, "LineReader and TextLines read different lines")
        case .failure(let error): Fuzz.check(false, "LineReader refused what TextLines read: \(error)")
        }
        return lines
    } catch let error as InvalidUTF8Error {
        Fuzz.check(policy == .refuse, "replace mode threw \(error)")
        Fuzz.check(!valid, "refused well-formed UTF-8 at byte \(error.byteOffset)")
        Fuzz.check(error.byteOffset >= 0 && error.byteOffset < bytes.count, "byte offset \(error.byteOffset) outside \(bytes.count) bytes")
        let isBad = bytes.withUnsafeBufferPointer { UTF8Check.sequenceLength(at: error.byteOffset, in: $0) == 0 }
        Fuzz.check(isBad, "byte \(error.byteOffset) starts a well-formed sequence")
        let prefixValid = String(validating: Array(bytes[..<error.byteOffset]), as: UTF8.self) != nil
        Fuzz.check(prefixValid, "the bytes before \(error.byteOffset) are not well-formed: it is not the first bad byte")
        let line = 1 + bytes[..<error.byteOffset].filter { $0 == 0x0A }.count
        Fuzz.check(error.line == line, "line \(error.line), expected \(line)")
        Fuzz.check(error.description.contains("byte \(error.byteOffset)"), "the message does not name the byte")
        switch readWithLineReader(bytes, policy: policy) {
        case .success: Fuzz.check(false, "LineReader read what TextLines refused")
        case .failure(let other):
            Fuzz.check((other as? InvalidUTF8Error)?.byteOffset == error.byteOffset, "LineReader names another byte: \(other)")
        }
        return nil
    } catch {
        Fuzz.check(false, "unexpected error \(error)")
        return nil
    }
}

/// What the reader with `limit` must return for one line's bytes: the line, or its first `limit`
/// bytes, or fewer when a lead byte among the last 3 of them announces a sequence (2 bytes for
/// C0–DF, 3 for E0–EF, 4 for F0–FF) that runs past the limit: then up to that lead byte.
private func expectedCut(_ line: [UInt8], limit: Int) -> (bytes: [UInt8], cut: Bool) {
    guard line.count > limit else { return (line, false) }
    var end = limit
    for back in 1...3 where limit - back >= 0 {
        let byte = line[limit - back]
        if byte < 0x80 || byte >= 0xC0 {   // the nearest byte that is not a continuation byte
            let announced = byte >= 0xF0 ? 4 : byte >= 0xE0 ? 3 : byte >= 0xC0 ? 2 : 1
            if announced > back { end = limit - back }
            break
        }
    }
    return (Array(line[..<end]), true)
}

private func checkCutReader(_ bytes: [UInt8], policy: InvalidUTF8Policy, reference: [[UInt8]]) {
    let limit = 1 + Int(bytes.first ?? 0) % 40
    let url = Fuzz.file("cut-lines.txt", bytes)
    let cutRead = Result { () throws -> [(String, Bool)] in
        let reader = try LineReader(path: url.path, policy: policy)
        reader.maximumLineBytes = limit
        var lines: [(String, Bool)] = []
        while let line = try reader.next() { lines.append((line, reader.lastLineWasCut)) }
        return lines
    }
    switch (cutRead, readWithLineReader(bytes, policy: policy)) {
    case (.success(let lines), .success):
        Fuzz.check(lines.count == reference.count, "the cut reader read \(lines.count) lines, the reference has \(reference.count)")
        for ((line, cut), whole) in zip(lines, reference) {
            let expected = expectedCut(whole, limit: limit)
            Fuzz.check(cut == expected.cut, "a line of \(whole.count) bytes was\(cut ? "" : " not") cut at \(limit)")
            Fuzz.check(line == String(decoding: expected.bytes, as: UTF8.self), "a cut line is not the line's first bytes")
        }
    case (.failure(let error), .failure(let other)):
        let (ours, theirs) = (error as? InvalidUTF8Error, other as? InvalidUTF8Error)
        Fuzz.check(ours != nil && ours?.byteOffset == theirs?.byteOffset && ours?.line == theirs?.line,
                   "the cut reader refused with \(error), the whole reader with \(other)")
    case (.success, .failure(let other)):
        Fuzz.check(false, "the cut reader read what the whole reader refused: \(other)")
    case (.failure(let error), .success):
        Fuzz.check(false, "the cut reader refused what the whole reader read: \(error)")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Fuzz.bytes(data, size)
    let reference = referenceLines(bytes)
    checkCutReader(bytes, policy: .replace, reference: reference)
    checkCutReader(bytes, policy: .refuse, reference: reference)
    _ = checkLines(bytes, policy: .replace, reference: reference)
    guard let lines = checkLines(bytes, policy: .refuse, reference: reference) else { return 0 }
    // Valid input: its LF and CRLF copies read as the same lines (when no line ends in "\r",
    // which a copy could not tell from a CRLF terminator).
    guard !lines.contains(where: { $0.utf8.last == 0x0D }) else { return 0 }
    let lf: [UInt8] = lines.flatMap { Array($0.utf8) + [0x0A] }
    let crlf: [UInt8] = lines.flatMap { Array($0.utf8) + [0x0D, 0x0A] }
    for copy in [lf, crlf] {
        let read = (try? TextLines.strings(copy, source: "copy", policy: .refuse)) ?? ["<refused>"]
        Fuzz.check(read == lines, "an LF/CRLF copy reads as other lines")
        Fuzz.check((try? readWithLineReader(copy, policy: .refuse).get()) == lines, "LineReader reads an LF/CRLF copy as other lines")
    }
    return 0
}
