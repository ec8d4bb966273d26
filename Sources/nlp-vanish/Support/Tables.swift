import Foundation
import SeqStudy

/// The end-of-study table: fraction of seeds solved per variant and distance, one block per depth.
func printStudyTable(_ summary: StudySummary, results: [RunResult]) {
    for layers in Set(summary.lines.map(\.layers)).sorted() {
        let lines = summary.lines.filter { $0.layers == layers }
        // A shard may hold some distances of one variant and others of another: the columns are their union.
        let distances = Set(lines.flatMap(\.distances)).sorted()
        guard !distances.isEmpty else { continue }
        print("\n\(summary.task), \(layers) layer\(layers == 1 ? "" : "s"): fraction of seeds solved (mean test "
              + (summary.task == .adding ? "MSE" : "accuracy") + ")")
        print("variant".padding(toLength: 18, withPad: " ", startingAt: 0)
              + distances.map { "d=\($0)".padding(toLength: 14, withPad: " ", startingAt: 0) }.joined())
        for line in lines {
            var row = line.variant.padding(toLength: 18, withPad: " ", startingAt: 0)
            for distance in distances {
                let cell = line.distances.firstIndex(of: distance).map {
                    String(format: "%.2f (%.3f)", line.solvedFraction[$0], line.meanScore[$0])
                } ?? "–"
                row += cell.padding(toLength: 14, withPad: " ", startingAt: 0)
            }
            print(row)
        }
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
