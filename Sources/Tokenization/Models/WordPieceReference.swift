// WordPieceReference: the textbook greedy longest-match-first loop, kept beside the trie walk as
// its specification: from the current start, try the longest remaining substring, then shorter
// ones one character at a time, until the vocabulary has it (with "##" after the first piece).
// Each piece costs O(n) look-ups of O(n) strings: O(n²) per piece.
// Reference: google-research/bert tokenization.py (WordpieceTokenizer.tokenize).
// Not handled: byte-level words (the reference reads plain UTF-8 words only).

extension WordPiece {
    /// Tokenises one word the slow, obvious way. The trie walk must agree with it exactly.
    ///
    /// ```
    /// start ← 0
    /// while start < n:
    ///     end ← n
    ///     while end > start and (prefix if start > 0) + word[start..<end] is not in the vocabulary:
    ///         end ← end − one character
    ///     if end == start: return [unk]
    ///     emit the piece; start ← end
    /// ```
    /// - Complexity: O(n²) string look-ups for a word of n characters.
    public func referenceTokenize(_ word: String) -> [ModelToken] {
        let scalars = Array(word.unicodeScalars)
        let byteOffsets = scalars.reduce(into: [0]) { offsets, scalar in offsets.append(offsets.last! + String(scalar).utf8.count) }
        guard !scalars.isEmpty else { return [] }
        guard scalars.count <= maxInputCharactersPerWord else { return [ModelToken(id: unknownID, range: 0..<byteOffsets.last!)] }
        // Byte-exact look-ups, as HF's (Swift's String equality is canonical equivalence).
        var byBytes: [[UInt8]: Int] = [:]
        for (id, token) in tokensByID.enumerated() { if let token { byBytes[Array(token.utf8)] = id } }
        var tokens: [ModelToken] = []
        var start = 0
        while start < scalars.count {
            var end = scalars.count
            var found: Int? = nil
            while end > start {
                var piece = String(String.UnicodeScalarView(scalars[start..<end]))
                if start > 0 { piece = continuingSubwordPrefix + piece }
                if let id = byBytes[Array(piece.utf8)] {
                    found = id
                    break
                }
                end -= 1
            }
            guard let id = found else { return [ModelToken(id: unknownID, range: 0..<byteOffsets.last!)] }
            tokens.append(ModelToken(id: id, range: byteOffsets[start]..<byteOffsets[end]))
            start = end
        }
        return tokens
    }
}
