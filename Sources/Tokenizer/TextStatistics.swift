/// A token and how often it occurs.
public struct TokenCount: Equatable, Sendable, Codable {
    public var token: String
    public var count: Int

    public init(token: String, count: Int) {
        self.token = token
        self.count = count
    }
}

/// What `nlp-vanish tokenize` reports about a text before anything is trained on it.
public struct TextStatistics: Sendable, Codable {
    /// UTF-8 bytes of the decoded text before normalization (for a Latin-1 file, of its UTF-8 form).
    public var bytes: Int
    /// Unicode scalars after normalization.
    public var scalars: Int
    /// Tokens, i.e. grapheme clusters after normalization.
    public var graphemes: Int
    /// Distinct tokens: the size of the vocabulary this text would give.
    public var vocabularySize: Int
    /// Grapheme clusters of the text as written that normalization changes; 0 means the options cost
    /// nothing on this text, and a large share that the file is in another form than the one chosen.
    public var normalizationChanges: Int
    /// The 20 most frequent tokens, ties in Unicode scalar order.
    public var top: [TokenCount]
    /// Tokens outside the vocabulary given, 0 when none was.
    public var unknown: Int

    private static let topCount = 20

    public init(texts: [String], tokenizer: Tokenizer, vocabulary: Vocabulary? = nil) {
        var (bytes, scalars, graphemes, normalizationChanges, unknown) = (0, 0, 0, 0, 0)
        var counts = TokenCounts()
        for text in texts {
            var text = text
            text.withUTF8 { written in
                bytes += written.count
                normalizationChanges += Self.clustersChanged(in: written, by: tokenizer.normalizer)
            }
            tokenizer.withNormalizedUTF8(text) { normalized in
                // Every scalar has exactly one byte that is not a continuation byte (10xxxxxx).
                scalars += normalized.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
                for cluster in GraphemeClusters(normalized) {
                    let token = String(decoding: UnsafeBufferPointer(rebasing: normalized[cluster]), as: UTF8.self)
                    counts.add(token)
                    graphemes += 1
                    if let vocabulary, vocabulary.id(token) == nil {
                        unknown += 1
                    }
                }
            }
        }
        self.bytes = bytes
        self.scalars = scalars
        self.graphemes = graphemes
        self.normalizationChanges = normalizationChanges
        self.unknown = unknown
        vocabularySize = counts.distinctCount
        top = counts.byFrequency().prefix(Self.topCount).map { TokenCount(token: $0.token, count: $0.count) }
    }

    /// How many grapheme clusters of `utf8` differ from their own normalized form.
    ///
    /// Clusters are compared one at a time so the count says how many characters a reader would see
    /// change, whatever normalization does to their byte lengths.
    private static func clustersChanged(in utf8: UnsafeBufferPointer<UInt8>, by normalizer: Normalizer) -> Int {
        var changed = 0
        for cluster in GraphemeClusters(utf8) {
            let written = UnsafeBufferPointer(rebasing: utf8[cluster])
            if !normalizer.withNormalizedUTF8(written, { $0.elementsEqual(written) }) {
                changed += 1
            }
        }
        return changed
    }
}
