/// The Unicode normalization form text is brought to before it is cut into tokens.
///
/// Normalizing first is what makes "ã" one token whether the file spells it U+00E3 or `a` + U+0303;
/// without it, canonically equivalent spellings become different tokens with different embeddings.
public enum Normalization: String, CaseIterable, Sendable, Codable {
    /// Canonical composition: the form most text is already in, and the smallest vocabulary.
    case nfc
    /// Canonical decomposition: accents become tokens of their own, shared across base letters.
    case nfd
    /// Compatibility composition: also folds presentation variants, e.g. the ligature "ﬁ" to "fi".
    case nfkc
    /// The text as written; canonically equivalent spellings stay distinct tokens.
    case none
}
