// `tinyencoder bench tokenize-long`: encoding stays linear on one long line. For each script (CJK,
// accented Latin, emoji) it builds one line of about N MB and the same bytes cut into short lines
// (≤ 100 bytes, at character boundaries), encodes both on one thread and prints both rates and
// their ratio. A quadratic step (offset bookkeeping that rescans the line) shows as a ratio far
// below 1. The text is generated from a fixed seed, so every run encodes the same bytes.
// Not handled: pair inputs, and more than one thread (one line cannot be split across threads).

import Foundation
import TensorCore
import Tokenization

enum TokenizeLongBenchmark: Benchmark {
    static let kind = "tokenize-long"
    static let synopsis = "tokenize-long --tokenizer FILE [--megabytes N] [--script cjk|accented|emoji|all]"
    static let options = [
        HelpOption("--tokenizer FILE", "tokenizer.json (byte-level BPE or WordPiece)"),
        HelpOption("--megabytes N", "size of the long line", default: "4"),
        HelpOption("--script S", "cjk, accented, emoji or all", default: "all"),
    ]
    static let output = """
        tokenize-long: "script= threads=1 bytes= long_mb_per_s= short_mb_per_s= ratio= tokens="
        """

    static func run(_ arguments: inout Arguments) throws {
        let tokenizerPath = try arguments.required("tokenizer")
        let megabytes = try arguments.double("megabytes", default: 4, in: 0.001...1024)
        let script = arguments.string("script") ?? "all"
        try arguments.rejectUnknown()
        let scripts = script == "all" ? ["cjk", "accented", "emoji"] : [script]
        guard scripts.allSatisfy({ alphabets[$0] != nil }) else {
            throw CLIError("bench tokenize-long: --script must be cjk, accented, emoji or all, got \"\(script)\"")
        }
        var tokenizer = try Tokenizer(contentsOf: URL(fileURLWithPath: tokenizerPath))
        tokenizer.truncation = nil
        tokenizer.padding = nil
        for name in scripts {
            let line = text(alphabet: alphabets[name]!, bytes: Int(megabytes * 1e6))
            let pieces = shortLines(line, maximumBytes: 100)
            let bytes = line.utf8.count
            var start = monotonicSeconds()
            let long = try tokenizer.encode(line, addSpecialTokens: false)
            let longSeconds = monotonicSeconds() - start
            start = monotonicSeconds()
            let short = try tokenizer.encode(batch: pieces, addSpecialTokens: false, threads: 1)
            let shortSeconds = monotonicSeconds() - start
            let (longRate, shortRate) = (Double(bytes) / 1e6 / longSeconds, Double(bytes) / 1e6 / shortSeconds)
            print("script=\(name) threads=1 bytes=\(bytes) long_mb_per_s=\(String(format: "%.2f", longRate)) "
                  + "short_mb_per_s=\(String(format: "%.2f", shortRate)) ratio=\(String(format: "%.2f", longRate / shortRate)) "
                  + "tokens=\(long.count) short_tokens=\(short.reduce(0) { $0 + $1.count })")
        }
    }

    /// Words of each script: CJK ideographs (no spaces, a "。" now and then), accented Latin words
    /// separated by spaces, emoji (some with a skin-tone modifier or a ZWJ sequence) separated by spaces.
    static let alphabets: [String: (characters: [String], separator: String, wordLength: ClosedRange<Int>)] = [
        "cjk": (Array("的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明")
                .map(String.init), "。", 8...40),
        "accented": (["é", "è", "ê", "à", "ç", "ñ", "ö", "ü", "ß", "ø", "å", "ł", "ő", "ř", "ą", "ž", "a", "e", "i", "o", "r", "s", "t", "n"],
                     " ", 3...9),
        "emoji": (["😀", "🚀", "🎉", "👍🏽", "❤️", "🇫🇷", "👩‍💻", "🐍", "🌍", "✨", "🤖", "🍕"], " ", 1...4),
    ]

    /// About `bytes` bytes of one line: words of 1…n characters drawn with a fixed seed.
    static func text(alphabet: (characters: [String], separator: String, wordLength: ClosedRange<Int>), bytes: Int) -> String {
        var random = SeededGenerator(seed: 42)
        var text = ""
        text.reserveCapacity(bytes + 64)
        while text.utf8.count < bytes {
            let length = alphabet.wordLength.lowerBound + Int(random.next() % UInt64(alphabet.wordLength.count))
            for _ in 0..<length { text += alphabet.characters[Int(random.next() % UInt64(alphabet.characters.count))] }
            text += alphabet.separator
        }
        return text
    }

    /// The same text cut into pieces of at most `maximumBytes` UTF-8 bytes, at Character boundaries.
    static func shortLines(_ text: String, maximumBytes: Int) -> [String] {
        var pieces: [String] = []
        var current = ""
        var currentBytes = 0
        for character in text {
            let size = character.utf8.count
            if currentBytes + size > maximumBytes && !current.isEmpty {
                pieces.append(current)
                current = ""
                currentBytes = 0
            }
            current.append(character)
            currentBytes += size
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }
}

