// Line-ending helpers for the CRLF tests of every text reader: the same text with "\r\n" in place
// of every "\n", written to a fresh temporary file.
// Not handled: old Mac "\r" files (TextInput keeps a lone "\r" inside the line, as gensim does).

import Foundation

/// The UTF-8 bytes of `text` with every "\n" written as "\r\n".
public func crlfBytes(_ text: String) -> [UInt8] {
    Array(text.utf8).flatMap { $0 == 0x0A ? [UInt8(0x0D), 0x0A] : [$0] }
}

/// A new temporary file holding `bytes`, named `name` inside a fresh folder.
public func temporaryTextFile(_ bytes: [UInt8], name: String) throws -> URL {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("te-text-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let url = folder.appendingPathComponent(name)
    try Data(bytes).write(to: url)
    return url
}
