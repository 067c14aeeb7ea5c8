// Help: the one layout of every `tinyencoder COMMAND --help` (and `tinyencoder help COMMAND`):
// usage lines, what the command does, the options with their defaults, the output format, and an
// example, always in that order. Commands describe their page as data; this file renders it.
// Reference: the layout of git's and gensim scripts' --help pages (synopsis, options, output).
// Not handled: man pages, terminal-width detection (lines are wrapped at 100 columns).

/// One option line: `--name VALUE`, what it does, and its default when it has one.
struct HelpOption {
    /// As typed, with its value placeholder: "--model DIR", "--truncate".
    let syntax: String
    let text: String
    let defaultValue: String?

    init(_ syntax: String, _ text: String, default defaultValue: String? = nil) {
        self.syntax = syntax
        self.text = text
        self.defaultValue = defaultValue
    }

    /// The option's name without dashes ("model"), and whether it takes a value.
    var name: String { String(syntax.split(separator: " ")[0].dropFirst(2)) }
    var takesValue: Bool { syntax.contains(" ") }
}

/// A titled group of options ("Model (new runs)"); the first group of a page usually has no title.
struct HelpSection {
    let title: String?
    let options: [HelpOption]

    init(_ title: String? = nil, _ options: [HelpOption]) {
        self.title = title
        self.options = options
    }
}

/// A command's help page.
struct HelpPage {
    /// Synopsis lines, each after "tinyencoder ": "embed [--model DIR] [TEXT ...]"; a line that
    /// starts with spaces continues the one before it.
    let usage: [String]
    /// What the command does, in a sentence or three.
    let description: String
    let sections: [HelpSection]
    /// What it prints (and writes), exactly: the output contract.
    let output: String
    /// Example command lines, each after "tinyencoder ".
    let examples: [String]

    init(usage: [String], description: String, options: [HelpOption] = [], sections: [HelpSection] = [],
         output: String, examples: [String]) {
        self.usage = usage
        self.description = description
        self.sections = (options.isEmpty ? [] : [HelpSection(nil, options)]) + sections
        self.output = output
        self.examples = examples
    }

    /// Every option of the page, with the ones main.swift handles for every command.
    var allOptions: [HelpOption] { sections.flatMap(\.options) + HelpPage.common }

    /// Options every command takes (main.swift reads them).
    static let common = [
        HelpOption("--threads N", "worker threads", default: "$TINYENCODER_THREADS, else all cores"),
        HelpOption("--help", "this page (also: tinyencoder help COMMAND)"),
    ]

    static let width = 100
    static let optionColumn = 24

    /// The page as printed.
    var rendered: String {
        var lines: [String] = []
        for (index, line) in usage.enumerated() {
            if line.hasPrefix(" ") {  // a continuation, aligned under the command's options
                lines.append(String(repeating: " ", count: "usage: tinyencoder ".count) + line)
            } else {
                lines.append((index == 0 ? "usage: " : "       ") + "tinyencoder " + line)
            }
        }
        lines.append("")
        lines += HelpPage.wrap(description, indent: "", width: HelpPage.width)
        lines.append("")
        lines.append("options:")
        for section in sections + [HelpSection(sections.contains { $0.title != nil } ? "Every command" : nil, HelpPage.common)] {
            if let title = section.title { lines.append("  \(title):") }
            for option in section.options { lines += HelpPage.render(option) }
        }
        lines.append("")
        lines.append("output:")
        for paragraph in output.split(separator: "\n", omittingEmptySubsequences: false) {
            lines += HelpPage.wrap(String(paragraph), indent: "  ", width: HelpPage.width)
        }
        lines.append("")
        lines.append(examples.count == 1 ? "example:" : "examples:")
        for example in examples { lines.append("  tinyencoder " + example) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// "  --model DIR           the folder (default: …)", wrapped under the text column.
    static func render(_ option: HelpOption) -> [String] {
        var text = option.text
        if let value = option.defaultValue { text += " (default: \(value))" }
        let head = "  " + option.syntax
        let indent = String(repeating: " ", count: optionColumn)
        let body = wrap(text, indent: indent, width: width)
        if head.count + 2 <= optionColumn {
            var first = body[0]
            first.replaceSubrange(first.startIndex..<first.index(first.startIndex, offsetBy: head.count), with: head)
            return [first] + body.dropFirst()
        }
        return [head] + body
    }

    /// Words of `text` in lines of at most `width` columns, each starting with `indent`. A leading
    /// run of spaces in `text` is kept (for indented output lines).
    static func wrap(_ text: String, indent: String, width: Int) -> [String] {
        let leading = String(text.prefix { $0 == " " })
        let words = text.split(separator: " ")
        guard !words.isEmpty else { return [""] }
        var lines: [String] = []
        var line = indent + leading
        var lineHasWord = false
        for word in words {
            if lineHasWord && line.count + 1 + word.count > width {
                lines.append(line)
                line = indent + leading
                lineHasWord = false
            }
            line += (lineHasWord ? " " : "") + word
            lineHasWord = true
        }
        lines.append(line)
        return lines
    }
}
