// Tokenizer+Decode: ids back to text. Ids become token strings (added tokens first, then the
// model), special ones are dropped on request, and the decoder joins them: for byte-level BPE the
// bytes are concatenated and read as UTF-8, so any UTF-8 input round-trips exactly, including
// tokens that end in the middle of a multi-byte character.
// Reference: HF tokenizers tokenizer/mod.rs (decode).
// Not handled: streaming decode (HF `DecodeStream`); decode a growing prefix instead.

import TextInput

extension Tokenizer {
    /// The text that `ids` stand for.
    ///
    /// - Parameter skipSpecialTokens: leave out special added tokens ([CLS], [PAD], …).
    /// - Throws: `unknownTokenID` for an id that is neither an added token nor in the vocabulary
    ///   (HF silently drops such ids; an id that no tokenizer produced is a bug worth reporting).
    /// - Complexity: O(total token length).
    ///
    /// ```swift
    /// try tokenizer.decode(tokenizer.encode("naïve café").ids)   // "naïve café"
    /// ```
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = false) throws -> String {
        var tokens: [String] = []
        tokens.reserveCapacity(ids.count)
        for id in ids {
            if let added = addedVocabulary.token(forID: id) {
                if skipSpecialTokens && added.special { continue }
                tokens.append(added.content)
            } else if let token = model.token(forID: id) {
                if skipSpecialTokens, let added = addedVocabulary.token(forContent: token), added.special { continue }
                tokens.append(token)
            } else {
                throw TokenizationError.unknownTokenID(id)
            }
        }
        guard let decoder else { return tokens.joined(separator: " ") }
        return decoder.decodeChain(tokens).joined()
    }

    /// Decodes each id list, in parallel over blocks of lists.
    /// - Throws: the error of the first failing list (lowest index).
    public func decode(batch: [[Int]], skipSpecialTokens: Bool = false, threads: Int? = nil) throws -> [String] {
        var results = [String](repeating: "", count: batch.count)
        let failures = Locked<[(index: Int, error: any Error)]>([])
        results.withUnsafeMutableBufferPointer { output in
            let output = output  // each index is written by exactly one worker
            forEachBlock(count: batch.count, blockSize: 256, threads: threads ?? TokenizationThreads.defaultCount) { _, range in
                for index in range {
                    do {
                        output[index] = try decode(batch[index], skipSpecialTokens: skipSpecialTokens)
                    } catch {
                        failures.withLock { $0.append((index, error)) }
                        return
                    }
                }
            }
        }
        if let first = failures.current.min(by: { $0.index < $1.index }) { throw first.error }
        return results
    }
}
