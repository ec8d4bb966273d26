/// The table between tokens and the integer ids a model sees.
///
/// Id 0 is always `unknown`, so every token, even one never seen in training, has an id. Tokens are
/// compared by their exact Unicode scalars, never by canonical equivalence (see `ExactToken`).
public struct Vocabulary: Equatable, Sendable {
    public static let unknown = "<unk>"

    /// The tokens in id order: `tokens[id]` is the token of `id`.
    public let tokens: [String]
    private let ids: [ExactToken: Int32]

    /// Builds the vocabulary of a training text from its tokens.
    ///
    /// Ids are `unknown` first, then `reserved` in the given order, then every token seen at least
    /// `minFrequency` times, most frequent first and ties by Unicode scalar values, so the same text
    /// always gives the same ids. Empty and repeated reserved tokens are skipped, as is a reserved or
    /// counted token equal to one already placed.
    @inlinable
    public init(building graphemes: some Sequence<String>, minFrequency: Int = 1, reserved: [String] = []) {
        // Inlined so that the sequence is copied into an array by code specialized for its type: stepping
        // through a generic sequence from inside this module would look up its type metadata per token
        // and cost several times the counting. For an array argument the copy is free.
        self.init(counting: Array(graphemes), minFrequency: minFrequency, reserved: reserved)
    }

    @usableFromInline
    init(counting graphemes: [String], minFrequency: Int, reserved: [String]) {
        var counts = TokenCounts()
        for token in graphemes {
            counts.add(token)
        }
        var tokens = [Self.unknown]
        var ids = [ExactToken(Self.unknown): Int32(0)]
        let candidates = reserved + counts.byFrequency(minimum: minFrequency).map(\.token)
        for token in candidates where !token.isEmpty {
            let key = ExactToken(token)
            guard ids[key] == nil else { continue }
            ids[key] = Int32(tokens.count)
            tokens.append(token)
        }
        self.tokens = tokens
        self.ids = ids
    }

    /// Takes an explicit token list, such as a checkpoint's.
    ///
    /// - Throws: `VocabularyError` when the list does not start with `unknown`, which id 0 must mean, or
    ///   holds an empty or a repeated token, either of which would make decoding lose information.
    public init(tokens: [String]) throws(VocabularyError) {
        guard let first = tokens.first, ExactToken(first) == ExactToken(Self.unknown) else {
            throw .missingUnknown(found: tokens.first)
        }
        var ids: [ExactToken: Int32] = [:]
        ids.reserveCapacity(tokens.count)
        for (index, token) in tokens.enumerated() {
            guard !token.isEmpty else { throw .emptyToken(index: index) }
            if let earlier = ids.updateValue(Int32(index), forKey: ExactToken(token)) {
                throw .duplicateToken(token, firstIndex: Int(earlier), index: index)
            }
        }
        self.tokens = tokens
        self.ids = ids
    }

    public var count: Int { tokens.count }

    /// The id of `token`, or `nil` if it is not in the vocabulary.
    public func id(_ token: String) -> Int32? {
        ids[ExactToken(token)]
    }

    /// The ids of `graphemes`, with tokens outside the vocabulary mapped to 0 (`unknown`).
    ///
    /// - Returns: also how many tokens were unknown and which ones, each once in order of first
    ///   appearance, so a caller can warn about them.
    public func encode(_ graphemes: [String]) -> (ids: [Int32], unknownCount: Int, unknownTokens: [String]) {
        var encoded = [Int32]()
        encoded.reserveCapacity(graphemes.count)
        var unknownCount = 0
        var unknownTokens = [String]()
        var seenUnknown = Set<ExactToken>()
        for token in graphemes {
            if let id = id(token) {
                encoded.append(id)
                continue
            }
            encoded.append(0)
            unknownCount += 1
            if seenUnknown.insert(ExactToken(token)).inserted {
                unknownTokens.append(token)
            }
        }
        return (encoded, unknownCount, unknownTokens)
    }

    /// The text of `ids`: their tokens concatenated. An id outside the vocabulary, which a model can
    /// produce but a valid encoding never holds, decodes as `unknown`.
    public func decode(_ ids: [Int32]) -> String {
        var text = ""
        text.reserveCapacity(ids.count)
        for id in ids {
            text += tokens.indices.contains(Int(id)) ? tokens[Int(id)] : Self.unknown
        }
        return text
    }

    /// Equal when the tokens are the same, scalar for scalar, in the same order.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.tokens.elementsEqual(rhs.tokens) { ExactToken($0) == ExactToken($1) }
    }
}
