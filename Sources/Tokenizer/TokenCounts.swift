/// How often each distinct token occurs.
struct TokenCounts {
    private var counts: [ExactToken: Int] = [:]

    var distinctCount: Int { counts.count }

    mutating func add(_ token: String) {
        counts[ExactToken(token), default: 0] += 1
    }

    /// Tokens occurring at least `minimum` times, most frequent first.
    ///
    /// Ties are broken by Unicode scalar values, so the order, and with it every token's id, depends on
    /// the text alone and not on the dictionary's per-process hash seed.
    func byFrequency(minimum: Int = 1) -> [(token: String, count: Int)] {
        counts
            .filter { $0.value >= minimum }
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map { (token: $0.key.string, count: $0.value) }
    }
}
