import Foundation

/// memory.html: the context-ablation curves per subset of positions and the gradient reach per layer, for every
/// model measured, and the side-by-side table.
func renderMemoryReport(_ all: [MemoryMeasurement]) -> String {
    let palette = VariantPalette(all.map(\.label))
    let lengths = all.first?.subsets.first?.curve.lengths ?? []
    let subsetNames = all.flatMap { $0.subsets.map(\.name) }.reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }

    let contextPanels = subsetNames.map { name -> SVGPlot in
        var series: [SVGPlot.Series] = []
        for m in all {
            guard let s = m.subsets.first(where: { $0.name == name }) else { continue }
            let colour = palette.colour(m.label)
            series.append(.init(label: "\(m.label) (n = \(s.curve.positions))", colour: colour,
                                points: zip(s.curve.lengths, s.curve.bits).map { (Double($0), $1) }))
            // The whole-stream figure as a dashed level across the chart, kept out of the legend.
            series.append(.init(label: "", colour: colour,
                                points: [lengths.first, lengths.last].compactMap { $0 }.map { (Double($0), s.curve.unlimitedBits) },
                                style: .line, dashed: true))
        }
        return SVGPlot(title: name, x: .init(label: "context k (characters)", logarithmic: true, ticks: lengths.map(Double.init)),
                       y: .init(label: "bits per character"), series: series)
    }

    let layers = all.map(\.layers).max() ?? 1
    let steps = SVGPlot.Axis(label: "k (steps back)", bounds: 0...Double(all.map(\.reach.distance).max() ?? 1))
    var reachPanels: [SVGPlot] = (0..<layers).map { l in
        var series: [SVGPlot.Series] = []
        for m in all where l < m.reach.hidden.count {
            let colour = palette.colour(m.label)
            series.append(.init(label: "\(m.label) h", colour: colour, points: points(m.reach.hidden[l]), style: .line))
            if l < m.reach.cell.count {
                series.append(.init(label: "\(m.label) c", colour: colour, points: points(m.reach.cell[l]),
                                    style: .line, dashed: true))
            }
        }
        return SVGPlot(title: "‖∂ℓ_t/∂h_{t−k}‖, layer \(l + 1)", x: steps,
                       y: .init(label: "mean gradient norm", logarithmic: true), series: series)
    }
    reachPanels.append(SVGPlot(title: "‖∂ℓ_t/∂x_{t−k}‖, the input", x: steps,
                               y: .init(label: "mean gradient norm", logarithmic: true),
                               series: all.map { .init(label: $0.label, colour: palette.colour($0.label),
                                                       points: points($0.reach.input), style: .line) }))

    let table = memorySideBySideRows(all)
    let tableMarkup = "<table>\n" + table.enumerated().map { i, row in
        let tag = i == 0 ? "th" : "td"
        return "<tr>" + row.map { "<\(tag)>\(escapeMarkup($0))</\(tag)>" }.joined() + "</tr>"
    }.joined(separator: "\n") + "\n</table>\n"
    let models = all.map { "<li>\(escapeMarkup($0.label)): \(escapeMarkup($0.checkpoint)), \($0.layers) × \($0.hidden), "
        + "\($0.parameters) parameters; \(escapeMarkup($0.text)), \($0.characters) characters</li>" }.joined(separator: "\n")

    let body = "<ul>\n\(models)\n</ul>\n<h2>Side by side</h2>\n<p class=\"reading\"><b>How to read this.</b> "
        + escapeMarkup("bits: the model's bits per character reading the text as one stream (what eval prints). "
            + "bits k=…: the same positions when the model may use only the last k characters. context 1% / 0.1%: "
            + "the shortest k within 1% / 0.1% of the whole-stream figure. reach k=…: ‖∂ℓ_t/∂h_{t−k}‖ / ‖∂ℓ_t/∂h_t‖ "
            + "for the top layer. far marks: at closing marks whose opener lies \(MemoryRun.farMark) or more characters "
            + "back, the bits with 16 characters of context minus those with the whole stream, ± its standard error.")
        + "</p>\n" + tableMarkup
        + figureSection("Bits per character against the context the model may use",
                        reading: "Each line is one model: the mean bits per character at a set of positions when it "
                            + "starts from the zero state k characters back; its dashed level is the same positions "
                            + "read with the whole stream before them. Where the line meets its level, more context "
                            + "no longer helps. The panels after the first restrict the positions to Portuguese sites "
                            + "whose answer lies far back (n is their count).",
                        rows: stride(from: 0, to: contextPanels.count, by: 2).map { Array(contextPanels[$0..<min($0 + 2, contextPanels.count)]) })
        + figureSection("Gradient reach on real text",
                        reading: "The mean norm of the loss gradient at one step with respect to the state k steps "
                            + "earlier (solid h, dashed the LSTM's cell state c) and to the input k steps earlier, "
                            + "averaged over positions of the text, each from the state the stream itself had there. "
                            + "A falling line is the vanishing gradient of a trained model on real text.",
                        rows: [reachPanels])
    return reportPage(title: "nlp-vanish memory: how far back the models look", body: body)
}

private func points(_ values: [Double]) -> [(x: Double, y: Double)] {
    values.enumerated().map { (Double($0), $1) }
}
