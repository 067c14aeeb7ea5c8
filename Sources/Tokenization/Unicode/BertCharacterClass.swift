// BertCharacterClass: the character classes of BERT's normaliser and pre-tokeniser, exactly as HF
// tokenizers computes them. HF reads general categories from the `unicode_categories` crate,
// whose tables stop at Unicode 8.0, and NFD from a crate of the same age; whitespace comes from
// Rust's current tables. So a character assigned after Unicode 8.0 is never a control, a
// punctuation mark or a non-spacing mark for HF, and is never decomposed. We reproduce that with
// the standard library's categories, its `age` property, and the few characters whose category
// changed since 8.0. A test compares all 1,114,112 code points with HF's behaviour.
// Reference: HF tokenizers normalizers/bert.rs, pre_tokenizers/bert.rs; Unicode UAX #44.
// Not handled: a Swift toolchain whose Unicode tables disagree with HF's on a category (the test
// would name the code point).

/// Flags describing one Unicode scalar for BERT.
struct BertCharacterClass: OptionSet {
    let rawValue: UInt8

    /// Removed by `clean_text`: NUL, U+FFFD, and categories Cc, Cf, Co (as of Unicode 8.0),
    /// except tab, newline and carriage return.
    static let control = BertCharacterClass(rawValue: 1)
    /// White_Space (Rust `char::is_whitespace`, current Unicode), plus tab, newline and return.
    static let whitespace = BertCharacterClass(rawValue: 2)
    /// BERT punctuation: ASCII punctuation (which includes `$+<=>^`|~`) or category P* (Unicode 8.0).
    static let punctuation = BertCharacterClass(rawValue: 4)
    /// Category Mn as of Unicode 8.0: dropped when accents are stripped.
    static let nonspacingMark = BertCharacterClass(rawValue: 8)
    /// In one of the CJK ideograph blocks that BERT surrounds with spaces.
    static let chinese = BertCharacterClass(rawValue: 16)
    /// Assigned in Unicode 8.0 or earlier, so HF's normalisation tables know it (it may decompose).
    static let knownToHF = BertCharacterClass(rawValue: 32)

    /// The flags of `scalar` (any value; invalid scalars have none).
    @inline(__always)
    static func of(_ scalar: UInt32) -> BertCharacterClass {
        if scalar < 0x10000 { return BertCharacterClass(rawValue: basicPlaneTable[Int(scalar)]) }
        return compute(scalar)
    }

    /// Flags for U+0000…U+FFFF, computed once.
    static let basicPlaneTable: [UInt8] = (0..<0x10000).map { compute(UInt32($0)).rawValue }

    // MARK: - Computing the flags

    /// Characters whose general category changed after Unicode 8.0, with their 8.0 category
    /// (found by comparing every code point with HF; see BertCharacterClassTests).
    static let punctuationIn8: Set<UInt32> = [0x166D, 0x111C9]  // now So, Mn
    static let nonspacingIn8: Set<UInt32> = [0x1734, 0x1171E]   // now Mc
    static let notNonspacingIn8: Set<UInt32> = [0x1885, 0x1886, 0xA9BD, 0x111C9]  // were Lo, Lo, Mc, Po

    /// Whether `scalar` was assigned in Unicode 8.0 or earlier.
    static func isAssignedByUnicode8(_ scalar: Unicode.Scalar) -> Bool {
        guard let age = scalar.properties.age else { return false }
        return age.major < 8 || (age.major == 8 && age.minor == 0)
    }

    /// The flags from the standard library's Unicode tables.
    static func compute(_ value: UInt32) -> BertCharacterClass {
        guard let scalar = Unicode.Scalar(value) else { return [] }
        let properties = scalar.properties
        let old = isAssignedByUnicode8(scalar)
        var flags: BertCharacterClass = old ? [.knownToHF] : []
        let isTabOrNewline = value == 0x09 || value == 0x0A || value == 0x0D
        if isTabOrNewline || properties.isWhitespace { flags.insert(.whitespace) }
        let category = properties.generalCategory
        if value == 0 || value == 0xFFFD {
            flags.insert(.control)
        } else if !isTabOrNewline, old, category == .control || category == .format || category == .privateUse {
            flags.insert(.control)
        }
        if isASCIIPunctuation(value) || punctuationIn8.contains(value) {
            flags.insert(.punctuation)
        } else if old {
            switch category {
            case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
                 .initialPunctuation, .finalPunctuation, .otherPunctuation:
                flags.insert(.punctuation)
            default: break
            }
        }
        if nonspacingIn8.contains(value) || (old && category == .nonspacingMark && !notNonspacingIn8.contains(value)) {
            flags.insert(.nonspacingMark)
        }
        if isChinese(value) { flags.insert(.chinese) }
        return flags
    }

    /// Rust's `is_ascii_punctuation`: ! to /, : to @, [ to `, { to ~.
    static func isASCIIPunctuation(_ value: UInt32) -> Bool {
        (0x21...0x2F).contains(value) || (0x3A...0x40).contains(value) || (0x5B...0x60).contains(value) || (0x7B...0x7E).contains(value)
    }

    /// The CJK Unified Ideographs blocks (and extensions and compatibility ideographs) that
    /// BERT's `_is_chinese_char` lists. Hangul, kana and CJK punctuation are not in them.
    static func isChinese(_ value: UInt32) -> Bool {
        switch value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
             0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }

    /// The canonical combining class HF's NFD uses: zero for characters its tables do not know.
    static func combiningClass(_ scalar: Unicode.Scalar) -> UInt8 {
        guard scalar.value >= 0x300 else { return 0 }
        guard of(scalar.value).contains(.knownToHF) else { return 0 }
        return scalar.properties.canonicalCombiningClass.rawValue
    }
}
