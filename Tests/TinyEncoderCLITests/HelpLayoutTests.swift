// One help layout for every command: usage, a description, options (each with its default where
// it has one), the output format and an example, in that order; the flags the parser knows are the
// options the page lists without a value (and the reverse); every option of the usage lines is
// explained; choice lists come from the CaseIterable enums, in the page and in the errors.
import Testing
@testable import TinyEncoderCLI
import WordVectors
import Encoder

@Suite struct HelpLayoutTests {

    @Test(arguments: allCommands.map { $0.name })
    func everyPageHasTheLayout(name: String) throws {
        let command = try #require(allCommands.first { $0.name == name })
        let page = command.help.rendered
        #expect(page.hasPrefix("usage: tinyencoder \(name)"))
        let headings = ["\n\noptions:\n", "\n\noutput:\n", "\n\nexample"]
        let positions = headings.map { page.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil }, "\(name): a section is missing")
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted(), "\(name): sections out of order")
        #expect(!command.help.examples.isEmpty && command.help.examples.allSatisfy { $0.hasPrefix(name == "bench" ? "bench " : name + " ") || $0 == name })
        for line in page.split(separator: "\n") {
            #expect(!line.hasSuffix("\\"), "\(name): a stray backslash: \(line)")
            // Prose is wrapped; command lines (usage, examples) are not.
            let isCommandLine = line.hasPrefix("usage:") || line.hasPrefix("       ") || line.hasPrefix("  tinyencoder ")
            #expect(line.count <= HelpPage.width || isCommandLine, "\(name): a line wider than \(HelpPage.width): \(line)")
        }
    }

    @Test(arguments: allCommands.map { $0.name })
    func flagsAndOptionsAgree(name: String) throws {
        let command = try #require(allCommands.first { $0.name == name })
        let options = command.help.allOptions
        let documented = Set(options.map(\.name))
        for section in command.help.sections {   // bench's kinds share options, one section each
            #expect(Set(section.options.map(\.name)).count == section.options.count, "\(name): an option is listed twice")
        }
        let valueless = Set(options.filter { !$0.takesValue }.map(\.name)).subtracting(["help"])
        #expect(valueless == command.flagNames, "\(name): flags \(command.flagNames.sorted()) but valueless options \(valueless.sorted())")
        // Every --option of the usage lines is explained below them.
        for line in command.help.usage {
            for word in line.split(whereSeparator: { " []|.".contains($0) }) where word.hasPrefix("--") {
                #expect(documented.contains(String(word.dropFirst(2))), "\(name): usage names \(word) but the options do not")
            }
        }
    }

    /// A wrong value names the choices, from the same enum the help page lists.
    @Test func choicesComeFromTheEnums() throws {
        var arguments = try Arguments(command: "embed", ["--pooling", "average", "--format", "xml"], flagNames: [])
        #expect { try arguments.choice("pooling", EmbedPooling.self) } throws: { ($0 as? CLIError)?.message == "embed: --pooling must be one of cls|mean|max|none, got \"average\"" }
        #expect { try arguments.choice("format", EmbedFormat.self) } throws: { ($0 as? CLIError)?.message.contains(EmbedFormat.choiceList) == true }
        #expect(EmbedPooling.choiceList == "cls|mean|max|none")
        #expect(VectorFileFormat.choiceList == VectorFileFormat.allCases.map(\.rawValue).joined(separator: "|"))
        #expect(EmbedCommand.help.rendered.contains(EmbedPooling.choiceList))
        #expect(VectorsConvertCommand.help.rendered.contains(VectorFileFormat.choiceList))
        #expect(VectorsTrainCommand.help.rendered.contains(TrainingAlgorithm.choiceList))
        // embed's pooling choices are the library's strategies plus "none".
        #expect(EmbedPooling.allCases.compactMap(\.strategy).map(\.rawValue) == PoolingStrategy.allCases.map(\.rawValue))
        var given = try Arguments(command: "x", ["--method", "3cosmul"], flagNames: [])
        #expect(try given.choice("method", default: AnalogyMethod.add) == .multiply)
        #expect(try given.choice("absent", default: AnalogyMethod.add) == .add)
    }

    /// Defaults printed by vectors-train are read from the configurations.
    @Test func trainingDefaultsFollowTheConfigurations() {
        let page = VectorsTrainCommand.help.rendered
        #expect(page.contains("(default: \(Word2VecConfig.skipGram.dimension)"))
        #expect(page.contains("glove: \(GloVeConfig().window)"))
        #expect(page.contains("(default: \(FastTextConfig().bucket))"))
    }
}
