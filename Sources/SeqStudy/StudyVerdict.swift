import Foundation

extension StudySummary {
    /// Summarises finished runs per variant and depth and writes the verdict from the numbers alone.
    public init(results: [RunResult], configuration: [String: String]) {
        task = results.first?.task ?? configuration["task"] ?? "recall"
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
        verdict = StudySummary.verdict(lines: lines, results: results)
    }

    private struct GroupKey: Hashable {
        var variant: String
        var layers: Int
    }

    /// One sentence per variant and depth, classifying its pattern: solved everything; never solved; failed from a
    /// distance on (a clean threshold); fading with distance (fewer seeds solve as d grows); or failing by seed
    /// (a longer distance solved by more seeds than a shorter one, so distance alone does not explain it).
    /// Then one sentence on the gradient at initialisation at the largest distance.
    static func verdict(lines: [Line], results: [RunResult]) -> [String] {
        let depths = Set(lines.map(\.layers)).count
        var sentences = [String]()
        for line in lines {
            let name = depths > 1 ? "\(line.variant) (\(line.layers) layer\(line.layers == 1 ? "" : "s"))" : line.variant
            let runs = results.filter { $0.variant == line.variant && $0.layers == line.layers }
            let solvedRuns = runs.filter(\.solved).count
            let seeds = runs.count / max(line.distances.count, 1)
            let diverged = runs.filter(\.diverged).count
            let divergedNote = diverged > 0 ? "; \(diverged) run\(diverged == 1 ? "" : "s") diverged" : ""
            if solvedRuns == runs.count {
                sentences.append("\(name) solved every distance up to \(line.distances.last!) (\(seeds)/\(seeds) seeds each).")
            } else if solvedRuns == 0 {
                let isRegression = runs.allSatisfy { $0.testAccuracy == nil }
                let best = isRegression
                    ? runs.map(\.testLoss).filter(\.isFinite).min().map { String(format: "best test MSE %.3f, baseline %.3f", $0, runs[0].chance) }
                    : runs.compactMap(\.testAccuracy).max().map { String(format: "best test accuracy %.2f, chance %@", $0, format(runs[0].chance)) }
                sentences.append("\(name) solved no distance (\(best ?? "no finite result"))\(divergedNote).")
            } else if let threshold = cleanThreshold(line) {
                sentences.append("\(name) fails from d = \(threshold): every seed solved each shorter distance, "
                                 + "none solved d ≥ \(threshold)\(divergedNote).")
            } else if zip(line.solvedFraction, line.solvedFraction.dropFirst()).allSatisfy({ $0 >= $1 }) {
                let none = line.solvedFraction.firstIndex(of: 0).map { "; none from d = \(line.distances[$0])" } ?? ""
                sentences.append("\(name) fades with distance: " + perDistance(line, seeds: seeds) + none + divergedNote + ".")
            } else {
                sentences.append("\(name) solved \(solvedRuns) of \(runs.count) runs, failing by seed rather than "
                                 + "by distance (" + perDistance(line, seeds: seeds) + ")\(divergedNote).")
            }
        }
        if let longest = results.map(\.distance).max() {
            let atLongest = results.filter { $0.distance == longest && $0.layers == results.map(\.layers).min()! }
            let ratios = Dictionary(grouping: atLongest, by: \.variant).compactMapValues { rs -> Double? in
                let values = rs.compactMap(\.gradRatioInit)
                return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
            }
            if !ratios.isEmpty {
                let parts = results.map(\.variant).uniqued().compactMap { v in
                    ratios[v].map { "\(v) \($0 == 0 ? "0 (float32 underflow)" : format($0))" }
                }
                sentences.append("At initialisation, the gradient reaching the dependency's source \(longest) steps back, "
                                 + "relative to the gradient at the loss step: " + parts.joined(separator: ", ") + ".")
            }
        }
        return sentences
    }

    /// "seeds solved per distance: d=5: 2/2, d=10: 1/2, …"
    private static func perDistance(_ line: Line, seeds: Int) -> String {
        "seeds solved per distance " + zip(line.distances, line.solvedFraction)
            .map { "d=\($0.0): \(Int(($0.1 * Double(seeds)).rounded()))/\(seeds)" }.joined(separator: ", ")
    }

    /// The smallest distance from which no seed solves anything, if every seed solved every shorter distance.
    private static func cleanThreshold(_ line: Line) -> Int? {
        guard let firstFailure = line.solvedFraction.firstIndex(where: { $0 < 1 }), firstFailure > 0 else { return nil }
        let rest = line.solvedFraction[firstFailure...]
        return rest.allSatisfy { $0 == 0 } ? line.distances[firstFailure] : nil
    }
}

func format(_ x: Double) -> String {
    if x == 0 { return "0" }
    if abs(x) >= 0.01 && abs(x) < 1000 { return String(format: "%.3g", x) }
    return String(format: "%.1e", x)
}

extension Sequence where Element: Hashable {
    /// The elements in first-seen order, each once.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
