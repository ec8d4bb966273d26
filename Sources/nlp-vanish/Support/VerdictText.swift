import Foundation
import SeqStudy

/// The study's verdict in words: one sentence per variant and depth from its finding's class, then one on the
/// gradient at initialisation.
func verdictSentences(_ summary: StudySummary) -> [String] {
    let depths = Set(summary.lines.map(\.layers)).count
    var sentences = zip(summary.lines, summary.findings).map { line, finding in
        sentence(finding, line: line, name: depths > 1
            ? "\(finding.variant) (\(finding.layers) layer\(finding.layers == 1 ? "" : "s"))" : finding.variant)
    }
    if let gradient = summary.initialGradient {
        let parts = gradient.ratios.map { "\($0.variant) \($0.ratio == 0 ? "0 (float32 underflow)" : format($0.ratio))" }
        sentences.append("At initialisation, the gradient reaching the dependency's source \(gradient.distance) steps "
                         + "back, relative to the gradient at the loss step: " + parts.joined(separator: ", ") + ".")
    }
    return sentences
}

private func sentence(_ finding: VariantFinding, line: StudySummary.Line, name: String) -> String {
    let diverged = finding.diverged > 0 ? "; \(finding.diverged) run\(finding.diverged == 1 ? "" : "s") diverged" : ""
    let perDistance = "seeds solved per distance, with the 95% interval of the solve rate: "
        + finding.distances.indices.map { cell(finding, $0) }.joined(separator: ", ")
    let solvedOf = "solved \(finding.solvedRuns.reduce(0, +)) of \(finding.runs) runs"
    switch finding.pattern {
    case .solvedEvery:
        let last = finding.distances.count - 1
        return "\(name) solved every distance up to \(finding.distances[last]) with every seed "
            + "(\(finding.solvedRuns[last])/\(finding.runsPerDistance[last]) there: a solve rate of "
            + "\(finding.intervals[last]) at 95%)."
    case .solvedNone:
        let best = finding.best.map {
            finding.regression ? String(format: "best test MSE %.3f, baseline %.3f", $0, finding.chance)
                : String(format: "best test accuracy %.2f, chance %@", $0, format(finding.chance))
        }
        let upper = String(format: "%.2f", finding.intervals.map(\.upper).max() ?? 1)
        return "\(name) solved no distance (\(best ?? "no finite result"); a solve rate of at most \(upper) at "
            + "each, 95%)\(diverged)."
    case .failsFrom(let d, let resolved):
        let i = finding.distances.firstIndex(of: d)!
        let sides = "\(finding.intervals[i - 1]) at d = \(finding.distances[i - 1]), \(finding.intervals[i]) at d = \(d)"
        return "\(name) fails from d = \(d): every seed solved each shorter distance, none solved d ≥ \(d)"
            + (resolved ? "; the 95% intervals either side are apart (\(sides))"
                : "; with \(finding.runsPerDistance[i]) seeds the 95% intervals either side overlap (\(sides)), so "
                    + "where the cliff lies is not yet certain") + "\(diverged)."
    case .fades(let noneFrom):
        let reach = line.largestSolvedByAll.map { "every seed solved up to d = \($0); " } ?? ""
        return "\(name) fades with distance: " + reach + perDistance
            + (noneFrom.map { "; none from d = \($0)" } ?? "") + diverged + "."
    case .seedDependent:
        return "\(name) \(solvedOf) and did better at a longer distance than at a shorter one beyond their 95% "
            + "intervals, so distance alone does not explain its failures (" + perDistance + ")\(diverged)."
    case .undecided:
        return "\(name) \(solvedOf), but no two distances differ beyond their 95% intervals: more seeds are needed "
            + "to say how distance matters (" + perDistance + ")\(diverged)."
    }
}

/// "d=20: 2/3 (0.21–0.94)": runs solved at one distance and the 95% interval of the rate.
private func cell(_ finding: VariantFinding, _ i: Int) -> String {
    "d=\(finding.distances[i]): \(finding.solvedRuns[i])/\(finding.runsPerDistance[i]) (\(finding.intervals[i]))"
}

/// A figure for a sentence: three significant digits in the readable range, scientific notation outside it.
func format(_ x: Double) -> String {
    if x == 0 { return "0" }
    if abs(x) >= 0.01 && abs(x) < 1000 { return String(format: "%.3g", x) }
    return String(format: "%.1e", x)
}

/// summary.json: the summary's numbers and classes, and the verdict as the tool words it.
struct SummaryFile: Encodable {
    let summary: StudySummary

    private enum Key: String, CodingKey { case verdict }

    func encode(to encoder: Encoder) throws {
        try summary.encode(to: encoder)
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(verdictSentences(summary), forKey: .verdict)
    }
}
