// BPEReference: the textbook BPE encoder, kept beside the fast one as its specification. It
// scans every adjacent pair, merges the one with the lowest rank (leftmost on ties), and repeats.
// Each round is O(n), and a word of n characters needs up to n − 1 rounds: O(n²) in all.
// Reference: Sennrich et al. 2016, algorithm 1 (applied at encoding time); minbpe's `encode`.
// Not handled: the word cache and `ignore_merges` (the reference only defines the merge order).

extension BPE {
    /// Tokenises one word the slow, obvious way. The fast encoder must agree with it exactly.
    ///
    /// ```
    /// loop:
    ///     best ← the adjacent pair (a, b) with the smallest rank; leftmost among equals
    ///     if there is none: stop
    ///     replace a, b by the merged token
    /// ```
    /// - Complexity: O(n²) for n characters.
    public func referenceTokenize(_ word: [UInt8], isByteLevel: Bool) -> [ModelToken] {
        // The initial symbols are the fast encoder's, so both start from the same characters.
        var scratch = BPEScratch()
        word.withUnsafeBufferPointer { loadSymbols($0, isByteLevel: isByteLevel, into: &scratch) }
        var symbols: [(id: Int32, start: Int, length: Int)] = zip(scratch.symbolIDs, zip(scratch.symbolStarts, scratch.symbolLengths))
            .map { ($0.0, Int($0.1.0), Int($0.1.1)) }

        while symbols.count > 1 {
            var best: (index: Int, rank: Int, merged: Int32)? = nil
            for index in 0..<(symbols.count - 1) {
                guard let merge = mergeTable.value(for: PairTable.key(symbols[index].id, symbols[index + 1].id)) else { continue }
                let rank = Int(merge >> 32)
                if best == nil || rank < best!.rank {
                    best = (index, rank, Int32(truncatingIfNeeded: merge))
                }
            }
            guard let chosen = best else { break }
            let left = symbols[chosen.index], right = symbols[chosen.index + 1]
            symbols[chosen.index] = (chosen.merged, left.start, left.length + right.length)
            symbols.remove(at: chosen.index + 1)
        }
        return symbols.map { ModelToken(id: Int($0.id), range: $0.start..<($0.start + $0.length)) }
    }
}
