/// The character tokenizer: one token per user-perceived character.
///
/// Text is normalized as `options` say, then cut into extended grapheme clusters (UAX #29), so that a
/// letter and its accents, a flag, or an emoji ZWJ sequence are each one token. Both steps use utf8proc
/// rather than Swift's `Character`, whose segmentation follows the Unicode version of whichever standard
/// library runs the program: a model trained on one machine must see the same tokens on every other.
public struct Tokenizer: Sendable {
    public let options: TokenizerOptions
    let normalizer: Normalizer

    public init(options: TokenizerOptions = .init()) {
        self.options = options
        normalizer = Normalizer(options)
    }

    /// `text` in the normalization form, case and accents `options` ask for.
    public func normalize(_ text: String) -> String {
        withNormalizedUTF8(text) { String(decoding: $0, as: UTF8.self) }
    }

    /// The tokens of `text`: its normalized form cut into extended grapheme clusters.
    public func graphemes(_ text: String) -> [String] {
        withNormalizedUTF8(text) { utf8 in
            GraphemeClusters(utf8).map { String(decoding: UnsafeBufferPointer(rebasing: utf8[$0]), as: UTF8.self) }
        }
    }

    /// Calls `body` with the UTF-8 bytes of `text` normalized, without materializing a `String` between
    /// normalizing and segmenting.
    func withNormalizedUTF8<Result>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        var text = text
        return text.withUTF8 { normalizer.withNormalizedUTF8($0, body) }
    }
}
