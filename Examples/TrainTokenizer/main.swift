// TrainTokenizer: watch byte-level BPE learn. Trains on one paragraph and prints every merge as it
// happens (which pair, how often it occurred, the new token), then tokenises a sentence with the
// result. Runs in well under a second. `swift run -c release TrainTokenizer [VOCABULARY_SIZE]`
// Reference: Sennrich et al. 2016; the merges are the ones HF tokenizers would learn.
// Not handled: large corpora (use `tinyencoder bpe-train`).

import Tokenization

let paragraph = """
    The lower the cost of a token, the more tokens a model can read. Byte pair encoding starts \
    from single bytes and merges the most frequent adjacent pair, again and again: first the \
    pairs inside common words, then whole words, then the words that follow a space. The lowest \
    rank wins when a word is encoded later, so the newest merges are the rarest ones.
    """

/// Shows a byte-level token readably: "Ġ" (the byte-level space) as "␣", "Ċ" (newline) as "⏎".
func readable(_ token: String) -> String {
    guard let bytes = ByteLevelAlphabet.bytes(of: token) else { return token }
    return String(decoding: bytes, as: UTF8.self).replacingSpaces()
}

extension String {
    func replacingSpaces() -> String {
        String(unicodeScalars.map { $0 == " " ? "␣" : $0 == "\n" ? "⏎" : Character($0) })
    }
}

let vocabularySize = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 256 + 40
var configuration = BPETrainerConfiguration.byteLevel(vocabularySize: vocabularySize, minimumFrequency: 2, specialTokens: [])

print("Training byte-level BPE on \(paragraph.utf8.count) bytes. The alphabet is the 256 byte values (ids 0–255),")
print("so merge number k creates token id 255 + k. Pairs never cross words, which come from the GPT-2 split:")
print("  " + GPT2Split.pieces(of: String(paragraph.prefix(60))).map { "[\($0.replacingSpaces())]" }.joined(separator: " ") + " …\n")
print(" merge  count  pair                    new token")
do {
    let tokenizer = try BPETrainer(configuration).train(texts: [paragraph]) { event in
        let pair = "\(readable(event.left)) + \(readable(event.right))"
        let padded = pair.padding(toLength: 22, withPad: " ", startingAt: 0)
        print(String(format: "%6d %6d  ", event.index + 1, event.count) + padded + "  \(readable(event.merged))  (id \(event.mergedID))")
    }
    let sentence = "The newest tokens are the rarest."
    let encoding = try tokenizer.encode(sentence)
    print("\n\"\(sentence)\" → \(encoding.count) tokens (\(sentence.utf8.count) bytes):")
    print("  " + encoding.tokens.map { "[\(readable($0))]" }.joined(separator: " "))
    print("  ids: \(encoding.ids.map(String.init).joined(separator: " "))")
    print("  decoded: \"\(try tokenizer.decode(encoding.ids))\"")
} catch {
    print("training failed: \(error)")
}
