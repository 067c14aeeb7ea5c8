// BertNormalizer and BertPreTokenizer: hand-worked examples of each step and of the alignment,
// the strip_accents: null rule, and every code point against HF's behaviour (which characters
// are removed, become a space, split as punctuation, are dropped as marks, are spaced as CJK,
// and what strip-accents and lowercase make of them), from
// Scripts/huggingface/make_wordpiece_fixtures.py (bert-unicode-classes.json).
import Foundation
import Testing
import TestSupport
@testable import Tokenization

@Suite struct WordPieceNormalizerTests {
    // MARK: - Hand-worked examples

    @Test func eachStepOnItsOwn() {
        // clean_text: NUL, BEL, DEL and zero-width space (Cf) go; tab and newline become spaces;
        // VT (Cc, though White_Space) is a control and goes too.
        let clean = BertNormalizer(cleanText: true, handleChineseCharacters: false, stripAccents: false, lowercase: false)
        #expect(clean.normalize("a\u{0}b\u{7}c\u{7F}d\u{200B}e\tf\ng\u{0B}h\u{3000}i") == "abcde f gh i")
        // handle_chinese_chars: each ideograph gets a space on both sides; kana and Hangul do not.
        let chinese = BertNormalizer(cleanText: false, handleChineseCharacters: true, stripAccents: false, lowercase: false)
        #expect(chinese.normalize("北京はソウル") == " 北  京 はソウル")
        // strip_accents: NFD ("é" → "e" + U+0301), then the non-spacing mark goes; "ß" has no decomposition.
        let strip = BertNormalizer(cleanText: false, handleChineseCharacters: false, stripAccents: true, lowercase: false)
        #expect(strip.normalize("Café Ångström ß") == "Cafe Angstrom ß")
        // lowercase: full mapping, character by character ("İ" → "i" + U+0307, Σ → σ even at the end).
        let lower = BertNormalizer(cleanText: false, handleChineseCharacters: false, stripAccents: false, lowercase: true)
        #expect(lower.normalize("İΣ ABC") == "i\u{307}σ abc")
    }

    /// strip_accents: null follows lowercase. "İ" decomposes to "I" + U+0307 (a non-spacing
    /// mark), so stripping removes the dot; lowercasing alone maps it to "i" + U+0307.
    @Test func stripAccentsNullFollowsLowercase() {
        #expect(BertNormalizer(stripAccents: nil, lowercase: true).normalize("Éİ") == "ei")
        #expect(BertNormalizer(stripAccents: nil, lowercase: false).normalize("Éİ") == "Éİ")
        #expect(BertNormalizer(stripAccents: true, lowercase: false).normalize("Éİ") == "EI")
        #expect(BertNormalizer(stripAccents: false, lowercase: true).normalize("Éİ") == "éi\u{307}")
    }

    /// Marks out of canonical order are reordered before dropping, as NFD requires; with
    /// stripping on they all go, so both orders give "a".
    @Test func combiningMarksAreReordered() {
        var marks: [(UInt32, Range<Int>)] = [(0x61, 0..<1), (0x301, 1..<3), (0x323, 3..<5)]  // acute (230), dot below (220)
        BertNormalizer.reorderCombiningMarks(&marks)
        #expect(marks.map(\.0) == [0x61, 0x323, 0x301])
        #expect(marks.map(\.1) == [0..<1, 3..<5, 1..<3])  // each mark keeps its own origin
        #expect(BertNormalizer().normalize("a\u{301}\u{323}") == "a")
    }

    /// Every output byte points at the input character it came from: "É" (2 bytes) → "e".
    @Test func alignmentsFollowTheCharacters() {
        var text = NormalizedText(Array("XÉ北".utf8), origin: 10)
        BertNormalizer().normalize(&text)
        #expect(text.string == "xe 北 ")  // 1 + 1 + 1 + 3 + 1 bytes
        #expect(text.alignments == [10..<11, 11..<13, 13..<16, 13..<16, 13..<16, 13..<16, 13..<16])
    }

    @Test func preTokenizerSplitsWhitespaceAndIsolatesPunctuation() {
        let words = BertPreTokenizer().words(of: "Hey friend!     How are you?!? $5+3=8 «ok» 1.5")
        #expect(words == ["Hey", "friend", "!", "How", "are", "you", "?", "!", "?", "$", "5", "+", "3", "=", "8", "«", "ok", "»", "1", ".", "5"])
        #expect(BertPreTokenizer().words(of: " \t\n ").isEmpty)
    }

    // MARK: - Every code point against HF

    struct Classes {
        let ranges: [String: [ClosedRange<UInt32>]]
        let stripAccents: [UInt32: [UInt32]]
        let lowercase: [UInt32: [UInt32]]

        init() throws {
            let json = try Fixtures.json("../HuggingFace/bert-unicode-classes.json")
            var ranges: [String: [ClosedRange<UInt32>]] = [:]
            for (name, value) in json["ranges"]?.objectValue ?? [] {
                ranges[name] = (value.arrayValue ?? []).compactMap { pair in
                    guard let low = pair[0]?.intValue, let high = pair[1]?.intValue else { return nil }
                    return UInt32(low)...UInt32(high)
                }
            }
            self.ranges = ranges
            func map(_ key: String) -> [UInt32: [UInt32]] {
                var result: [UInt32: [UInt32]] = [:]
                for (code, value) in json[key]?.objectValue ?? [] {
                    guard let scalar = UInt32(code, radix: 16) else { continue }
                    result[scalar] = (value.stringValue ?? "").split(separator: " ").compactMap { UInt32($0, radix: 16) }
                }
                return result
            }
            stripAccents = map("strip_accents")
            lowercase = map("lowercase")
        }

        /// Membership of every code point in class `name`, as one Bool per code point.
        func bitmap(_ name: String) -> [Bool] {
            var bits = [Bool](repeating: false, count: 0x110000)
            for range in ranges[name] ?? [] where range.upperBound < 0x110000 {
                for value in range { bits[Int(value)] = true }
            }
            return bits
        }
    }

    /// Compares our classes with HF's for all 1,114,112 code points (surrogates excluded).
    @Test func characterClassesEqualHFForEveryCodePoint() throws {
        let classes = try Classes()
        let removed = classes.bitmap("removed"), toSpace = classes.bitmap("to_space"), punctuation = classes.bitmap("punctuation")
        let splitWhitespace = classes.bitmap("split_whitespace"), dropped = classes.bitmap("dropped_mark"), chinese = classes.bitmap("chinese")
        #expect(removed.filter { $0 }.count > 137_000 && punctuation.filter { $0 }.count > 700)
        #expect(dropped.filter { $0 }.count > 1_500 && chinese.filter { $0 }.count == 81_264)
        var mismatches: [String] = []
        for value in 0..<0x110000 where !(0xD800..<0xE000).contains(value) {
            let flags = BertCharacterClass.of(UInt32(value))
            let isRemoved = flags.contains(.control)
            // The pre-tokeniser's whitespace is Rust's char::is_whitespace (tab, newline, return included).
            let checks = (removed: isRemoved, toSpace: !isRemoved && flags.contains(.whitespace) && value != 0x20,
                          punctuation: flags.contains(.punctuation) && !flags.contains(.whitespace),
                          whitespace: flags.contains(.whitespace), chinese: flags.contains(.chinese))
            if checks.removed != removed[value] || checks.toSpace != toSpace[value] || checks.punctuation != punctuation[value]
                || checks.whitespace != splitWhitespace[value] || checks.chinese != chinese[value] {
                mismatches.append("U+\(String(value, radix: 16, uppercase: true)): ours \(checks)")
            }
            // HF drops "mark" from "a" + mark when it is a non-spacing mark, or decomposes into some.
            let decomposesIntoMarks = classes.stripAccents[UInt32(value)] == []
            if dropped[value] != (flags.contains(.nonspacingMark) || decomposesIntoMarks) {
                mismatches.append("dropped mark U+\(String(value, radix: 16, uppercase: true)): HF \(dropped[value])")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches: \(mismatches.prefix(20))")
    }

    /// What strip-accents and lowercase make of every character HF changes (a sample of Hangul
    /// syllables among them), and of every 29th code point below U+30000 (which catches a
    /// character we change and HF does not).
    @Test func stripAccentsAndLowercaseEqualHF() throws {
        let classes = try Classes()
        let strip = BertNormalizer(cleanText: false, handleChineseCharacters: false, stripAccents: true, lowercase: false)
        let lower = BertNormalizer(cleanText: false, handleChineseCharacters: false, stripAccents: false, lowercase: true)
        #expect(classes.stripAccents.count > 3_000 && classes.lowercase.count > 1_400)
        let sample = Set(stride(from: UInt32(0), to: 0x30000, by: 29)).union(classes.stripAccents.keys).union(classes.lowercase.keys)
        var mismatches: [String] = []
        for value in sample.sorted() where !(0xD800..<0xE000).contains(value) {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let text = String(Character(scalar))
            let isSampledOut = (0xAC00...0xD7A3).contains(value) && (value - 0xAC00) % 97 != 0  // the fixture keeps 1 in 97
            if !isSampledOut {
                let expected = classes.stripAccents[value] ?? [value]
                let ours = strip.normalize(text).unicodeScalars.map(\.value)
                if ours != expected { mismatches.append("strip U+\(String(value, radix: 16)): \(ours) vs HF \(expected)") }
            }
            let expectedLower = classes.lowercase[value] ?? [value]
            let oursLower = lower.normalize(text).unicodeScalars.map(\.value)
            if oursLower != expectedLower { mismatches.append("lower U+\(String(value, radix: 16)): \(oursLower) vs HF \(expectedLower)") }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) mismatches: \(mismatches.prefix(20))")
    }
}
