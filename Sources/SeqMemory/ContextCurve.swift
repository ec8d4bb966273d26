/// Bits per character against the context a model may use, on one set of positions, with the figure it reaches
/// given the whole stream before each position.
public struct ContextCurve: Sendable, Codable, Equatable {
    /// The context lengths k, increasing.
    public let lengths: [Int]
    /// Mean bits per character at each k.
    public let bits: [Double]
    /// Mean bits per character at the same positions with the whole stream before them (unlimited context).
    public let unlimitedBits: Double
    /// At each k, the standard error of the gain bits(k) − unlimited as a mean of per-position differences
    /// (paired: the same positions at both), s/√n; 0 with fewer than two positions.
    public let gainStandardErrors: [Double]
    public let positions: Int

    public init(lengths: [Int], bits: [Double], unlimitedBits: Double, gainStandardErrors: [Double], positions: Int) {
        precondition(lengths.count == bits.count && lengths.count == gainStandardErrors.count,
                     "ContextCurve: one figure per length")
        self.lengths = lengths
        self.bits = bits
        self.unlimitedBits = unlimitedBits
        self.gainStandardErrors = gainStandardErrors
        self.positions = positions
    }

    /// From per-position losses in nats: nats[i][j] at lengths[i] and position j, unlimited[j] with the whole stream.
    public init(lengths: [Int], nats: [[Double]], unlimitedNats: [Double]) {
        let n = unlimitedNats.count
        let bitsPerNat = 1 / 0.693_147_180_559_945_3
        func mean(_ x: [Double]) -> Double { x.reduce(0, +) / Double(max(n, 1)) }
        let errors = nats.map { row -> Double in
            guard n > 1 else { return 0 }
            let differences = zip(row, unlimitedNats).map { ($0 - $1) * bitsPerNat }
            let m = mean(differences)
            let variance = differences.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(n - 1)
            return (variance / Double(n)).squareRoot()
        }
        self.init(lengths: lengths, bits: nats.map { mean($0) * bitsPerNat }, unlimitedBits: mean(unlimitedNats) * bitsPerNat,
                  gainStandardErrors: errors, positions: n)
    }

    /// The model's effective context at a tolerance: the shortest k whose bits are within `fraction` (0.01 for 1%)
    /// of the unlimited figure, bits(k) ≤ (1 + fraction)·unlimited; nil when no k measured reaches it.
    public func effectiveContext(within fraction: Double) -> Int? {
        zip(lengths, bits).first { $0.1 <= (1 + fraction) * unlimitedBits }?.0
    }

    /// bits(k) − unlimited: what the context beyond k is worth, in bits per character.
    public var gains: [Double] { bits.map { $0 - unlimitedBits } }
}
