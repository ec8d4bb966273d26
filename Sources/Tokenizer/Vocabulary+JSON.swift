import Foundation

extension Vocabulary {
    /// The tokens as a JSON array of strings, in id order: the form checkpoints store.
    ///
    /// Written by hand rather than with `JSONEncoder` so the output is one fixed text for a given
    /// vocabulary (no escaped slashes or other encoder choices that vary between Foundation versions).
    public var json: String {
        "[" + tokens.map(jsonString).joined(separator: ",") + "]"
    }

    /// Reads a vocabulary back from `json`, with the checks of `init(tokens:)`.
    public init(json: String) throws(VocabularyError) {
        let tokens: [String]
        do {
            tokens = try JSONDecoder().decode([String].self, from: Data(json.utf8))
        } catch {
            throw .invalidJSON(reason: Self.explanation(of: error))
        }
        try self.init(tokens: tokens)
    }

    private static func explanation(of error: any Error) -> String {
        switch error {
        case let DecodingError.dataCorrupted(context),
             let DecodingError.typeMismatch(_, context),
             let DecodingError.valueNotFound(_, context):
            context.debugDescription
        default:
            String(describing: error)
        }
    }
}

/// `token` as a JSON string literal (RFC 8259): quote, backslash and the control characters U+0000 to
/// U+001F escaped, everything else written as is in UTF-8.
private func jsonString(_ token: String) -> String {
    var literal = "\""
    for scalar in token.unicodeScalars {
        switch scalar {
        case "\"": literal += "\\\""
        case "\\": literal += "\\\\"
        case "\n": literal += "\\n"
        case "\r": literal += "\\r"
        case "\t": literal += "\\t"
        case "\u{00}"..."\u{1F}":
            let hex = String(scalar.value, radix: 16, uppercase: true)
            literal += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: literal.unicodeScalars.append(scalar)
        }
    }
    return literal + "\""
}
