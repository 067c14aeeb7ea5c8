// Helpers for the WordVectors tests: fixture JSON, temporary files and a tiny synthetic corpus.
// Not handled: anything a test should assert itself.

import Foundation
import TestSupport
import WordVectors

/// Parses a JSON fixture under Tests/Fixtures/WordVectors.
func fixtureJSON(_ name: String) throws -> Any {
    let data = try Data(contentsOf: fixtureURL("WordVectors/" + name))
    return try JSONSerialization.jsonObject(with: data)
}

/// The path of a fixture under Tests/Fixtures/WordVectors.
func fixturePath(_ name: String) -> String { fixtureURL("WordVectors/" + name).path }

/// A fresh temporary file path (the file is not created).
func temporaryPath(_ name: String) -> String {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("wordvectors-tests-\(getpid())")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory.appendingPathComponent("\(UInt32.random(in: 0...UInt32.max))-" + name).path
}

/// Writes `text` to a temporary file and returns its path.
func temporaryFile(_ text: String, name: String = "corpus.txt") -> String {
    let path = temporaryPath(name)
    _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
    return path
}

/// Writes raw bytes to a temporary file and returns its path.
func temporaryFile(bytes: [UInt8], name: String) -> String {
    let path = temporaryPath(name)
    _ = FileManager.default.createFile(atPath: path, contents: Data(bytes))
    return path
}

/// A corpus with two topics that never share a sentence: animals and numbers. Words of one topic
/// co-occur only with each other, so trained vectors should put each word nearest its own topic.
func twoTopicCorpus(lines: Int, seed: UInt64 = 7) -> String {
    let animals = ["cat", "dog", "horse", "cow", "sheep", "goat", "mouse", "lion"]
    let numbers = ["one", "two", "three", "four", "five", "six", "seven", "eight"]
    var random = TrainingRandom(seed: seed)
    var text = ""
    for line in 0..<lines {
        let topic = line % 2 == 0 ? animals : numbers
        let words = (0..<10).map { _ in topic[random.next(below: topic.count)] }
        text += words.joined(separator: " ") + "\n"
    }
    return text
}

/// JSON numbers as [Float].
func floats(_ value: Any?) -> [Float] {
    (value as? [Any] ?? []).map { Float(($0 as? NSNumber)?.doubleValue ?? .nan) }
}
