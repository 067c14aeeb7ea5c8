// ScalarClass: the Unicode properties the pre-tokenisers split on, as one byte of flags per scalar.
// The regular expressions of HF tokenizers use `\p{L}` (general category L*), `\p{N}` (N*), `\s`
// (the White_Space property) and, in the Whitespace pre-tokeniser, `\w` (Alphabetic, marks, Nd,
// Pc, Join_Control). A 64 KiB table covers the Basic Multilingual Plane; other planes ask the
// standard library directly. Reference: Unicode UAX #44 (general categories), UTS #18 annex C.
// Not handled: differences between the Unicode version of Swift's tables and Oniguruma's (only
// characters assigned in the newest Unicode versions can differ).

/// Flags describing one Unicode scalar.
struct ScalarClass: OptionSet {
    let rawValue: UInt8

    /// General category L (Lu, Ll, Lt, Lm, Lo): regex `\p{L}`.
    static let letter = ScalarClass(rawValue: 1)
    /// General category N (Nd, Nl, No): regex `\p{N}`.
    static let number = ScalarClass(rawValue: 2)
    /// The White_Space property: regex `\s`.
    static let whitespace = ScalarClass(rawValue: 4)
    /// A word character for Rust's regex `\w`: Alphabetic, M*, Nd, Pc or Join_Control.
    static let word = ScalarClass(rawValue: 8)

    /// The flags of `scalar` (any value; invalid scalars have none).
    @inline(__always)
    static func of(_ scalar: UInt32) -> ScalarClass {
        if scalar < 0x10000 { return ScalarClass(rawValue: basicPlaneTable[Int(scalar)]) }
        return compute(scalar)
    }

    /// Flags for U+0000…U+FFFF, computed once (about 65k property look-ups, a few milliseconds).
    static let basicPlaneTable: [UInt8] = (0..<0x10000).map { compute(UInt32($0)).rawValue }

    /// The flags from the standard library's Unicode tables.
    static func compute(_ value: UInt32) -> ScalarClass {
        guard let scalar = Unicode.Scalar(value) else { return [] }
        let properties = scalar.properties
        var flags: ScalarClass = []
        switch properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter:
            flags.insert(.letter)
        case .decimalNumber, .letterNumber, .otherNumber:
            flags.insert(.number)
        default:
            break
        }
        if properties.isWhitespace { flags.insert(.whitespace) }
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark, .decimalNumber, .connectorPunctuation:
            flags.insert(.word)
        default:
            if properties.isAlphabetic || properties.isJoinControl { flags.insert(.word) }
        }
        return flags
    }
}
