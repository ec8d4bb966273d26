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
    let seeds = finding.seeds
    let perDistance = "seeds solved per distance " + zip(line.distances, line.solvedFraction)
        .map { "d=\($0.0): \(Int(($0.1 * Double(seeds)).rounded()))/\(seeds)" }.joined(separator: ", ")
    switch finding.pattern {
    case .solvedEvery:
        return "\(name) solved every distance up to \(finding.distances.last ?? 0) (\(seeds)/\(seeds) seeds each)."
    case .solvedNone:
        let best = finding.best.map {
            finding.regression ? String(format: "best test MSE %.3f, baseline %.3f", $0, finding.chance)
                : String(format: "best test accuracy %.2f, chance %@", $0, format(finding.chance))
        }
        return "\(name) solved no distance (\(best ?? "no finite result"))\(diverged)."
    case .failsFrom(let d):
        return "\(name) fails from d = \(d): every seed solved each shorter distance, none solved d ≥ \(d)\(diverged)."
    case .fades(let noneFrom):
        return "\(name) fades with distance: " + perDistance + (noneFrom.map { "; none from d = \($0)" } ?? "")
            + diverged + "."
    case .seedDependent:
        return "\(name) solved \(finding.solvedRuns.reduce(0, +)) of \(finding.runs) runs, failing by seed rather "
            + "than by distance (" + perDistance + ")\(diverged)."
    }
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
