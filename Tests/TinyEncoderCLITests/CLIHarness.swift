// Running the built `tinyencoder` (it sits beside the test bundle: `swift test` builds every
// product) and matching its standard output against the committed contracts in
// Tests/Fixtures/CLI/output-contracts.txt (the placeholders are explained at the top of that file).
// Not handled: terminals (the runs see files, so progress lines are plain lines).

import Foundation
import Testing
import TestSupport
import TinyEncoder

/// What one run of the executable gave.
struct CLIResult {
    let status: Int32
    let stdout: String
    let stderr: String
    var lines: [String] { stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init) }
}

enum CLI {
    /// The executable built with the tests.
    static let executable = Bundle.main.bundleURL.appendingPathComponent("tinyencoder")

    /// Runs `tinyencoder ARGUMENTS` on one thread, with `input` on standard input, in `directory`.
    /// `home`, when given, becomes $HOME (tests that aim at the home folder aim at a scratch one).
    static func run(_ arguments: [String], input: Data? = nil, in directory: URL? = nil, home: URL? = nil) throws -> CLIResult {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw CLIHarnessError("the tinyencoder executable is not at \(executable.path); run the tests with `swift test`, which builds it")
        }
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["TINYENCODER_THREADS"] = "1"
        environment.removeValue(forKey: "TINYENCODER_MODEL")
        if let home { environment["HOME"] = home.path }
        process.environment = environment
        if let directory { process.currentDirectoryURL = directory }
        // Files, not pipes, for all three streams: nothing can block, and standard input is a
        // regular file (as `tinyencoder embed < texts.txt` sees it).
        let scratch = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let (inURL, outURL, errURL) = (scratch.appendingPathComponent("in"), scratch.appendingPathComponent("out"), scratch.appendingPathComponent("err"))
        for (url, contents) in [(inURL, input ?? Data()), (outURL, Data()), (errURL, Data())] {
            guard FileManager.default.createFile(atPath: url.path, contents: contents) else { throw CLIHarnessError("cannot create \(url.path)") }
        }
        let (stdin, stdout, stderr) = (try FileHandle(forReadingFrom: inURL), try FileHandle(forWritingTo: outURL), try FileHandle(forWritingTo: errURL))
        defer { try? stdin.close(); try? stdout.close(); try? stderr.close() }
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        process.waitUntilExit()
        return CLIResult(status: process.terminationStatus, stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
                         stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }

    /// A fresh temporary folder.
    static func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("te-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

struct CLIHarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// The blocks of output-contracts.txt, by name.
enum Contracts {
    static let blocks: [String: [String]] = {
        guard let text = try? String(contentsOf: fixtureURL("CLI/output-contracts.txt"), encoding: .utf8) else { return [:] }
        var blocks: [String: [String]] = [:]
        var name: String? = nil
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("== ") { name = String(line.dropFirst(3)); blocks[name!] = []; continue }
            guard let current = name, !line.hasPrefix("#"), !line.isEmpty else { continue }
            if line.hasPrefix("{×"), let close = line.firstIndex(of: "}"), let count = Int(line[line.index(line.startIndex, offsetBy: 2)..<close]) {
                blocks[current]! += Array(repeating: String(line[line.index(after: close)...].dropFirst()), count: count)
            } else {
                blocks[current]!.append(line)
            }
        }
        return blocks
    }()

    static let number = "-?[0-9]+(?:\\.[0-9]+)?(?:e[-+]?[0-9]+)?"

    /// A pattern line as a regular expression over the whole line.
    static func regex(_ pattern: String) throws -> NSRegularExpression {
        var regex = "^"
        var rest = Substring(pattern)
        while let open = rest.firstIndex(of: "{"), let close = rest[open...].firstIndex(of: "}") {
            regex += NSRegularExpression.escapedPattern(for: String(rest[..<open]))
            let token = rest[rest.index(after: open)..<close].split(separator: " ")
            switch (token.first.map(String.init) ?? "", token.count > 1 ? Int(token[1]) : nil) {
            case ("int", _): regex += "-?[0-9]+"
            case ("num", _): regex += number
            case ("fixed6", _): regex += "-?[0-9]+\\.[0-9]{6}"
            case let ("tsv", count?): regex += number + "(?:\t" + number + "){\(count - 1)}"
            case let ("csv", count?): regex += number + "(?:," + number + "){\(count - 1)}"
            case ("path", _): regex += "\\S+"
            case ("text", _): regex += ".*"
            case ("version", _): regex += NSRegularExpression.escapedPattern(for: tinyEncoderVersion)
            default: throw CLIHarnessError("unknown placeholder {\(token.joined(separator: " "))} in \"\(pattern)\"")
            }
            rest = rest[rest.index(after: close)...]
        }
        return try NSRegularExpression(pattern: regex + NSRegularExpression.escapedPattern(for: String(rest)) + "$")
    }

    /// Records an issue for every line of `result` that breaks block `name` (and for a failed run).
    static func check(_ result: CLIResult, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        #expect(result.status == 0, "exit \(result.status): \(result.stderr)", sourceLocation: sourceLocation)
        let patterns = try #require(blocks[name], "no block \"== \(name)\" in output-contracts.txt", sourceLocation: sourceLocation)
        let lines = result.lines
        var pairs: [(String, String)] = []
        if let any = patterns.firstIndex(of: "{lines}") {
            let (before, after) = (Array(patterns[..<any]), Array(patterns[(any + 1)...]))
            guard lines.count >= before.count + after.count else {
                Issue.record("\(name): \(lines.count) lines, at least \(before.count + after.count) expected", sourceLocation: sourceLocation)
                return
            }
            pairs = Array(zip(before, lines.prefix(before.count))) + Array(zip(after, lines.suffix(after.count)))
        } else {
            guard lines.count == patterns.count else {
                Issue.record("\(name): \(lines.count) lines where \(patterns.count) were expected:\n\(result.stdout.prefix(2000))", sourceLocation: sourceLocation)
                return
            }
            pairs = Array(zip(patterns, lines))
        }
        for (pattern, line) in pairs {
            let regex = try regex(pattern)
            let matched = regex.firstMatch(in: line, range: NSRange(line.startIndex..., in: line)) != nil
            #expect(matched, "\(name): \"\(line.prefix(300))\" does not match \"\(pattern)\"", sourceLocation: sourceLocation)
        }
    }

    /// The numbers of a tab- or comma-separated line.
    static func numbers(_ line: Substring) -> [Float] {
        line.split(whereSeparator: { $0 == "\t" || $0 == "," }).compactMap { Float($0) }
    }
}
