// GPT2Files: the original GPT-2 / RoBERTa vocabulary format: vocab.json (token → id) and
// merges.txt (an optional "#version" line, then one "left right" merge per line, in rank order).
// Loading builds GPT-2's pipeline: ByteLevel pre-tokeniser (no prefix space), BPE, ByteLevel
// post-processor (offset trimming) and decoder.
// Reference: OpenAI gpt-2 src/encoder.py; HF tokenizers models/bpe/model.rs (read_file, save).
// Not handled: tokens containing a space in merges.txt (the format cannot express them; we refuse to write them).

import Foundation
import TextInput

extension Tokenizer {
    /// Loads vocab.json + merges.txt as a GPT-2 style byte-level tokenizer.
    /// - Parameter addedTokens: tokens to add on top (GPT-2's is "<|endoftext|>", already in its vocab.json).
    /// - Throws: malformed JSON, a merges line without exactly two tokens (with its line number),
    ///   or a merge naming a token missing from the vocabulary.
    public static func gpt2(vocabulary vocabularyURL: URL, merges mergesURL: URL, addedTokens: [AddedToken] = []) throws -> Tokenizer {
        let vocabulary = try ComponentJSON.vocabularyMap(try JSONParser.parse(try readFile(vocabularyURL), source: vocabularyURL.path),
                                                         source: vocabularyURL.path, path: "(top level)")
        let merges = try readMerges(mergesURL)
        let model = try BPE(vocabulary: vocabulary, merges: merges, source: mergesURL.path)
        return Tokenizer(model: model, preTokenizer: ByteLevelPreTokenizer(addPrefixSpace: false),
                         postProcessor: ByteLevelPostProcessor(trimOffsets: true, addPrefixSpace: false),
                         decoder: ByteLevelDecoder(), addedTokens: addedTokens)
    }

    /// Reads merges.txt: lines starting with "#version" are skipped; every other line is "left right".
    static func readMerges(_ url: URL) throws -> [(String, String)] {
        let lines = try readLines(url)
        var merges: [(String, String)] = []
        merges.reserveCapacity(lines.count)
        for (number, line) in lines.enumerated() {
            if line.hasPrefix("#version") { continue }
            let parts = line.split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2 else {
                throw TokenizationError.invalidField(source: url.path, path: "line \(number + 1)",
                                                     reason: "is \"\(quotedForMessage(line))\"; each line of merges.txt holds two tokens separated by one space")
            }
            merges.append((String(parts[0]), String(parts[1])))
        }
        return merges
    }

    /// Writes the BPE model as vocab.json (compact, ids in order) and merges.txt, as HF's `model.save`.
    /// - Throws: `invalidConfiguration` if the model is not BPE or a merge token contains a space.
    public func saveGPT2(vocabulary vocabularyURL: URL, merges mergesURL: URL) throws {
        guard let bpe = model as? BPE else {
            throw TokenizationError.invalidConfiguration(component: "saveGPT2", field: "model", reason: "must be BPE")
        }
        guard let vocabulary = bpe.json["vocab"] else { return }
        var text = "#version: 0.2\n"
        for (left, right) in bpe.savedMerges {
            guard !left.contains(" "), !right.contains(" ") else {
                throw TokenizationError.invalidConfiguration(component: "saveGPT2", field: "merges",
                                                             reason: "has a token with a space (\"\(left)\", \"\(right)\"), which merges.txt cannot hold; save tokenizer.json instead")
            }
            text += left + " " + right + "\n"
        }
        try writeFileAtomically(JSONWriter.bytes(vocabulary, pretty: false), to: vocabularyURL)
        try writeFileAtomically(Array(text.utf8), to: mergesURL)
    }
}
