// The `tinyencoder` executable: finds the subcommand, parses its arguments, runs it, and turns
// any error into a one-line message on standard error with exit status 1 (2 for usage errors).
// Not handled: shell completion.

import Foundation
import TensorCore

func printOverview() {
    var text = "usage: tinyencoder COMMAND [OPTIONS]\n\ncommands:\n"
    for command in allCommands {
        text += "  " + command.name.padding(toLength: 18, withPad: " ", startingAt: 0) + command.summary + "\n"
    }
    text += "\n`tinyencoder COMMAND --help` shows a command's options.\n"
    print(text, terminator: "")
}

func runMain() -> Int32 {
    let raw = Array(CommandLine.arguments.dropFirst())
    guard let name = raw.first, name != "--help", name != "-h", name != "help" else {
        printOverview()
        return raw.isEmpty ? 2 : 0
    }
    guard let command = allCommands.first(where: { $0.name == name }) else {
        FileHandle.standardError.write("tinyencoder: unknown command \"\(name)\"; run `tinyencoder --help` for the list\n".data(using: .utf8)!)
        return 2
    }
    do {
        var arguments = try Arguments(command: name, Array(raw.dropFirst()), flagNames: command.flagNames)
        if arguments.flag("help") {
            print(command.usage)
            return 0
        }
        if let threads = arguments.string("threads") {
            guard let value = Int(threads), value > 0, value <= 4096 else {
                throw CLIError("\(name): --threads must be a whole number from 1 to 4096, got \"\(threads)\"")
            }
            Threads.count = value
        }
        try command.run(&arguments)
        return 0
    } catch let error as CLIError {
        FileHandle.standardError.write("tinyencoder \(error.message)\n".data(using: .utf8)!)
        return 2
    } catch {
        FileHandle.standardError.write("tinyencoder \(name): \(error)\n".data(using: .utf8)!)
        return 1
    }
}

exit(runMain())
