/// Why a token list, typically read from a checkpoint, cannot be a `Vocabulary`.
public enum VocabularyError: Error, Equatable, CustomStringConvertible {
    /// The list is empty (`found` is `nil`) or starts with something other than `Vocabulary.unknown`.
    case missingUnknown(found: String?)
    case emptyToken(index: Int)
    case duplicateToken(String, firstIndex: Int, index: Int)
    /// The text is not a JSON array of strings; `reason` is the JSON decoder's explanation.
    case invalidJSON(reason: String)

    public var description: String {
        // Tokens are shown as Swift literals: quoted, with newlines and other invisible characters escaped.
        switch self {
        case .missingUnknown(found: nil):
            return "vocabulary is empty; it must start with \"\(Vocabulary.unknown)\""
        case let .missingUnknown(found: token?):
            return "vocabulary starts with \(token.debugDescription); it must start with \"\(Vocabulary.unknown)\""
        case let .emptyToken(index):
            return "vocabulary token \(index) is empty"
        case let .duplicateToken(token, firstIndex, index):
            return "vocabulary token \(index) repeats token \(firstIndex), \(token.debugDescription)"
        case let .invalidJSON(reason):
            return "vocabulary is not a JSON array of strings: \(reason)"
        }
    }
}
