import CUtf8proc

/// Applies `TokenizerOptions` to UTF-8 text with utf8proc.
///
/// This is `utf8proc_map` taken apart: decompose into UTF-32, then recompose and re-encode as UTF-8 in
/// the same buffer. Doing the two steps here buys two things `utf8proc_map` cannot give:
/// - a pass that drops nonspacing marks between decomposition and recomposition (`stripAccents`);
/// - one decomposition instead of two: `utf8proc_map` first decomposes only to measure the result, while
///   here the buffer is sized from the input and measured again only in the rare case it was too small.
///   The buffer is a temporary allocation, which lives on the stack for the short strings of per-cluster
///   calls.
struct Normalizer {
    /// Options for `utf8proc_decompose`; `utf8proc_reencode` reads the composition flags from them too.
    private let options: utf8proc_option_t
    private let dropsNonspacingMarks: Bool
    private let foldsCase: Bool
    /// With no normalization and nothing else to do, the text is already in its final form.
    private let isIdentity: Bool

    init(_ tokenizerOptions: TokenizerOptions) {
        var flags: UInt32 = 0
        switch tokenizerOptions.normalization {
        case .nfc: flags = UTF8PROC_COMPOSE.rawValue
        case .nfd: flags = UTF8PROC_DECOMPOSE.rawValue
        case .nfkc: flags = UTF8PROC_COMPOSE.rawValue | UTF8PROC_COMPAT.rawValue
        case .none: flags = 0
        }
        if tokenizerOptions.stripAccents && tokenizerOptions.normalization == .none {
            // A mark can only be dropped from a decomposed letter; composing again afterwards keeps the
            // text closest to how it was written.
            flags = UTF8PROC_COMPOSE.rawValue
        }
        if flags != 0 {
            // Without STABLE, utf8proc composes the pairs Unicode excludes from composition, which is not NFC.
            flags |= UTF8PROC_STABLE.rawValue
        }
        if tokenizerOptions.caseFold {
            flags |= UTF8PROC_CASEFOLD.rawValue
        }
        options = utf8proc_option_t(rawValue: flags)
        dropsNonspacingMarks = tokenizerOptions.stripAccents
        foldsCase = tokenizerOptions.caseFold
        isIdentity = flags == 0
    }

    /// Calls `body` with the normalized form of the UTF-8 text `input`.
    ///
    /// utf8proc fails only on invalid UTF-8, which a Swift string cannot hold, and on text beyond its size
    /// limit; `body` then gets `input` unchanged, because tokenizing the text as written beats trapping.
    func withNormalizedUTF8<Result>(
        _ input: UnsafeBufferPointer<UInt8>, _ body: (UnsafeBufferPointer<UInt8>) -> Result
    ) -> Result {
        if isIdentity || isInvariant(input) { return body(input) }
        // Decomposition rarely yields more scalars than the input has bytes: "ã" is two bytes and two
        // scalars, a Hangul syllable three bytes and at most three jamo. The one extra slot is for the NUL
        // `utf8proc_reencode` writes after the text.
        return normalize(input, capacity: input.count + 1, body)
    }

    /// Whether `input` is text no option changes, found without calling utf8proc.
    ///
    /// ASCII has no decompositions, compatibility mappings or marks; only case folding changes it, and only
    /// its capital letters. Most grapheme clusters of Portuguese are such characters, which makes this the
    /// fast path of per-cluster normalization.
    private func isInvariant(_ input: UnsafeBufferPointer<UInt8>) -> Bool {
        input.allSatisfy { $0 < 0x80 && !(foldsCase && (0x41...0x5A).contains($0)) }
    }

    private func normalize<Result>(
        _ input: UnsafeBufferPointer<UInt8>, capacity: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Result
    ) -> Result {
        withUnsafeTemporaryAllocation(of: Int32.self, capacity: capacity) { scalars in
            let decomposed = utf8proc_decompose(input.baseAddress, input.count, scalars.baseAddress, capacity - 1, options)
            guard decomposed >= 0 else { return body(input) }
            guard decomposed < capacity else {
                // The buffer was too small; utf8proc reported the size it needs.
                return normalize(input, capacity: decomposed + 1, body)
            }
            let kept = dropsNonspacingMarks ? removeNonspacingMarks(scalars, count: decomposed) : decomposed
            let byteCount = utf8proc_reencode(scalars.baseAddress, kept, options)
            guard byteCount >= 0 else { return body(input) }
            // `utf8proc_reencode` wrote the UTF-8 bytes over the scalars, from the start of the buffer.
            return UnsafeMutableRawBufferPointer(scalars).withMemoryRebound(to: UInt8.self) { bytes in
                body(UnsafeBufferPointer(rebasing: bytes[..<byteCount]))
            }
        }
    }

    /// Compacts the first `count` scalars of `scalars` in place without those of general category Mn,
    /// and returns how many remain.
    ///
    /// Dropping elements keeps the canonical order decomposition established, so the recomposition that
    /// follows still sees well-formed decomposed text.
    private func removeNonspacingMarks(_ scalars: UnsafeMutableBufferPointer<Int32>, count: Int) -> Int {
        var kept = 0
        for index in 0..<count where utf8proc_category(scalars[index]) != UTF8PROC_CATEGORY_MN {
            scalars[kept] = scalars[index]
            kept += 1
        }
        return kept
    }
}
