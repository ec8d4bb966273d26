import Foundation
import SeqModel

/// The study's report as one self-contained HTML page: the verdict first, then the evidence for it —
/// score against distance (A), how often each variant solved each distance, the gradient profiles before
/// and after training (B), the bottom layer's gradient against depth (C) and the training curves (D).
func renderStudyReport(results: [RunResult], summary: StudySummary) -> String {
    let palette = VariantPalette(results.map(\.variant) + summary.lines.map(\.variant))
    let depths = Set(results.map(\.layers)).sorted()
    let longest = results.map(\.distance).max() ?? 0
    let atLongest = results.filter { $0.distance == longest }
    let measure = StudyMeasure(task: summary.task)

    var body = "<ul class=\"verdict\">\n" + summary.verdict.map { "<li>\(escapeMarkup($0))</li>\n" }.joined() + "</ul>\n"
        + overview(results, summary)
    body += figureSection("A. \(measure.name) against distance", reading: measure.distanceReading,
                          rows: [depths.map { depth in scorePlot(depth: depth, runs: results.filter { $0.layers == depth }, measure, palette) }])
    body += solvedTable(summary, palette)
    let allNorms = atLongest.flatMap { $0.profiles.flatMap(\.norms) }
    for (moment, phase, reading) in [("at initialisation", "init", profileReadingInit), ("after training", "final", profileReadingFinal)]
    where atLongest.contains(where: { $0.profiles.contains { $0.phase == phase } }) {
        let rows = depths.map { depth in
            gradientProfilePlots(depth: depth, moment: moment, profiles: meanProfiles(atLongest.filter { $0.layers == depth }, phase: phase),
                                 palette: palette, bounds: sharedLogBounds(allNorms))
        }
        body += figureSection("B. Gradient reaching k steps back, \(moment) (d = \(longest))", reading: reading, rows: rows)
    }
    if depths.count > 1 {
        let values = Dictionary(grouping: atLongest, by: \.variant).mapValues { runs in
            Dictionary(grouping: runs, by: \.layers).mapValues { average($0.compactMap(\.recurrentGradNormInit.first)) }
        }
        body += figureSection("C. Bottom layer's recurrent gradient against depth (d = \(longest))", reading: depthReading,
                              rows: [[depthPlot(title: "first layer at initialisation", yLabel: "‖∂L/∂W_hh‖, first layer",
                                                values: values, palette: palette)]])
    }
    body += figureSection("D. Training curves at the longest distance (d = \(longest))", reading: measure.curveReading,
                          rows: [depths.map { depth in curvePlot(depth: depth, runs: atLongest.filter { $0.layers == depth }, measure, palette) }])
    return reportPage(title: "Long-dependency study: \(summary.task)", body: body)
}

/// What a run is scored by: accuracy against chance for the classification tasks, mean squared error
/// against the baseline for "adding" (predicting the mean sum), with the words that go with each.
private struct StudyMeasure {
    let regression: Bool
    init(task: String) { regression = task == "adding" }

    var name: String { regression ? "Test MSE" : "Test accuracy" }
    func score(_ run: RunResult) -> Double { regression ? run.testLoss : run.testAccuracy ?? .nan }
    func curveValue(_ point: CurvePoint) -> Double { regression ? point.loss : point.accuracy ?? .nan }
    func axis(_ label: String) -> SVGPlot.Axis { regression ? .init(label: label) : .init(label: label, bounds: 0...1) }
    func reference(_ runs: [RunResult]) -> SVGPlot.ReferenceLine? {
        runs.first.map { .init(y: $0.chance, label: (regression ? "baseline MSE " : "chance ") + String(format: "%.3g", $0.chance)) }
    }

    var distanceReading: String {
        (regression
            ? "Each panel is one network depth. A line is one variant's test mean squared error (lower is better), averaged over seeds; the faint dots behind it are the individual seeds. The dashed line is the baseline: the error of a network that ignores the two marked numbers and always guesses the average sum."
            : "Each panel is one network depth. A line is one variant's test accuracy, averaged over seeds; the faint dots behind it are the individual seeds. The dashed line is chance: what a network that never learned to use the key token scores.")
            + " The distance is how many steps separate the information from the moment it is needed. A variant whose gradient survives that many steps stays good as the distance grows; where its line meets the dashed line is roughly how far back it can learn."
    }
    var curveReading: String {
        (regression
            ? "Test mean squared error measured during training, one line per seed. A run that learns the task falls well below the dashed baseline, often after a long flat stretch at it."
            : "Test accuracy measured during training, one line per seed. A run that learns the dependency climbs from the chance line towards 1, often after a long flat stretch at chance.")
            + " Runs stop as soon as they are solved, so a short line is a success, not a crash. A line that never leaves the dashed one never received a usable gradient from the key."
    }
}

private let profileReadingInit = "g(k) is the size of the loss's gradient with respect to the hidden state k steps before the loss, averaged over the batch and the seeds of the runs at the longest distance, before any training. The vertical axis is logarithmic, so a straight falling line means the gradient shrinks by the same factor at every step back: it vanishes geometrically, and the steeper the line the faster. A flat line means the signal from far back reaches the weights intact; a rising one means it explodes. ▼ on the bottom edge are exact zeros: the gradient has underflowed float32 and the network gets no signal at all from that far back. In deeper networks, compare the panels: the bottom layer receives its gradient only after it has passed down through the layers above."
private let profileReadingFinal = "The same measurement after training, on the same vertical scale. Lines flatter than at initialisation mean training has opened a path for the gradient over long distances; lines as steep as before mean the variant could only learn what lay close to the loss."
private let depthReading = "The size of the gradient of the loss with respect to the bottom layer's recurrent weights before training, averaged over seeds, for each depth. The axis is logarithmic. The gradient reaches the bottom layer only through every layer above it, and each one can shrink it by another factor; a line that falls with depth means deeper networks give their first layer less to learn from."

/// The run grid in one sentence, and the flags the study was run with.
private func overview(_ results: [RunResult], _ summary: StudySummary) -> String {
    func count(_ values: [Int]) -> String { "\(Set(values).count)" }
    let grid = "\(results.count) runs: \(Set(results.map(\.variant)).count) variants × \(count(results.map(\.layers))) depths × "
        + "\(count(results.map(\.distance))) distances × \(count(results.map(\.seed))) seeds."
    let flags = summary.configuration.keys.sorted().map { "<code>\(escapeMarkup($0)) = \(escapeMarkup(summary.configuration[$0]!))</code>" }
    return "<h2>Configuration</h2>\n<p>\(escapeMarkup(grid))</p>\n<p>\(flags.joined(separator: " · "))</p>\n"
}

/// Plot A for one depth: the seed mean as a line, each seed as a faint dot, the chance or baseline line.
private func scorePlot(depth: Int, runs: [RunResult], _ measure: StudyMeasure, _ palette: VariantPalette) -> SVGPlot {
    let distances = Set(runs.map(\.distance)).sorted().map(Double.init)
    let series = palette.variants.flatMap { variant -> [SVGPlot.Series] in
        let byDistance = Dictionary(grouping: runs.filter { $0.variant == variant }, by: \.distance)
        guard !byDistance.isEmpty else { return [] }
        let colour = palette.colour(variant)
        let seeds = byDistance.values.joined().map { (x: Double($0.distance), y: measure.score($0)) }
        let means = byDistance.keys.sorted().map { (x: Double($0), y: average(byDistance[$0]!.map(measure.score))) }
        return [.init(label: "", colour: colour, points: seeds, style: .markers, faint: true),
                .init(label: variant, colour: colour, points: means)]
    }
    let spread = (distances.last ?? 1) / max(distances.first ?? 1, 1)
    return SVGPlot(title: layerCount(depth), x: .init(label: "distance d (steps)", logarithmic: spread >= 8, ticks: distances),
                   y: measure.axis(measure.name), series: series, reference: measure.reference(runs))
}

/// Plot D for one depth: every run's curve in its variant's colour; the legend names each variant once.
private func curvePlot(depth: Int, runs: [RunResult], _ measure: StudyMeasure, _ palette: VariantPalette) -> SVGPlot {
    var named = Set<String>()
    let series = palette.variants.flatMap { variant in
        runs.filter { $0.variant == variant }.map { run in
            SVGPlot.Series(label: named.insert(variant).inserted ? variant : "", colour: palette.colour(variant),
                           points: run.curve.map { (x: Double($0.step), y: measure.curveValue($0)) }, style: .line)
        }
    }
    return SVGPlot(title: layerCount(depth), x: .init(label: "training step"), y: measure.axis(measure.name),
                   series: series, reference: measure.reference(runs))
}

/// Per variant, the seeds' mean g(k) profile of each layer at one phase ("init" or "final").
private func meanProfiles(_ runs: [RunResult], phase: String) -> [String: [[Double]]] {
    Dictionary(grouping: runs, by: \.variant).mapValues { runs in
        let records = runs.flatMap(\.profiles).filter { $0.phase == phase }
        return (0..<(runs.map(\.layers).max() ?? 0)).map { layer in
            averageProfile(records.filter { $0.layer == layer }.map(\.norms))
        }
    }
}

/// The fraction of seeds that solved each distance, one row per variant and depth, shaded by that fraction.
private func solvedTable(_ summary: StudySummary, _ palette: VariantPalette) -> String {
    let distances = Set(summary.lines.flatMap(\.distances)).sorted()
    let lines = summary.lines.sorted { ($0.layers, palette.variants.firstIndex(of: $0.variant) ?? 0)
        < ($1.layers, palette.variants.firstIndex(of: $1.variant) ?? 0) }
    var table = "<table>\n<tr><th>variant</th><th>layers</th>" + distances.map { "<th>d = \($0)</th>" }.joined()
        + "<th>longest d solved by every seed</th></tr>\n"
    for line in lines {
        table += "<tr><td>\(escapeMarkup(line.variant))</td><td>\(line.layers)</td>"
        for distance in distances {
            guard let index = line.distances.firstIndex(of: distance) else { table += "<td>–</td>"; continue }
            let fraction = line.solvedFraction[index]
            table += "<td style=\"background: rgba(0, 114, 178, \(String(format: "%.2f", 0.05 + 0.45 * fraction)))\">"
                + "\(Int((fraction * 100).rounded()))%</td>"
        }
        table += "<td>\(line.largestSolvedByAll.map(String.init) ?? "none")</td></tr>\n"
    }
    let reading = "Each cell is the share of seeds that solved the task at that distance; darker cells were solved more often. The last column is the single number to compare variants by: the longest distance that every seed solved."
    return "<h2>Seeds that solved each distance</h2>\n<p class=\"reading\"><b>How to read this.</b> \(reading)</p>\n"
        + table + "</table>\n"
}
