// The `tinyencoder` executable: finds the subcommand, parses its arguments, runs it, and turns
// any error into a one-line message on standard error with exit status 1 (2 for usage errors).
// `tinyencoder --version`, `tinyencoder help [COMMAND]` and `COMMAND --help` print and exit 0.
// Not handled: shell completion.

import Foundation
import TensorCore
import TinyEncoder

func printOverview() {
    var text = "usage: tinyencoder COMMAND [OPTIONS]\n\ncommands:\n"
    for command in allCommands {
        text += "  " + command.name.padding(toLength: 18, withPad: " ", startingAt: 0) + command.summary + "\n"
    }
    text += "\n`tinyencoder help COMMAND` (or `tinyencoder COMMAND --help`) shows a command's options;\n"
    text += "Every command takes --threads N and --invalid-utf8 refuse|replace (default refuse: bad bytes in any text input\n"
    text += "are an error naming the byte and line; replace reads them as U+FFFD).\n"
    text += "`tinyencoder --version` prints the version (\(tinyEncoderVersion)).\n"
    print(text, terminator: "")
}

/// One message on standard error; whatever input it quotes, it stays about one screen long.
func printError(_ text: String) {
    FileHandle.standardError.write(Data((quotedForMessage(text, limit: 4000) + "\n").utf8))
}

func runMain() -> Int32 {
    let raw = Array(CommandLine.arguments.dropFirst())
    guard let name = raw.first, name != "--help", name != "-h" else {
        printOverview()
        return raw.isEmpty ? 2 : 0
    }
    if name == "--version" || name == "-V" {
        print("tinyencoder \(tinyEncoderVersion)")
        return 0
    }
    if name == "help" {
        guard let topic = raw.dropFirst().first else { printOverview(); return 0 }
        guard let command = allCommands.first(where: { $0.name == topic }) else {
            printError("tinyencoder help: unknown command \"\(topic)\"; run `tinyencoder help` for the list")
            return 2
        }
        print(command.help.rendered, terminator: "")
        return 0
    }
    guard let command = allCommands.first(where: { $0.name == name }) else {
        printError("tinyencoder: unknown command \"\(name)\"; run `tinyencoder help` for the list")
        return 2
    }
    do {
        var arguments = try Arguments(command: name, Array(raw.dropFirst()), flagNames: command.flagNames)
        if arguments.flag("help") {
            print(command.help.rendered, terminator: "")
            return 0
        }
        if let threads = arguments.string("threads") {
            guard let value = Int(threads), value > 0, value <= 4096 else {
                throw CLIError("\(name): --threads must be a whole number from 1 to 4096, got \"\(threads)\"")
            }
            Threads.count = value
        }
        // One UTF-8 policy for every reader of text in the process (TextInput).
        if let policy = arguments.string("invalid-utf8") {
            guard let value = InvalidUTF8Policy(rawValue: policy) else {
                throw CLIError("\(name): --invalid-utf8 must be refuse or replace, got \"\(quotedForMessage(policy, limit: 100))\"")
            }
            InvalidUTF8Policy.current = value
        }
        try command.run(&arguments)
        return 0
    } catch let error as CLIError {
        printError("tinyencoder \(error.message)")
        return 2
    } catch {
        printError("tinyencoder \(name): \(error)")
        return 1
    }
}

exit(runMain())
