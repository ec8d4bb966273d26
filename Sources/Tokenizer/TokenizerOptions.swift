/// How text becomes tokens.
///
/// A model is only meaningful with the tokenizer it was trained with, so these options travel inside
/// checkpoints as string metadata (`metadata` and `init(metadata:)`).
public struct TokenizerOptions: Equatable, Sendable, Codable {
    public var normalization: Normalization
    /// Unicode case folding (utf8proc's CASEFOLD), so "Ação" and "ação" share their tokens.
    public var caseFold: Bool
    /// Removes nonspacing marks (general category Mn) from the decomposed text, so "ação" becomes "acao".
    ///
    /// Spacing marks (Mc) are kept: in scripts such as Devanagari they are vowels, not accents.
    public var stripAccents: Bool

    public init(normalization: Normalization = .nfc, caseFold: Bool = false, stripAccents: Bool = false) {
        self.normalization = normalization
        self.caseFold = caseFold
        self.stripAccents = stripAccents
    }
}

extension TokenizerOptions {
    private enum Key {
        static let normalization = "normalization"
        static let caseFold = "case_fold"
        static let stripAccents = "strip_accents"
    }

    /// The options as checkpoint metadata, e.g. `["normalization": "nfc", "case_fold": "false", …]`.
    public var metadata: [String: String] {
        [
            Key.normalization: normalization.rawValue,
            Key.caseFold: String(caseFold),
            Key.stripAccents: String(stripAccents),
        ]
    }

    /// Reads the options back from checkpoint metadata.
    ///
    /// Keys this type does not own are ignored, because the same dictionary carries the model's own
    /// metadata. A missing key takes its default value, so checkpoints written before an option existed
    /// keep loading with the behaviour they were trained with.
    public init(metadata: [String: String]) throws(TextError) {
        self.init()
        if let value = metadata[Key.normalization] {
            guard let normalization = Normalization(rawValue: value) else {
                throw .invalidOption(key: Key.normalization, value: value)
            }
            self.normalization = normalization
        }
        caseFold = try Self.flag(Key.caseFold, in: metadata) ?? caseFold
        stripAccents = try Self.flag(Key.stripAccents, in: metadata) ?? stripAccents
    }

    private static func flag(_ key: String, in metadata: [String: String]) throws(TextError) -> Bool? {
        guard let value = metadata[key] else { return nil }
        guard let flag = Bool(value) else { throw .invalidOption(key: key, value: value) }
        return flag
    }

    /// The values `init(metadata:)` accepts for `key`, for error messages; `nil` for a key it does not read.
    static func acceptedValues(forKey key: String) -> String? {
        switch key {
        case Key.normalization: Normalization.allCases.map(\.rawValue).joined(separator: ", ")
        case Key.caseFold, Key.stripAccents: "true, false"
        default: nil
        }
    }
}
