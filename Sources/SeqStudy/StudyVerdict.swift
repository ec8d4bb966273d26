import Foundation

/// How one variant at one depth fared across distances, classified from the solved fractions alone. The
/// classes are data; the tool words them (`nlp-vanish`'s VerdictText).
public struct VariantFinding: Codable, Equatable, Sendable {
    public enum Pattern: Codable, Equatable, Sendable {
        /// Every run solved.
        case solvedEvery
        /// No run solved.
        case solvedNone
        /// Every seed solved each distance below `distance`, none solved it or any longer one: a clean cliff.
        case failsFrom(distance: Int)
        /// Fewer seeds solve as d grows (never more at a longer distance); `noneFrom` is the first distance no
        /// seed solved, if any.
        case fades(noneFrom: Int?)
        /// A longer distance solved by more seeds than a shorter one: distance alone does not explain it.
        case seedDependent
    }

    public var variant: String
    public var layers: Int
    public var pattern: Pattern
    /// Distances in ascending order, and how many runs solved each.
    public var distances: [Int]
    public var solvedRuns: [Int]
    /// Runs per distance (seeds), and in all.
    public var seeds: Int
    public var runs: Int
    public var diverged: Int
    /// Chance accuracy, or for regression the MSE of the best constant.
    public var chance: Double
    public var regression: Bool
    /// The best finished score when nothing was solved: highest test accuracy, or for regression lowest MSE.
    public var best: Double?

    public init(variant: String, layers: Int, pattern: Pattern, distances: [Int], solvedRuns: [Int], seeds: Int,
                runs: Int, diverged: Int, chance: Double, regression: Bool, best: Double?) {
        self.variant = variant
        self.layers = layers
        self.pattern = pattern
        self.distances = distances
        self.solvedRuns = solvedRuns
        self.seeds = seeds
        self.runs = runs
        self.diverged = diverged
        self.chance = chance
        self.regression = regression
        self.best = best
    }

    /// The class of a variant's solved fractions per distance (ascending distances). The rule, in order:
    /// all 1 → solved every distance; all 0 → none; 1 up to some distance and 0 from it on → fails from it;
    /// never rising with distance → fades; otherwise seed-dependent.
    public static func classify(distances: [Int], solvedFraction: [Double]) -> Pattern {
        if solvedFraction.allSatisfy({ $0 == 1 }) { return .solvedEvery }
        if solvedFraction.allSatisfy({ $0 == 0 }) { return .solvedNone }
        if let first = solvedFraction.firstIndex(where: { $0 < 1 }), first > 0,
           solvedFraction[first...].allSatisfy({ $0 == 0 }) {
            return .failsFrom(distance: distances[first])
        }
        if zip(solvedFraction, solvedFraction.dropFirst()).allSatisfy({ $0 >= $1 }) {
            return .fades(noneFrom: solvedFraction.firstIndex(of: 0).map { distances[$0] })
        }
        return .seedDependent
    }
}

/// The gradient at initialisation at the study's longest distance, per variant (shallowest depth): how much of
/// the loss step's gradient reaches the dependency's source.
public struct InitialGradientFinding: Codable, Equatable, Sendable {
    public struct Ratio: Codable, Equatable, Sendable {
        public var variant: String
        /// Mean over seeds of ‖∂L/∂h_source‖ / ‖∂L/∂h_T‖; 0 where float32 underflowed.
        public var ratio: Double
    }
    public var distance: Int
    public var ratios: [Ratio]
}

extension StudySummary {
    /// Summarises finished runs per variant and depth and classifies each (see `VariantFinding.classify`).
    public init(results: [RunResult], configuration: [String: SettingValue]) {
        task = results.first?.task ?? configuration["task"].flatMap { TaskKind(rawValue: $0.description) } ?? .recall
        self.configuration = configuration
        let groups = Dictionary(grouping: results) { GroupKey(variant: $0.variant, layers: $0.layers) }
        let variantOrder = results.map(\.variant).uniqued()
        lines = groups.keys.sorted {
            ($0.layers, variantOrder.firstIndex(of: $0.variant)!) < ($1.layers, variantOrder.firstIndex(of: $1.variant)!)
        }.map { key in
            let runs = groups[key]!
            let distances = Set(runs.map(\.distance)).sorted()
            let byDistance = distances.map { d in runs.filter { $0.distance == d } }
            let fractions = byDistance.map { rs in Double(rs.filter(\.solved).count) / Double(rs.count) }
            let scores = byDistance.map { rs in
                rs.map { $0.testAccuracy ?? $0.testLoss }.reduce(0, +) / Double(rs.count)
            }
            return Line(variant: key.variant, layers: key.layers, distances: distances, solvedFraction: fractions,
                        meanScore: scores, largestSolvedByAll: zip(distances, fractions).filter { $0.1 == 1 }.map(\.0).max())
        }
        findings = lines.map { line in
            let runs = results.filter { $0.variant == line.variant && $0.layers == line.layers }
            let regression = runs.allSatisfy { $0.testAccuracy == nil }
            return VariantFinding(
                variant: line.variant, layers: line.layers,
                pattern: VariantFinding.classify(distances: line.distances, solvedFraction: line.solvedFraction),
                distances: line.distances,
                solvedRuns: line.distances.map { d in runs.filter { $0.distance == d && $0.solved }.count },
                seeds: runs.count / max(line.distances.count, 1), runs: runs.count, diverged: runs.filter(\.diverged).count,
                chance: runs.first?.chance ?? 0, regression: regression,
                best: regression ? runs.map(\.testLoss).filter(\.isFinite).min() : runs.compactMap(\.testAccuracy).max())
        }
        initialGradient = Self.initialGradient(results)
    }

    private struct GroupKey: Hashable {
        var variant: String
        var layers: Int
    }

    private static func initialGradient(_ results: [RunResult]) -> InitialGradientFinding? {
        guard let longest = results.map(\.distance).max(), let shallowest = results.map(\.layers).min() else { return nil }
        let atLongest = results.filter { $0.distance == longest && $0.layers == shallowest }
        let ratios = Dictionary(grouping: atLongest, by: \.variant).compactMapValues { rs -> Double? in
            let values = rs.compactMap(\.gradRatioInit)
            return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
        }
        guard !ratios.isEmpty else { return nil }
        return InitialGradientFinding(
            distance: longest,
            ratios: results.map(\.variant).uniqued().compactMap { v in ratios[v].map { .init(variant: v, ratio: $0) } })
    }
}

extension Sequence where Element: Hashable {
    /// The elements in first-seen order, each once.
    public func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
