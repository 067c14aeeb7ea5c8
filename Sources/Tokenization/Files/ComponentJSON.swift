// ComponentJSON: reads the pipeline components of an HF tokenizer.json (normalizer, pre_tokenizer,
// model, post_processor, decoder) by their "type" tag. Each reader is one small function; a new
// component (WordPiece, BertNormalizer, …) joins by adding a case to its stage's switch and to the
// `supported` list, and nothing else changes.
// Reference: HF tokenizers' serde layouts (normalizers/mod.rs, pre_tokenizers/mod.rs, …).
// Not handled: the component types listed as unsupported in each stage's file header.

enum ComponentJSON {
    static let supportedNormalizers = ["NFC", "NFD", "NFKC", "NFKD", "Lowercase", "Strip", "Replace", "Prepend", "BertNormalizer", "Sequence"]
    static let supportedPreTokenizers = ["ByteLevel", "Whitespace", "WhitespaceSplit", "BertPreTokenizer", "Sequence"]
    static let supportedModels = ["BPE", "WordPiece"]
    static let supportedPostProcessors = ["TemplateProcessing", "RobertaProcessing", "BertProcessing", "ByteLevel", "Sequence"]
    static let supportedDecoders = ["ByteLevel", "WordPiece", "Sequence"]

    /// The `type` of a component object (a missing tag is reported as such).
    private static func type(of fields: JSONFields) throws -> String { try fields.string("type") }

    // MARK: - Normalizers

    static func normalizer(_ value: JSONValue, source: String, path: String) throws -> (any Normalizer)? {
        if value.isNull { return nil }
        let fields = try JSONFields(value, source: source, path: path)
        switch try type(of: fields) {
        case "NFC": return UnicodeNormalizer(.nfc)
        case "NFD": return UnicodeNormalizer(.nfd)
        case "NFKC": return UnicodeNormalizer(.nfkc)
        case "NFKD": return UnicodeNormalizer(.nfkd)
        case "Lowercase": return LowercaseNormalizer()
        case "Strip":
            return StripNormalizer(left: try fields.bool("strip_left", default: true), right: try fields.bool("strip_right", default: true))
        case "Prepend": return PrependNormalizer(try fields.string("prepend"))
        case "BertNormalizer":
            let stripAccents = fields.optional("strip_accents").flatMap { $0.isNull ? nil : $0 }
            return BertNormalizer(cleanText: try fields.bool("clean_text", default: true),
                                  handleChineseCharacters: try fields.bool("handle_chinese_chars", default: true),
                                  stripAccents: try stripAccents.map { _ in try fields.bool("strip_accents", default: false) },
                                  lowercase: try fields.bool("lowercase", default: true))
        case "Replace":
            let pattern = try fields.object("pattern")
            guard let literal = try pattern.optionalString("String") else {
                throw TokenizationError.unsupportedComponent(source: source, path: fields.fieldPath("pattern"), type: "Regex",
                                                             supported: ["String"])
            }
            return ReplaceNormalizer(pattern: literal, content: try fields.string("content"))
        case "Sequence":
            let steps = try fields.array("normalizers").enumerated().map { index, step in
                try normalizer(step, source: source, path: "\(fields.fieldPath("normalizers"))[\(index)]")
            }
            return NormalizerSequence(steps.compactMap { $0 })
        case let other:
            throw TokenizationError.unsupportedComponent(source: source, path: path, type: other, supported: supportedNormalizers)
        }
    }

    // MARK: - Pre-tokenizers

    static func preTokenizer(_ value: JSONValue, source: String, path: String) throws -> (any PreTokenizer)? {
        if value.isNull { return nil }
        let fields = try JSONFields(value, source: source, path: path)
        switch try type(of: fields) {
        case "ByteLevel":
            return ByteLevelPreTokenizer(addPrefixSpace: try fields.bool("add_prefix_space", default: true),
                                         trimOffsets: try fields.bool("trim_offsets", default: true),
                                         useRegex: try fields.bool("use_regex", default: true))
        case "Whitespace": return WhitespacePreTokenizer()
        case "WhitespaceSplit": return WhitespaceSplitPreTokenizer()
        case "BertPreTokenizer": return BertPreTokenizer()
        case "Sequence":
            let steps = try fields.array("pretokenizers").enumerated().compactMap { index, step in
                try preTokenizer(step, source: source, path: "\(fields.fieldPath("pretokenizers"))[\(index)]")
            }
            if let byteLevel = steps.firstIndex(where: { $0 is ByteLevelPreTokenizer }), byteLevel != steps.count - 1 {
                throw TokenizationError.invalidField(source: source, path: fields.fieldPath("pretokenizers"),
                                                     reason: "has a pre-tokenizer after ByteLevel; TinyEncoder needs ByteLevel last")
            }
            return PreTokenizerSequence(steps)
        case let other:
            throw TokenizationError.unsupportedComponent(source: source, path: path, type: other, supported: supportedPreTokenizers)
        }
    }

    // MARK: - Models

    static func model(_ value: JSONValue, source: String, path: String) throws -> any TokenizationModel {
        let fields = try JSONFields(value, source: source, path: path)
        let tag = try fields.optionalString("type") ?? (fields.optional("merges") != nil ? "BPE" : "")
        switch tag {
        case "BPE": return try bpe(fields)
        case "WordPiece": return try wordPiece(fields)
        case let other:
            throw TokenizationError.unsupportedComponent(source: source, path: path, type: other.isEmpty ? "(missing type)" : other,
                                                         supported: supportedModels)
        }
    }

    static func bpe(_ fields: JSONFields) throws -> BPE {
        if let dropout = fields.optional("dropout"), !dropout.isNull, (dropout.doubleValue ?? 1) > 0 {
            throw TokenizationError.invalidField(source: fields.source, path: fields.fieldPath("dropout"),
                                                 reason: "is set, but BPE-dropout is not implemented; set it to null for encoding")
        }
        let vocabulary = try vocabularyMap(fields.required("vocab"), source: fields.source, path: fields.fieldPath("vocab"))
        let mergeValues = try fields.array("merges")
        var merges: [(String, String)] = []
        merges.reserveCapacity(mergeValues.count)
        for (index, merge) in mergeValues.enumerated() {
            let mergePath = "\(fields.fieldPath("merges"))[\(index)]"
            if let text = merge.stringValue {
                let parts = text.split(separator: " ", omittingEmptySubsequences: false)
                guard parts.count == 2 else {
                    throw TokenizationError.invalidField(source: fields.source, path: mergePath,
                                                         reason: "is \"\(text)\"; a merge string holds two tokens separated by one space")
                }
                merges.append((String(parts[0]), String(parts[1])))
            } else if let pair = merge.arrayValue, pair.count == 2, let left = pair[0].stringValue, let right = pair[1].stringValue {
                merges.append((left, right))
            } else {
                throw TokenizationError.invalidField(source: fields.source, path: mergePath,
                                                     reason: "must be [\"left\", \"right\"] or \"left right\", found \(merge.kindName)")
            }
        }
        return try BPE(vocabulary: vocabulary, merges: merges,
                       unknownToken: try fields.optionalString("unk_token"),
                       continuingSubwordPrefix: try fields.optionalString("continuing_subword_prefix"),
                       endOfWordSuffix: try fields.optionalString("end_of_word_suffix"),
                       fuseUnknown: try fields.bool("fuse_unk", default: false),
                       byteFallback: try fields.bool("byte_fallback", default: false),
                       ignoreMerges: try fields.bool("ignore_merges", default: false),
                       source: fields.source)
    }

    static func wordPiece(_ fields: JSONFields) throws -> WordPiece {
        let vocabulary = try fields.required("vocab")
        guard let pairs = vocabulary.objectValue else { throw fields.wrongKind("vocab", "an object of token: id", vocabulary) }
        let tokens = try pairs.map { token, id -> (token: String, id: Int) in
            guard let number = id.intValue, number >= 0, number < BPE.idLimit else {
                throw TokenizationError.invalidField(source: fields.source, path: "\(fields.fieldPath("vocab")).\(token)",
                                                     reason: "must be a token id (a whole number from 0 to \(BPE.idLimit - 1)), found \(id.kindName)")
            }
            return (token, number)
        }
        return try WordPiece(tokens: tokens, unknownToken: try fields.optionalString("unk_token") ?? "[UNK]",
                             continuingSubwordPrefix: try fields.optionalString("continuing_subword_prefix") ?? "##",
                             maxInputCharactersPerWord: try fields.int("max_input_chars_per_word", default: 100, in: 1...Int(Int32.max)),
                             source: fields.source)
    }

    /// A `{"token": id, …}` object.
    static func vocabularyMap(_ value: JSONValue, source: String, path: String) throws -> [String: Int] {
        guard let pairs = value.objectValue else {
            throw TokenizationError.invalidField(source: source, path: path, reason: "must be an object of token: id, found \(value.kindName)")
        }
        var vocabulary: [String: Int] = [:]
        vocabulary.reserveCapacity(pairs.count)
        for (token, id) in pairs {
            guard let number = id.intValue, number >= 0, number < BPE.idLimit else {
                throw TokenizationError.invalidField(source: source, path: "\(path).\(token)",
                                                     reason: "must be a token id (a whole number from 0 to \(BPE.idLimit - 1)), found \(id.kindName)")
            }
            vocabulary[token] = number
        }
        return vocabulary
    }

    // MARK: - Post-processors

    static func postProcessor(_ value: JSONValue, source: String, path: String) throws -> (any PostProcessor)? {
        if value.isNull { return nil }
        let fields = try JSONFields(value, source: source, path: path)
        func tokenAndID(_ key: String) throws -> (String, Int) {
            let pair = try fields.array(key)
            guard pair.count == 2, let token = pair[0].stringValue, let id = pair[1].intValue, id >= 0 else {
                throw TokenizationError.invalidField(source: source, path: fields.fieldPath(key), reason: "must be [\"token\", id]")
            }
            return (token, id)
        }
        switch try type(of: fields) {
        case "TemplateProcessing": return try template(fields)
        case "RobertaProcessing":
            return RobertaProcessing(separator: try tokenAndID("sep"), classifier: try tokenAndID("cls"),
                                     trimOffsets: try fields.bool("trim_offsets", default: true),
                                     addPrefixSpace: try fields.bool("add_prefix_space", default: true))
        case "BertProcessing":
            return BertProcessing(separator: try tokenAndID("sep"), classifier: try tokenAndID("cls"))
        case "ByteLevel":
            return ByteLevelPostProcessor(trimOffsets: try fields.bool("trim_offsets", default: true),
                                          addPrefixSpace: try fields.bool("add_prefix_space", default: true),
                                          useRegex: try fields.bool("use_regex", default: true))
        case "Sequence":
            let steps = try fields.array("processors").enumerated().compactMap { index, step in
                try postProcessor(step, source: source, path: "\(fields.fieldPath("processors"))[\(index)]")
            }
            return PostProcessorSequence(steps)
        case let other:
            throw TokenizationError.unsupportedComponent(source: source, path: path, type: other, supported: supportedPostProcessors)
        }
    }

    static func template(_ fields: JSONFields) throws -> TemplateProcessing {
        func pieces(_ key: String) throws -> [TemplateProcessing.Piece] {
            let value = try fields.required(key)
            if let text = value.stringValue { return try TemplateProcessing.parse(text) }
            guard let items = value.arrayValue else { throw fields.wrongKind(key, "an array of pieces", value) }
            return try items.enumerated().map { index, item in
                let piecePath = "\(fields.fieldPath(key))[\(index)]"
                if let text = item.stringValue { return try TemplateProcessing.parsePiece(text) }
                let piece = try JSONFields(item, source: fields.source, path: piecePath)
                if let sequence = piece.optional("Sequence") {
                    let inner = try JSONFields(sequence, source: fields.source, path: piecePath + ".Sequence")
                    let name = try inner.string("id")
                    guard name == "A" || name == "B" else {
                        throw TokenizationError.invalidField(source: fields.source, path: inner.fieldPath("id"), reason: "must be \"A\" or \"B\"")
                    }
                    return .sequence(index: name == "A" ? 0 : 1, typeId: try inner.int("type_id", default: 0))
                }
                if let special = piece.optional("SpecialToken") {
                    let inner = try JSONFields(special, source: fields.source, path: piecePath + ".SpecialToken")
                    return .specialToken(name: try inner.string("id"), typeId: try inner.int("type_id", default: 0))
                }
                throw TokenizationError.invalidField(source: fields.source, path: piecePath,
                                                     reason: "must be {\"Sequence\": …} or {\"SpecialToken\": …}")
            }
        }
        let tokensObject = try fields.object("special_tokens")
        var specialTokens: [TemplateProcessing.SpecialToken] = []
        for (name, value) in tokensObject.value.objectValue ?? [] {
            let token = try JSONFields(value, source: fields.source, path: tokensObject.fieldPath(name))
            let ids = try token.array("ids").map { id -> Int in
                guard let number = id.intValue, number >= 0 else { throw token.wrongKind("ids", "whole numbers", id) }
                return number
            }
            let strings = try token.array("tokens").map { text -> String in
                guard let string = text.stringValue else { throw token.wrongKind("tokens", "strings", text) }
                return string
            }
            specialTokens.append(.init(name: try token.string("id"), ids: ids, tokens: strings))
        }
        do {
            return try TemplateProcessing(single: try pieces("single"), pair: try pieces("pair"), specialTokens: specialTokens)
        } catch let TokenizationError.invalidConfiguration(_, field, reason) {
            throw TokenizationError.invalidField(source: fields.source, path: fields.fieldPath(field), reason: reason)
        }
    }

    // MARK: - Decoders

    static func decoder(_ value: JSONValue, source: String, path: String) throws -> (any TokenDecoder)? {
        if value.isNull { return nil }
        let fields = try JSONFields(value, source: source, path: path)
        switch try type(of: fields) {
        case "ByteLevel":
            return ByteLevelDecoder(addPrefixSpace: try fields.bool("add_prefix_space", default: true),
                                    trimOffsets: try fields.bool("trim_offsets", default: true),
                                    useRegex: try fields.bool("use_regex", default: true))
        case "WordPiece":
            return WordPieceDecoder(prefix: try fields.optionalString("prefix") ?? "##", cleanup: try fields.bool("cleanup", default: true))
        case "Sequence":
            let steps = try fields.array("decoders").enumerated().compactMap { index, step in
                try decoder(step, source: source, path: "\(fields.fieldPath("decoders"))[\(index)]")
            }
            return DecoderSequence(steps)
        case let other:
            throw TokenizationError.unsupportedComponent(source: source, path: path, type: other, supported: supportedDecoders)
        }
    }
}
