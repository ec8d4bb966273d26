import Foundation
import SeqKernels
import SeqStudy

/// The study's report as one self-contained HTML page: the verdict first, then the evidence for it —
/// score against distance (A), how often each variant solved each distance, the gradient profiles before
/// and after training (B), the bottom layer's gradient against depth (C) and the training curves (D).
func renderStudyReport(results: [RunResult], summary: StudySummary,
                       verdict: [String]? = nil) -> String {
    let palette = VariantPalette(results.map(\.variant) + summary.lines.map(\.variant))
    let measure = StudyMeasure(task: summary.task)
    let depths = Set(results.map(\.layers)).sorted()
    let longest = results.map(\.distance).max() ?? 0
    let atLongest = results.filter { $0.distance == longest }
    func atDepth(_ runs: [RunResult], _ depth: Int) -> [RunResult] { runs.filter { $0.layers == depth } }

    var body = "<ul class=\"verdict\">\n" + (verdict ?? verdictSentences(summary)).map { "<li>\(escapeMarkup($0))</li>\n" }.joined()
        + "</ul>\n" + overview(results, summary)
    body += figureSection("A. \(measure.name) against distance", reading: measure.distanceReading,
                          rows: [depths.map { scorePlot(depth: $0, runs: atDepth(results, $0), measure, palette) }])
    body += solvedTable(summary, palette)

    let bounds = sharedLogBounds(atLongest.flatMap { $0.profiles.flatMap(\.norms) })
    let moments = [("at initialisation", "init", profileReading(averagedOver: seedsAtLongest)),
                   ("after training", "final", profileReadingFinal)]
    for (moment, phase, reading) in moments where atLongest.contains(where: { $0.profiles.contains { $0.phase == phase } }) {
        let rows = depths.map { depth in
            gradientProfilePlots(depth: depth, moment: moment, profiles: meanProfiles(atDepth(atLongest, depth), phase: phase),
                                 palette: palette, bounds: bounds)
        }
        body += figureSection("B. Gradient reaching k steps back, \(moment) (d = \(longest))", reading: reading, rows: rows)
    }

    if depths.count > 1 {
        let firstLayerNorms = Dictionary(grouping: atLongest, by: \.variant).mapValues { runs in
            Dictionary(grouping: runs, by: \.layers).mapValues { average($0.compactMap(\.recurrentGradNormInit.first)) }
        }
        let plot = depthPlot(title: "first layer at initialisation", yLabel: "‖∂L/∂W_hh‖, first layer",
                             values: firstLayerNorms, palette: palette)
        body += figureSection("C. Bottom layer's recurrent gradient against depth (d = \(longest))",
                              reading: depthReading, rows: [[plot]])
    }

    body += figureSection("D. Training curves at the longest distance (d = \(longest))", reading: measure.curveReading,
                          rows: [depths.map { curvePlot(depth: $0, runs: atDepth(atLongest, $0), measure, palette) }])
    return reportPage(title: "Long-dependency study: \(summary.task)", body: body)
}

private let seedsAtLongest = "the batch and the seeds of the runs at the longest distance"

private let profileReadingFinal = """
    The same measurement after training, on the same vertical scale. Lines flatter than at initialisation mean \
    training has opened a path for the gradient over long distances; lines as steep as before mean the variant \
    could only learn what lay close to the loss.
    """

private let depthReading = """
    The size of the gradient of the loss with respect to the bottom layer's recurrent weights before training, \
    averaged over seeds, for each depth. The axis is logarithmic. The gradient reaches the bottom layer only through \
    every layer above it, and each one can shrink it by another factor; a line that falls with depth means deeper \
    networks give their first layer less to learn from.
    """

/// The run grid in one sentence, and the flags the study was run with.
private func overview(_ results: [RunResult], _ summary: StudySummary) -> String {
    func distinct<T: Hashable>(_ key: (RunResult) -> T) -> Int { Set(results.map(key)).count }
    let grid = "\(results.count) runs: \(distinct(\.variant)) variants × \(distinct(\.layers)) depths × "
        + "\(distinct(\.distance)) distances × \(distinct(\.seed)) seeds."
    let flags = summary.configuration.sorted { $0.key < $1.key }
        .map { "<code>\(escapeMarkup($0.key)) = \(escapeMarkup($0.value.description))</code>" }
    return "<h2>Configuration</h2>\n<p>\(escapeMarkup(grid))</p>\n<p>\(flags.joined(separator: " · "))</p>\n"
}

/// Plot A for one depth: the seed mean as a line, each seed as a faint dot, the chance or baseline line.
private func scorePlot(depth: Int, runs: [RunResult], _ measure: StudyMeasure, _ palette: VariantPalette) -> SVGPlot {
    let series = palette.variants.flatMap { variant -> [SVGPlot.Series] in
        let byDistance = Dictionary(grouping: runs.filter { $0.variant == variant }, by: \.distance)
        guard !byDistance.isEmpty else { return [] }
        let seeds = byDistance.values.joined().map { (x: Double($0.distance), y: measure.score($0)) }
        let means = byDistance.sorted { $0.key < $1.key }.map { (x: Double($0.key), y: average($0.value.map(measure.score))) }
        return [.init(label: "", colour: palette.colour(variant), points: seeds, style: .markers, faint: true),
                .init(label: variant, colour: palette.colour(variant), points: means)]
    }
    // Studies usually double the distance (5, 10, 20, …); a log axis then spaces them evenly.
    let distances = Set(runs.map(\.distance)).sorted().map(Double.init)
    let spread = (distances.last ?? 1) / max(distances.first ?? 1, 1)
    return SVGPlot(title: layerCount(depth), x: .init(label: "distance d (steps)", logarithmic: spread >= 8, ticks: distances),
                   y: measure.axis(), series: series, reference: measure.reference(runs))
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
    return SVGPlot(title: layerCount(depth), x: .init(label: "training step"), y: measure.axis(),
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
    let order = { (line: StudySummary.Line) in (line.layers, palette.variants.firstIndex(of: line.variant) ?? 0) }
    var table = "<table>\n<tr><th>variant</th><th>layers</th>" + distances.map { "<th>d = \($0)</th>" }.joined()
        + "<th>longest d solved by every seed</th></tr>\n"
    for line in summary.lines.sorted(by: { order($0) < order($1) }) {
        table += "<tr><td>\(escapeMarkup(line.variant))</td><td>\(line.layers)</td>"
        for distance in distances {
            guard let index = line.distances.firstIndex(of: distance) else { table += "<td>–</td>"; continue }
            let fraction = line.solvedFraction[index]
            table += "<td style=\"background: rgba(0, 114, 178, \(String(format: "%.2f", 0.05 + 0.45 * fraction)))\">"
                + "\(Int((fraction * 100).rounded()))%</td>"
        }
        table += "<td>\(line.largestSolvedByAll.map(String.init) ?? "none")</td></tr>\n"
    }
    let reading = """
        Each cell is the share of seeds that solved the task at that distance; darker cells were solved more often. \
        The last column is the single number to compare variants by: the longest distance that every seed solved.
        """
    return "<h2>Seeds that solved each distance</h2>\n<p class=\"reading\"><b>How to read this.</b> \(reading)</p>\n"
        + table + "</table>\n"
}
