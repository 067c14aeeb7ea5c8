// Tokenizer+Words: stage 4, the model applied word by word, and the assembly of the Encoding.
// Tokens are first collected in per-thread scratch arrays, then every Encoding array is allocated
// once at its exact size. GPT-2 style pipelines (no normaliser, ByteLevel splitting) take a
// streaming path that cuts words straight out of the input bytes; it is equivalent to the general
// path (`preTokenize` + `tokenize`), and a test checks that both give the same encodings.
// Reference: HF tokenizers tokenizer/pre_tokenizer.rs (into_encoding: word index = split index).
// Not handled: nothing beyond the general path.

/// Per-thread state of `encode`: the model's workspace and the token scratch arrays.
final class EncodeWorkspace {
    let model: AnyObject
    /// The model when it is BPE (resolved once, not once per text).
    let bpe: BPE?
    /// Taken out while one sequence is encoded and put back after (one exclusivity check per
    /// sequence instead of one per token).
    var scratch = TokenScratch()

    init(model: AnyObject, bpe: BPE?) {
        self.model = model
        self.bpe = bpe
    }

    func takeScratch() -> TokenScratch {
        var taken = TokenScratch()
        swap(&taken, &scratch)
        taken.reset()
        return taken
    }
}

/// The tokens of one sequence before they become an Encoding.
struct TokenScratch {
    var modelTokens: [ModelToken] = []
    var ids: [Int32] = []
    var starts: [Int32] = []
    var ends: [Int32] = []
    var words: [Int32] = []
    /// Token strings of added tokens, by token position (they are the matched text).
    var addedTexts: [(position: Int, text: String)] = []

    mutating func reset() {
        ids.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
        ends.removeAll(keepingCapacity: true)
        words.removeAll(keepingCapacity: true)
        addedTexts.removeAll(keepingCapacity: true)
    }

    @inline(__always)
    mutating func add(id: Int, range: Range<Int>, word: Int) {
        ids.append(Int32(truncatingIfNeeded: id))
        starts.append(Int32(truncatingIfNeeded: range.lowerBound))
        ends.append(Int32(truncatingIfNeeded: range.upperBound))
        words.append(Int32(truncatingIfNeeded: word))
    }
}

extension Tokenizer {
    // MARK: - General path

    /// The model on every word of `text`; offsets mapped back to `input`.
    func tokenize(_ text: PreTokenizedText, input: UnsafeBufferPointer<UInt8>, sequence: Int, workspace: EncodeWorkspace) -> Encoding {
        var scratch = workspace.takeScratch()
        defer { workspace.scratch = scratch }
        let modelWorkspace = workspace.model
        text.bytes.withUnsafeBufferPointer { bytes in
            for (word, split) in text.splits.enumerated() {
                if let id = split.addedTokenID {
                    scratch.addedTexts.append((scratch.ids.count, String(decoding: UnsafeBufferPointer(rebasing: bytes[split.range]), as: UTF8.self)))
                    scratch.add(id: id, range: text.originalRange(of: split.range), word: word)
                    continue
                }
                scratch.modelTokens.removeAll(keepingCapacity: true)
                model.tokenize(word: UnsafeBufferPointer(rebasing: bytes[split.range]), isByteLevel: split.isByteLevel,
                               into: &scratch.modelTokens, workspace: modelWorkspace)
                let base = split.range.lowerBound
                for token in scratch.modelTokens {
                    let original = text.originalRange(of: (base + token.range.lowerBound)..<(base + token.range.upperBound))
                    scratch.add(id: token.id, range: original, word: word)
                }
            }
        }
        return buildEncoding(scratch, input: input, sequence: sequence)
    }

    // MARK: - Streaming byte-level path

    /// Equivalent to `tokenize(preTokenize(input), …)` when there is no normaliser and the
    /// pre-tokeniser is ByteLevel without prefix space: words are GPT-2 pieces of the input itself.
    func encodeByteLevel(_ input: UnsafeBufferPointer<UInt8>, sequence: Int, workspace: EncodeWorkspace) throws -> Encoding {
        var scratch = workspace.takeScratch()
        defer { workspace.scratch = scratch }
        let modelWorkspace = workspace.model
        var pieces: [(range: Range<Int>, id: Int?)] = [(0..<input.count, nil)]
        if addedVocabulary.firstCandidate(in: input, range: 0..<input.count) != nil {
            pieces = []
            for raw in try addedVocabulary.split(input, range: 0..<input.count, matchNormalized: false, policy: specialTokenPolicy, origin: { $0 }) {
                if raw.id != nil { pieces.append(raw); continue }
                pieces += try addedVocabulary.split(input, range: raw.range, matchNormalized: true, policy: specialTokenPolicy, origin: { $0 })
            }
        }
        // BPE is a final class: call it directly, with its per-thread state held here for the
        // whole text (no protocol dispatch and no workspace access per word).
        let bpe = workspace.bpe
        var bpeState: BPEState? = nil
        var bpeWorkspace: BPEWorkspace? = nil
        if bpe != nil, type(of: modelWorkspace) == BPEWorkspace.self {
            bpeWorkspace = unsafeDowncast(modelWorkspace, to: BPEWorkspace.self)
            bpeState = bpeWorkspace?.takeState()
        }
        defer { if let bpeState { bpeWorkspace?.state = bpeState } }
        var word = 0
        for piece in pieces where !piece.range.isEmpty {
            if let id = piece.id {
                scratch.addedTexts.append((scratch.ids.count, String(decoding: UnsafeBufferPointer(rebasing: input[piece.range]), as: UTF8.self)))
                scratch.add(id: id, range: piece.range, word: word)
                word += 1
                continue
            }
            GPT2Split.forEachPiece(in: input, range: piece.range) { split in
                scratch.modelTokens.removeAll(keepingCapacity: true)
                let bytes = UnsafeBufferPointer(rebasing: input[split])
                if let bpe, bpeState != nil {
                    bpe.tokenize(word: bytes, isByteLevel: true, into: &scratch.modelTokens, state: &bpeState!)
                } else {
                    model.tokenize(word: bytes, isByteLevel: true, into: &scratch.modelTokens, workspace: modelWorkspace)
                }
                for token in scratch.modelTokens {
                    var start = split.lowerBound + token.range.lowerBound
                    var end = split.lowerBound + token.range.upperBound
                    // A token may hold part of a multi-byte character: report the whole character.
                    while start > 0, UTF8Validation.isContinuation(input[start]) { start -= 1 }
                    while end < input.count, UTF8Validation.isContinuation(input[end]) { end += 1 }
                    scratch.add(id: token.id, range: start..<end, word: word)
                }
                word += 1
            }
        }
        return buildEncoding(scratch, input: input, sequence: sequence)
    }

    // MARK: - Assembly

    /// Allocates the Encoding's arrays once, at their exact sizes, from the scratch arrays.
    func buildEncoding(_ scratch: TokenScratch, input: UnsafeBufferPointer<UInt8>, sequence: Int) -> Encoding {
        let count = scratch.ids.count
        var encoding = Encoding()
        guard count > 0 else { return encoding }
        encoding.ids = scratch.ids.map { Int($0) }
        encoding.typeIds = [Int](repeating: sequence, count: count)
        if let bpe = model as? BPE {
            let table = bpe.tokensByID
            encoding.tokens = scratch.ids.map { id in Int(id) < table.count ? table[Int(id)] ?? "" : "" }
        } else {
            encoding.tokens = scratch.ids.map { model.token(forID: Int($0)) ?? "" }
        }
        for added in scratch.addedTexts { encoding.tokens[added.position] = added.text }
        encoding.offsets = (0..<count).map { Int(scratch.starts[$0])..<Int(scratch.ends[$0]) }
        var counter = ScalarCounter(input)
        encoding.characterOffsets = encoding.offsets.map { counter.characterRange(of: $0) }
        encoding.wordIndices = scratch.words.map { Int($0) }
        encoding.sequenceIndices = [Int?](repeating: sequence, count: count)
        encoding.specialTokensMask = [Int](repeating: 0, count: count)
        encoding.attentionMask = [Int](repeating: 1, count: count)
        return encoding
    }
}
