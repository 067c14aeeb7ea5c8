// Decoder: turns token strings back into text. ByteLevel maps each byte-level character back to
// its byte and reads the whole byte string as UTF-8, so a token that holds half of a multi-byte
// character decodes correctly once its neighbours are there.
// Reference: HF tokenizers decoders/mod.rs, pre_tokenizers/byte_level.rs (decode_chain).
// Not handled: Metaspace, BPE-suffix, CTC, Replace, Strip, Fuse and ByteFallback decoders
// (WordPiece's decoder is in WordPieceDecoder.swift).

/// Turns tokens into text.
public protocol TokenDecoder: Sendable {
    /// HF `decode_chain`: tokens in, strings out (the tokenizer joins them with no separator).
    func decodeChain(_ tokens: [String]) -> [String]
    /// The HF tokenizer.json object for this decoder (with its `"type"`).
    var json: JSONValue { get }
}

/// GPT-2's byte-level decoder.
///
/// ```swift
/// ByteLevelDecoder().decodeChain(["Hello", "Ġw", "orld"])   // ["Hello world"]
/// ```
public struct ByteLevelDecoder: TokenDecoder, Equatable, Sendable {
    /// Carried for the file format only (HF writes the ByteLevel decoder with these fields).
    public var addPrefixSpace: Bool
    public var trimOffsets: Bool
    public var useRegex: Bool

    public init(addPrefixSpace: Bool = true, trimOffsets: Bool = true, useRegex: Bool = true) {
        self.addPrefixSpace = addPrefixSpace
        self.trimOffsets = trimOffsets
        self.useRegex = useRegex
    }

    /// The bytes the tokens stand for. A token with a character outside the byte-level alphabet
    /// (an added token such as "<|endoftext|>" written in plain text) contributes its own UTF-8.
    public func bytes(of tokens: [String]) -> [UInt8] {
        var bytes: [UInt8] = []
        for token in tokens {
            if let decoded = ByteLevelAlphabet.bytes(of: token) { bytes += decoded } else { bytes += Array(token.utf8) }
        }
        return bytes
    }

    public func decodeChain(_ tokens: [String]) -> [String] {
        // Invalid sequences (from decoding part of a character) become U+FFFD, like from_utf8_lossy.
        [String(decoding: bytes(of: tokens), as: UTF8.self)]
    }

    public var json: JSONValue {
        .object([("type", .string("ByteLevel")), ("add_prefix_space", .bool(addPrefixSpace)),
                 ("trim_offsets", .bool(trimOffsets)), ("use_regex", .bool(useRegex))])
    }
}

/// Several decoders, each working on the previous one's output.
public struct DecoderSequence: TokenDecoder, Sendable {
    public var steps: [any TokenDecoder]
    public init(_ steps: [any TokenDecoder]) { self.steps = steps }

    public func decodeChain(_ tokens: [String]) -> [String] {
        steps.reduce(tokens) { $1.decodeChain($0) }
    }

    public var json: JSONValue {
        .object([("type", .string("Sequence")), ("decoders", .array(steps.map { $0.json }))])
    }
}
