// WordTokenizer: the shared word rule for static vectors and their evaluation files: lowercase the
// line, then split on every character that is not a letter, a digit, `_` or `'`. It reproduces
// Python's `re.split(r"[^\w']+", line.lower())` (the rule of Scripts/peers/wordrule.py), including full
// lowercase mappings (İ → i + U+0307), the final-sigma rule, and `\w` = letters (Lu Ll Lt Lm Lo),
// numbers (any Numeric_Type) and `_`. Combining marks are NOT word characters, as in Python.
// Not handled: differences between the Unicode versions of Python and Swift for new code points.

// MARK: - Public API

/// The word rule shared by every trainer and evaluator in WordVectors.
///
/// ```swift
/// WordTokenizer.words(in: "Don't STOP—naïve_user 42!")  // ["don't", "stop", "naïve_user", "42"]
/// ```
public enum WordTokenizer: Sendable {
    /// The words of one line, lowercased, in order. Empty pieces are dropped.
    public static func words(in line: String) -> [String] {
        var result: [String] = []
        var scratch: [UInt8] = []
        var bytes = Array(line.utf8)
        bytes.withUnsafeMutableBufferPointer { buffer in
            // A Swift String is always valid UTF-8, so this cannot fail.
            _ = try? forEachWord(in: UnsafeBufferPointer(buffer), scratch: &scratch) { word in
                result.append(String(decoding: word, as: UTF8.self))
            }
        }
        return result
    }

    /// Calls `body` with the lowercased UTF-8 bytes of each word of `line` (no line terminator).
    /// The buffer passed to `body` is only valid during the call.
    ///
    /// - Throws: `InvalidUTF8` with the byte offset inside `line` when the bytes are not UTF-8.
    /// - Complexity: O(bytes); ASCII-only lines take a table-driven fast path.
    public static func forEachWord(
        in line: UnsafeBufferPointer<UInt8>, scratch: inout [UInt8],
        _ body: (UnsafeBufferPointer<UInt8>) -> Void
    ) throws(InvalidUTF8) {
        guard let base = line.baseAddress, line.count > 0 else { return }
        var isASCII = true
        for index in 0..<line.count where base[index] >= 0x80 {
            isASCII = false
            break
        }
        if isASCII {
            forEachASCIIWord(base, line.count, scratch: &scratch, body)
        } else {
            try forEachUnicodeWord(line, scratch: &scratch, body)
        }
    }

    /// The byte offset of the first invalid UTF-8 sequence in a line.
    public struct InvalidUTF8: Error, Equatable, Sendable {
        public let byteOffset: Int
    }

    // MARK: - ASCII fast path

    /// 0 = separator, 1 = word byte kept as is, 2 = uppercase letter (add 32).
    private static let asciiClass: [UInt8] = {
        var table = [UInt8](repeating: 0, count: 128)
        for byte in UInt8(ascii: "a")...UInt8(ascii: "z") { table[Int(byte)] = 1 }
        for byte in UInt8(ascii: "0")...UInt8(ascii: "9") { table[Int(byte)] = 1 }
        for byte in UInt8(ascii: "A")...UInt8(ascii: "Z") { table[Int(byte)] = 2 }
        table[Int(UInt8(ascii: "_"))] = 1
        table[Int(UInt8(ascii: "'"))] = 1
        return table
    }()

    private static func forEachASCIIWord(
        _ base: UnsafePointer<UInt8>, _ count: Int, scratch: inout [UInt8],
        _ body: (UnsafeBufferPointer<UInt8>) -> Void
    ) {
        if scratch.count < count { scratch = [UInt8](repeating: 0, count: max(count, 256)) }
        asciiClass.withUnsafeBufferPointer { table in
            scratch.withUnsafeMutableBufferPointer { out in
                let output = out.baseAddress!
                var length = 0
                for index in 0..<count {
                    let byte = base[index]
                    let kind = table[Int(byte)]
                    if kind == 0 {
                        if length > 0 { body(UnsafeBufferPointer(start: output, count: length)); length = 0 }
                    } else {
                        output[length] = kind == 2 ? byte &+ 32 : byte
                        length += 1
                    }
                }
                if length > 0 { body(UnsafeBufferPointer(start: output, count: length)) }
            }
        }
    }

    // MARK: - Unicode path (Python semantics)

    private static func forEachUnicodeWord(
        _ line: UnsafeBufferPointer<UInt8>, scratch: inout [UInt8],
        _ body: (UnsafeBufferPointer<UInt8>) -> Void
    ) throws(InvalidUTF8) {
        let scalars = try decodeUTF8(line)
        let lowered = pythonLowercased(scalars)
        var word: [UInt8] = []
        word.reserveCapacity(64)
        for scalar in lowered {
            if isWordScalar(scalar) {
                word.append(contentsOf: UTF8.encode(scalar)!)
            } else if !word.isEmpty {
                word.withUnsafeBufferPointer { body($0) }
                word.removeAll(keepingCapacity: true)
            }
        }
        if !word.isEmpty { word.withUnsafeBufferPointer { body($0) } }
    }

    /// Python's `\w` for str patterns plus the apostrophe: `ch.isalnum() or ch == '_'`, or `'`.
    /// isalnum = isalpha (general category Lu, Ll, Lt, Lm, Lo) or isnumeric (any Numeric_Type).
    public static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x80 {
            let byte = UInt8(scalar.value)
            return asciiClass[Int(byte)] != 0
        }
        let properties = scalar.properties
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            return true
        default:
            return properties.numericType != nil
        }
    }

    /// Python's `str.lower()`: the full lowercase mapping of each scalar, except that capital
    /// sigma becomes final sigma (ς) when a cased letter precedes it (skipping case-ignorable
    /// scalars) and none follows it (CPython's `handle_capital_sigma`).
    public static func pythonLowercased(_ scalars: [Unicode.Scalar]) -> [Unicode.Scalar] {
        var result: [Unicode.Scalar] = []
        result.reserveCapacity(scalars.count)
        for (index, scalar) in scalars.enumerated() {
            if scalar.value < 0x80 {
                let value = scalar.value
                result.append((value >= 0x41 && value <= 0x5A) ? Unicode.Scalar(value + 32)! : scalar)
            } else if scalar.value == 0x03A3 {
                result.append(isFinalSigma(scalars, at: index) ? "\u{03C2}" : "\u{03C3}")
            } else {
                result.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return result
    }

    private static func isFinalSigma(_ scalars: [Unicode.Scalar], at index: Int) -> Bool {
        var before = index - 1
        while before >= 0 && scalars[before].properties.isCaseIgnorable { before -= 1 }
        guard before >= 0, scalars[before].properties.isCased else { return false }
        var after = index + 1
        while after < scalars.count && scalars[after].properties.isCaseIgnorable { after += 1 }
        return after == scalars.count || !scalars[after].properties.isCased
    }

    /// Strict UTF-8 decoding (no overlongs, no surrogates, nothing above U+10FFFF).
    static func decodeUTF8(_ bytes: UnsafeBufferPointer<UInt8>) throws(InvalidUTF8) -> [Unicode.Scalar] {
        var scalars: [Unicode.Scalar] = []
        scalars.reserveCapacity(bytes.count)
        var index = 0
        let count = bytes.count
        while index < count {
            let lead = bytes[index]
            if lead < 0x80 {
                scalars.append(Unicode.Scalar(lead))
                index += 1
                continue
            }
            var length = 0
            var value: UInt32 = 0
            var minimum: UInt32 = 0
            if lead & 0xE0 == 0xC0 { length = 2; value = UInt32(lead & 0x1F); minimum = 0x80 }
            else if lead & 0xF0 == 0xE0 { length = 3; value = UInt32(lead & 0x0F); minimum = 0x800 }
            else if lead & 0xF8 == 0xF0 { length = 4; value = UInt32(lead & 0x07); minimum = 0x10000 }
            else { throw InvalidUTF8(byteOffset: index) }
            guard index + length <= count else { throw InvalidUTF8(byteOffset: index) }
            for offset in 1..<length {
                let byte = bytes[index + offset]
                guard byte & 0xC0 == 0x80 else { throw InvalidUTF8(byteOffset: index) }
                value = (value << 6) | UInt32(byte & 0x3F)
            }
            guard value >= minimum, let scalar = Unicode.Scalar(value) else { throw InvalidUTF8(byteOffset: index) }
            scalars.append(scalar)
            index += length
        }
        return scalars
    }
}
