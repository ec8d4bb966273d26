/// A token that is equal only to a token of the same Unicode scalars.
///
/// `String`'s `==` and hashing follow canonical equivalence, so "é" (U+00E9) and "e" + U+0301 would be
/// one dictionary key. Tokens of text left unnormalized must stay apart, or decoding would not give back
/// the bytes that were encoded.
struct ExactToken: Hashable, Comparable, Sendable {
    let string: String

    init(_ string: String) {
        self.string = string
    }

    static func == (lhs: Self, rhs: Self) -> Bool {
        // Comparing contiguous buffers rather than the `utf8` views, which step through string indices.
        var (lhs, rhs) = (lhs.string, rhs.string)
        return lhs.withUTF8 { lhs in rhs.withUTF8 { rhs in lhs.elementsEqual(rhs) } }
    }

    func hash(into hasher: inout Hasher) {
        var string = string
        string.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }

    /// Orders by Unicode scalar values, which for UTF-8 is plain byte order: the encoding was designed so.
    /// (`String`'s `<` compares normalized forms instead, and would tie distinct tokens.)
    static func < (lhs: Self, rhs: Self) -> Bool {
        lhs.string.utf8.lexicographicallyPrecedes(rhs.string.utf8)
    }
}
