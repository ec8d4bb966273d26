/// What a study found, per variant and depth: the numbers and their classification.
public struct StudySummary: Codable, Equatable, Sendable {
    /// One variant at one depth across distances.
    public struct Line: Codable, Equatable, Sendable {
        public var variant: String
        public var layers: Int
        /// Distances in ascending order.
        public var distances: [Int]
        /// Fraction of seeds that solved each distance (same order).
        public var solvedFraction: [Double]
        /// Mean test accuracy (or MSE for adding) at each distance.
        public var meanScore: [Double]
        /// The largest distance that every seed solved, if any.
        public var largestSolvedByAll: Int?
    }

    public var task: TaskKind
    /// The study's flags, as given (for the record).
    public var configuration: [String: String]
    public var lines: [Line]
    /// Each line's pattern across distances, in the order of `lines`.
    public var findings: [VariantFinding]
    /// The gradient reaching the source at the longest distance, at initialisation.
    public var initialGradient: InitialGradientFinding?
}
