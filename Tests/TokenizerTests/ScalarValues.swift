/// The Unicode scalar values of `text`.
///
/// Tests compare these rather than strings: `String`'s `==` holds canonically equivalent spellings
/// equal ("ã" == "a" + U+0303), which would hide exactly the differences these tests look for.
func scalarValues(_ text: String) -> [UInt32] {
    text.unicodeScalars.map(\.value)
}

func scalarValues(_ tokens: [String]) -> [[UInt32]] {
    tokens.map(scalarValues)
}

/// The string of the given scalar values; `nil` if one is not a Unicode scalar (a surrogate, say).
func string(ofScalarValues values: [UInt32]) -> String? {
    var text = ""
    for value in values {
        guard let scalar = Unicode.Scalar(value) else { return nil }
        text.unicodeScalars.append(scalar)
    }
    return text
}
