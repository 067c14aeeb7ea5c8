// Arguments: the command line parsed by hand (no packages). Options are `--name value` or
// `--name=value`, flags are `--name`, everything else is positional; `--` ends options.
// Every mistake is a CLIError that names the option and says how to fix it.
// Not handled: short options (-h is the one exception), option bundling.

import TextInput

/// A user-facing error from the command line: the message says what was wrong and how to fix it.
struct CLIError: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}

/// The arguments after the subcommand, consumed option by option.
struct Arguments {
    private(set) var options: [String: [String]] = [:]
    private(set) var flags: Set<String> = []
    private(set) var positionals: [String] = []
    private(set) var used: Set<String> = []
    let command: String

    /// Splits `raw` into options, flags and positionals. `flagNames` lists the options that take
    /// no value (without the leading dashes); every other `--name` takes the next argument.
    init(command: String, _ raw: [String], flagNames: Set<String>) throws {
        self.command = command
        var index = 0
        var onlyPositionals = false
        while index < raw.count {
            let argument = raw[index]
            index += 1
            if onlyPositionals || !argument.hasPrefix("--") || argument == "-" {
                if argument == "-h" { flags.insert("help"); continue }
                positionals.append(argument)
                continue
            }
            if argument == "--" { onlyPositionals = true; continue }
            var name = String(argument.dropFirst(2))
            var value: String? = nil
            if let equals = name.firstIndex(of: "=") {
                value = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            if flagNames.contains(name) || name == "help" {
                if value != nil { throw CLIError("\(command): --\(name) takes no value") }
                flags.insert(name)
                continue
            }
            if value == nil {
                guard index < raw.count else {
                    throw CLIError("\(command): --\(name) is the last argument and has no value: --\(name) is unknown "
                        + "or lacks its value (see `tinyencoder \(command) --help`)")
                }
                // An option never swallows a following option: `--bogus --out x` must not read
                // "--out" as the value of --bogus (a value that starts with "--" is written --name=VALUE).
                guard !raw[index].hasPrefix("--") else {
                    throw CLIError("\(command): --\(name) is followed by the option \(raw[index]), not by a value: "
                        + "--\(name) is unknown or lacks its value (see `tinyencoder \(command) --help`; "
                        + "write --\(name)=VALUE for a value that starts with --)")
                }
                value = raw[index]
                index += 1
            }
            options[name, default: []].append(value!)
        }
    }

    /// The value of `--name`, if given (the last one wins).
    mutating func string(_ name: String) -> String? {
        used.insert(name)
        return options[name]?.last
    }

    /// Every value given for a repeatable `--name`.
    mutating func strings(_ name: String) -> [String] {
        used.insert(name)
        return options[name] ?? []
    }

    /// The value of `--name`, or an error saying it is required.
    mutating func required(_ name: String) throws -> String {
        guard let value = string(name) else {
            throw CLIError("\(command): --\(name) is required (see `tinyencoder \(command) --help`)")
        }
        return value
    }

    /// `--name` as an integer within `range`, or `fallback` when absent.
    mutating func int(_ name: String, default fallback: Int, in range: ClosedRange<Int> = Int.min...Int.max) throws -> Int {
        guard let text = string(name) else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw CLIError("\(command): --\(name) must be a whole number \(describeRange(range)), got \"\(text)\"")
        }
        return value
    }

    /// `--name` as a finite number within `range`, or `fallback` when absent.
    mutating func double(_ name: String, default fallback: Double, in range: ClosedRange<Double> = -Double.greatestFiniteMagnitude...Double.greatestFiniteMagnitude) throws -> Double {
        guard let text = string(name) else { return fallback }
        guard let value = Double(text), value.isFinite, range.contains(value) else {
            throw CLIError("\(command): --\(name) must be a number \(describeRange(range)), got \"\(text)\"")
        }
        return value
    }

    /// Whether the flag `--name` was given.
    mutating func flag(_ name: String) -> Bool {
        used.insert(name)
        return flags.contains(name)
    }

    /// Throws if an option was given that the command never asked about (a typo, usually).
    func rejectUnknown() throws {
        let unknown = Set(options.keys).union(flags).subtracting(used).subtracting(["help"])
        if let name = unknown.sorted().first {
            throw CLIError("\(command): unknown option --\(name) (see `tinyencoder \(command) --help`)")
        }
    }
}
