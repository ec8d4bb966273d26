import Foundation
import SeqStudy

/// The end-of-study tables, one pair per depth: seeds solved per variant and distance with the 95% Wilson
/// interval of the solve rate, then the median steps to solve (and range) over the seeds that solved.
func printStudyTable(_ summary: StudySummary, results: [RunResult]) {
    for layers in Set(summary.lines.map(\.layers)).sorted() {
        let lines = summary.lines.filter { $0.layers == layers }
        // A shard may hold some distances of one variant and others of another: the columns are their union.
        let distances = Set(lines.flatMap(\.distances)).sorted()
        guard !distances.isEmpty else { continue }
        let depth = "\(summary.task), \(layers) layer\(layers == 1 ? "" : "s")"
        printGrid("\(depth): seeds solved, and the 95% interval of the solve rate", lines: lines, distances: distances) {
            "\($0.solved[$1])/\($0.runs[$1]) \($0.solvedInterval[$1])"
        }
        guard lines.contains(where: { $0.stepsToSolve.contains { $0 != nil } }) else { continue }
        printGrid("\(depth): steps to solve, median (range) over the seeds that solved", lines: lines,
                  distances: distances) { line, i in
            line.stepsToSolve[i].map { steps in
                steps.min == steps.max ? "\(steps.min)" : String(format: "%g (%d–%d)", steps.median, steps.min, steps.max)
            } ?? "–"
        }
    }
}

/// One variant per row, one distance per column; `cell` formats line, index into its distances.
private func printGrid(_ title: String, lines: [StudySummary.Line], distances: [Int],
                       cell: (StudySummary.Line, Int) -> String) {
    let cells = lines.map { line in
        distances.map { distance in line.distances.firstIndex(of: distance).map { cell(line, $0) } ?? "–" }
    }
    let width = (cells.joined().map(\.count) + distances.map { "d=\($0)".count }).max()! + 2
    let nameWidth = max(16, (lines.map(\.variant.count).max() ?? 0) + 2)
    func pad(_ text: String, _ width: Int) -> String { text.padding(toLength: width, withPad: " ", startingAt: 0) }
    func printTrimmed(_ text: String) { print(String(text.reversed().drop { $0 == " " }.reversed())) }
    print("\n" + title)
    printTrimmed(pad("variant", nameWidth) + distances.map { pad("d=\($0)", width) }.joined())
    for (line, row) in zip(lines, cells) {
        printTrimmed(pad(line.variant, nameWidth) + row.map { pad($0, width) }.joined())
    }
}

/// g(k) at a few distances, the per-step decay, where float32 underflows, and first vs last layer.
func printGradientFlowTable(_ flows: [GradientFlow], length: Int) {
    let ks = [0, 1, 10, 50, length - 1].filter { $0 < length }
    print("gradient ‖∂L/∂h_{T−k}‖ at initialisation, first layer, T = \(length) (mean of seeds, batch 256)")
    print("variant".padding(toLength: 16, withPad: " ", startingAt: 0) + "L  "
          + ks.map { "k=\($0)".padding(toLength: 10, withPad: " ", startingAt: 0) }.joined()
          + "decay/step  zero from k   first÷last ‖∇W_hh‖")
    for f in flows {
        var row = f.variant.description.padding(toLength: 16, withPad: " ", startingAt: 0) + "\(f.layers)  "
        for k in ks { row += String(format: "%-10.2e", f.profile[0][k]) }
        row += (f.decayPerStep.map { String(format: "%.3f", $0) } ?? "–").padding(toLength: 12, withPad: " ", startingAt: 0)
        row += (f.underflowStep.map(String.init) ?? "–").padding(toLength: 14, withPad: " ", startingAt: 0)
        row += f.layers > 1 ? String(format: "%.3g", f.recurrentGradNorms[0] / f.recurrentGradNorms[f.layers - 1]) : "–"
        print(row)
    }
}
