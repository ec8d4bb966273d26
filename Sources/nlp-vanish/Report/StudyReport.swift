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
    if results.contains(where: { $0.stepsToSolve != nil }) {
        body += figureSection("A′. Steps to solve against distance", reading: stepsReading,
                              rows: [depths.map { stepsPlot(depth: $0, runs: atDepth(results, $0), palette) }])
    }

    let bounds = sharedLogBounds(atLongest.flatMap { $0.profiles.flatMap(\.norms) })
    let moments = [("at initialisation", "init", profileReading(averagedOver: seedsAtLongest)),
                   ("after training", "final", profileReadingFinal)]
    for (moment, phase, reading) in moments where atLongest.contains(where: { $0.profiles.contains { $0.phase == phase } }) {
        let rows = depths.map { depth in
            gradientProfilePlots(depth: depth, moment: moment,
                                 profiles: meanProfiles(atDepth(atLongest, depth), phase: phase, quantity: "h"),
                                 cellProfiles: meanProfiles(atDepth(atLongest, depth), phase: phase, quantity: "c"),
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
    if atLongest.contains(where: { $0.curve.contains { $0.memoryGateHigh != nil } }) {
        body += figureSection("E. Memory gates during training (d = \(longest))", reading: gateReading,
                              rows: [depths.map { gatePlot(depth: $0, runs: atDepth(atLongest, $0), palette) }])
    }
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
    let seedsPerCell = summary.lines.flatMap(\.runs)
    let seeds = seedsPerCell.min() == seedsPerCell.max() ? "\(seedsPerCell.first ?? 0) seeds"
        : "\(seedsPerCell.min()!)–\(seedsPerCell.max()!) seeds (more where the outcome was uncertain)"
    let grid = "\(results.count) runs: \(distinct(\.variant)) variants × \(distinct(\.layers)) depths × "
        + "\(distinct(\.distance)) distances × \(seeds)."
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

private let stepsReading = """
    The cost of distance, beside the cliff: for the seeds that solved a distance, how many training steps they \
    needed (the line is the median, the faint dots are the seeds; a run stops when solved). A line that climbs with \
    distance means the variant pays for every extra step of dependency even where it still succeeds; a variant \
    missing at a distance solved it with no seed there.
    """

/// Plot A′ for one depth: the median steps to solve per distance, and each solving seed as a faint dot.
private func stepsPlot(depth: Int, runs: [RunResult], _ palette: VariantPalette) -> SVGPlot {
    let series = palette.variants.flatMap { variant -> [SVGPlot.Series] in
        let solved = runs.filter { $0.variant == variant && $0.stepsToSolve != nil }
        guard !solved.isEmpty else { return [] }
        let medians = Dictionary(grouping: solved, by: \.distance).sorted { $0.key < $1.key }.compactMap { distance, runs in
            StudySummary.SolveSteps(runs.compactMap(\.stepsToSolve)).map { (x: Double(distance), y: $0.median) }
        }
        return [.init(label: "", colour: palette.colour(variant),
                      points: solved.map { (x: Double($0.distance), y: Double($0.stepsToSolve!)) }, style: .markers, faint: true),
                .init(label: variant, colour: palette.colour(variant), points: medians)]
    }
    let distances = Set(runs.map(\.distance)).sorted().map(Double.init)
    let spread = (distances.last ?? 1) / max(distances.first ?? 1, 1)
    return SVGPlot(title: layerCount(depth), x: .init(label: "distance d (steps)", logarithmic: spread >= 8, ticks: distances),
                   y: .init(label: "training steps to solve"), series: series)
}

private let gateReading = """
    For the LSTM (forget gates) and the GRU (update gates): the share of gate values above 0.97 on the test \
    sequences, each time the run was tested (solid; one line per seed), and below 0.03 (dashed). A gate near 1 \
    keeps its unit's state, and with it the path the gradient travels back; near 0 it overwrites it. Untrained \
    gates sit near ½ and hold nothing; a run that learns a long dependency has to open some of them.
    """

/// Plot E for one depth: the gated runs' memory-gate shares over training, holding (solid) and dropping (dashed).
private func gatePlot(depth: Int, runs: [RunResult], _ palette: VariantPalette) -> SVGPlot {
    var named = Set<String>()
    let series = palette.variants.flatMap { variant in
        runs.filter { $0.variant == variant && $0.curve.contains { $0.memoryGateHigh != nil } }.flatMap { run in
            let first = named.insert(variant).inserted
            return [SVGPlot.Series(label: first ? "\(variant) > 0.97" : "", colour: palette.colour(variant),
                                   points: run.curve.compactMap { p in p.memoryGateHigh.map { (x: Double(p.step), y: $0) } },
                                   style: .line),
                    SVGPlot.Series(label: first ? "\(variant) < 0.03" : "", colour: palette.colour(variant),
                                   points: run.curve.compactMap { p in p.memoryGateLow.map { (x: Double(p.step), y: $0) } },
                                   style: .line, dashed: true)]
        }
    }
    return SVGPlot(title: layerCount(depth), x: .init(label: "training step"),
                   y: .init(label: "share of memory gates", bounds: 0...1), series: series)
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

/// Per variant, the seeds' mean profile of each layer at one phase ("init" or "final") of one quantity: "h" for
/// ‖∂L/∂h‖ (records written before the LSTM existed name none), "c" for the LSTM's ‖∂L/∂c‖. Variants without
/// records of the quantity are left out.
private func meanProfiles(_ runs: [RunResult], phase: String, quantity: String) -> [String: [[Double]]] {
    Dictionary(grouping: runs, by: \.variant).compactMapValues { runs -> [[Double]]? in
        let records = runs.flatMap(\.profiles).filter { $0.phase == phase && ($0.quantity ?? "h") == quantity }
        guard !records.isEmpty else { return nil }
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
                + "\(line.solved[index])/\(line.runs[index])<br><small>\(line.solvedInterval[index])</small></td>"
        }
        table += "<td>\(line.largestSolvedByAll.map(String.init) ?? "none")</td></tr>\n"
    }
    let reading = """
        Each cell is how many seeds solved the task at that distance, out of how many ran, and below it the 95% \
        Wilson interval of the solve rate: the range of rates these seeds cannot rule out. Three seeds out of three \
        still allow a rate as low as 0.44; two distances differ beyond chance only when their intervals do not \
        overlap, and the verdict above claims a difference only then. Darker cells were solved more often. The last \
        column is the longest distance that every seed solved.
        """
    return "<h2>Seeds that solved each distance</h2>\n<p class=\"reading\"><b>How to read this.</b> \(reading)</p>\n"
        + table + "</table>\n"
}
