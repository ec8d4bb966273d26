import Foundation
/// What a study found, per variant and depth: the numbers and their classification.
public struct StudySummary: Codable, Equatable, Sendable {
    /// One variant at one depth across distances.
    public struct Line: Codable, Equatable, Sendable {
        public var variant: String
        public var layers: Int
        /// Distances in ascending order.
        public var distances: [Int]
        /// Runs (seeds) at each distance, and how many of them solved it (same order).
        public var runs: [Int]
        public var solved: [Int]
        /// solved / runs at each distance.
        public var solvedFraction: [Double]
        /// The 95% Wilson interval of the solve rate at each distance.
        public var solvedInterval: [WilsonInterval]
        /// Mean test accuracy (or MSE for adding) at each distance.
        public var meanScore: [Double]
        /// Steps to solve over the seeds that solved each distance; nil where none did.
        public var stepsToSolve: [SolveSteps?]
        /// The largest distance that every seed solved, if any.
        public var largestSolvedByAll: Int?
    }

    /// The cost of a distance: steps to solve, median and range over the seeds that solved it.
    public struct SolveSteps: Codable, Equatable, Sendable {
        public var median: Double
        public var min: Int
        public var max: Int
        public var seeds: Int

        public init?(_ steps: [Int]) {
            guard !steps.isEmpty else { return nil }
            let sorted = steps.sorted()
            let middle = sorted.count / 2
            median = sorted.count % 2 == 1 ? Double(sorted[middle]) : Double(sorted[middle - 1] + sorted[middle]) / 2
            min = sorted[0]
            max = sorted[sorted.count - 1]
            seeds = sorted.count
        }
    }

    public var task: TaskKind
    /// The study's settings (for the record), typed.
    public var configuration: [String: SettingValue]
    public var lines: [Line]
    /// Each line's pattern across distances, in the order of `lines`.
    public var findings: [VariantFinding]
    /// The gradient reaching the source at the longest distance, at initialisation.
    public var initialGradient: InitialGradientFinding?
}

/// One setting of a study as summary.json records it: a number as a number, a list as a list, text as text.
public enum SettingValue: Codable, Equatable, Sendable, CustomStringConvertible {
    case integer(Int)
    case boolean(Bool)
    /// A decimal kept as the text the user typed (0.001, not the binary expansion of a Float).
    case decimal(String)
    case text(String)
    case integers([Int])
    case texts([String])

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .integer(let x): try c.encode(x)
        case .boolean(let x): try c.encode(x)
        case .decimal(let x): try c.encode(Decimal(string: x) ?? 0)
        case .text(let x): try c.encode(x)
        case .integers(let x): try c.encode(x)
        case .texts(let x): try c.encode(x)
        }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let x = try? c.decode(Bool.self) { self = .boolean(x) }
        else if let x = try? c.decode(Int.self) { self = .integer(x) }
        else if let x = try? c.decode(Decimal.self) { self = .decimal("\(x)") }
        else if let x = try? c.decode([Int].self) { self = .integers(x) }
        else if let x = try? c.decode([String].self) { self = .texts(x) }
        else { self = .text(try c.decode(String.self)) }
    }

    /// The same setting, numbers compared by value (a file gives back 1 where 1.0 was written); a flag recorded
    /// as text by earlier versions ("false") matches the boolean.
    public func matches(_ other: SettingValue) -> Bool {
        if let a = numeric, let b = other.numeric { return a == b }
        return self == other || description == other.description
    }

    private var numeric: Decimal? {
        switch self {
        case .integer(let x): Decimal(x)
        case .decimal(let x): Decimal(string: x)
        default: nil
        }
    }

    public var description: String {
        switch self {
        case .integer(let x): "\(x)"
        case .boolean(let x): "\(x)"
        case .decimal(let x), .text(let x): x
        case .integers(let x): x.map(String.init).joined(separator: ",")
        case .texts(let x): x.joined(separator: ",")
        }
    }
}
