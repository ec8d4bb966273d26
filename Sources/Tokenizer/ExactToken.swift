/// A token that is equal only to a token of the same Unicode scalars.
///
/// `String`'s `==` follows canonical equivalence, so "é" (U+00E9) and "e" + U+0301 would be one
/// dictionary key. Tokens of text left unnormalized must stay apart, or decoding would not give back
/// the bytes that were encoded.
struct ExactToken: Hashable, Comparable, Sendable {
    let string: String

    init(_ string: String) {
        self.string = string
    }

    /// `String`'s `==` first, for its fast paths (identical small strings, ASCII); the byte comparison
    /// then only separates canonically equivalent spellings.
    static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.string == rhs.string && lhs.string.utf8.elementsEqual(rhs.string.utf8)
    }

    /// `String`'s own hash: tokens equal here are canonically equivalent too, so they hash alike, and
    /// distinct equivalent spellings merely share a bucket.
    func hash(into hasher: inout Hasher) {
        hasher.combine(string)
    }

    /// Orders by Unicode scalar values, which for UTF-8 is plain byte order: the encoding was designed so.
    /// (`String`'s `<` compares normalized forms instead, and would tie distinct tokens.)
    static func < (lhs: Self, rhs: Self) -> Bool {
        lhs.string.utf8.lexicographicallyPrecedes(rhs.string.utf8)
    }
}
