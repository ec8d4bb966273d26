import Foundation

/// How one variant at one depth fared across distances, classified by a rule over the 95% Wilson intervals of
/// its solve rates. The classes are data; the tool words them (`nlp-vanish`'s VerdictText).
public struct VariantFinding: Codable, Equatable, Sendable {
    public enum Pattern: Codable, Equatable, Sendable {
        /// Every run solved.
        case solvedEvery
        /// No run solved.
        case solvedNone
        /// Every seed solved each distance below `distance`, none solved it or any longer one: a cliff.
        /// `resolved`: the intervals on either side of it are apart, so the seeds place it beyond chance.
        case failsFrom(distance: Int, resolved: Bool)
        /// Fewer seeds solve as d grows, and some shorter distance's interval lies wholly above a longer one's;
        /// `noneFrom` is the first distance from which no seed solved, if any.
        case fades(noneFrom: Int?)
        /// A longer distance's interval lies wholly above a shorter one's: distance alone does not explain it.
        case seedDependent
        /// Outcomes vary, but no two distances' intervals are apart: too few seeds to say how distance matters.
        case undecided
    }

    public var variant: String
    public var layers: Int
    public var pattern: Pattern
    /// Distances in ascending order; runs (seeds) at each, how many solved, and the Wilson interval.
    public var distances: [Int]
    public var runsPerDistance: [Int]
    public var solvedRuns: [Int]
    public var intervals: [WilsonInterval]
    public var runs: Int
    public var diverged: Int
    /// Chance accuracy, or for regression the MSE of the best constant.
    public var chance: Double
    public var regression: Bool
    /// The best finished score when nothing was solved: highest test accuracy, or for regression lowest MSE.
    public var best: Double?

    public init(variant: String, layers: Int, distances: [Int], runsPerDistance: [Int], solvedRuns: [Int],
                diverged: Int, chance: Double, regression: Bool, best: Double?) {
        self.variant = variant
        self.layers = layers
        self.distances = distances
        self.runsPerDistance = runsPerDistance
        self.solvedRuns = solvedRuns
        intervals = zip(solvedRuns, runsPerDistance).map { WilsonInterval(successes: $0, trials: $1) }
        pattern = Self.classify(distances: distances, solved: solvedRuns, runs: runsPerDistance)
        runs = runsPerDistance.reduce(0, +)
        self.diverged = diverged
        self.chance = chance
        self.regression = regression
        self.best = best
    }

    /// The class of a variant's outcomes per distance (ascending distances; `solved[i]` of `runs[i]` runs).
    /// With I(d) the 95% Wilson interval of the solve rate at d, the rule, in order:
    ///  1. every run solved → solved every distance; no run solved → solved none;
    ///  2. some d₁ < d₂ with I(d₁) wholly below I(d₂) → seed-dependent (a longer distance did better);
    ///  3. all seeds solved up to some distance and none from it on → fails from it, resolved when the
    ///     intervals on either side of the cliff are apart;
    ///  4. some d₁ < d₂ with I(d₁) wholly above I(d₂) → fades;
    ///  5. otherwise → undecided: the seeds do not separate any two distances.
    public static func classify(distances: [Int], solved: [Int], runs: [Int]) -> Pattern {
        if zip(solved, runs).allSatisfy({ $0 == $1 }) { return .solvedEvery }
        if solved.allSatisfy({ $0 == 0 }) { return .solvedNone }
        let intervals = zip(solved, runs).map { WilsonInterval(successes: $0, trials: $1) }
        let pairs = intervals.indices.flatMap { i in intervals.indices.filter { $0 > i }.map { (i, $0) } }
        if pairs.contains(where: { intervals[$0.1].isAbove(intervals[$0.0]) }) { return .seedDependent }
        if let first = solved.indices.first(where: { solved[$0] < runs[$0] }), first > 0,
           solved[first...].allSatisfy({ $0 == 0 }) {
            return .failsFrom(distance: distances[first], resolved: intervals[first - 1].isAbove(intervals[first]))
        }
        if pairs.contains(where: { intervals[$0.0].isAbove(intervals[$0.1]) }) {
            let noneFrom = solved.indices.first { i in solved[i...].allSatisfy { $0 == 0 } }
            return .fades(noneFrom: noneFrom.map { distances[$0] })
        }
        return .undecided
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
            let solved = byDistance.map { $0.filter(\.solved).count }
            let scores = byDistance.map { rs in
                rs.map { $0.testAccuracy ?? $0.testLoss }.reduce(0, +) / Double(rs.count)
            }
            return Line(variant: key.variant, layers: key.layers, distances: distances, runs: byDistance.map(\.count),
                        solved: solved, solvedFraction: zip(solved, byDistance).map { Double($0) / Double($1.count) },
                        solvedInterval: zip(solved, byDistance).map { WilsonInterval(successes: $0, trials: $1.count) },
                        meanScore: scores, stepsToSolve: byDistance.map { SolveSteps($0.compactMap(\.stepsToSolve)) },
                        largestSolvedByAll: distances.indices.filter { solved[$0] == byDistance[$0].count }
                            .map { distances[$0] }.max())
        }
        findings = lines.map { line in
            let runs = results.filter { $0.variant == line.variant && $0.layers == line.layers }
            let regression = runs.allSatisfy { $0.testAccuracy == nil }
            return VariantFinding(
                variant: line.variant, layers: line.layers, distances: line.distances, runsPerDistance: line.runs,
                solvedRuns: line.solved, diverged: runs.filter(\.diverged).count,
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
