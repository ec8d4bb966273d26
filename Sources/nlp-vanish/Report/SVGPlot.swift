import Foundation

/// A line or scatter chart rendered as a self-contained SVG 1.1 element for the HTML reports.
///
/// It draws just what the reports need — lines, markers, faint per-seed points, log axes spanning forty
/// decades, a labelled reference line — and one thing generic chart code gets wrong: values a log axis
/// cannot show (a sigmoid RNN's gradient underflows to exactly 0 in float32) are drawn as ▼ on the bottom
/// edge with a note, never dropped, because those zeros are the result. No fonts, ids or scripts of its own, so
/// many charts share a page and print in black and white. The page's script hides or shows a series when its
/// legend entry is clicked: `<g class="legend-entry" data-series="N">` toggles every `<g class="series"
/// data-series="N">` in the same SVG.
struct SVGPlot {
    struct Series {
        enum Style { case line, markers, lineAndMarkers }
        /// Shown in the legend; an empty label keeps the series out of it (individual seeds behind a mean).
        var label: String
        var colour: String
        var points: [(x: Double, y: Double)]
        var style = Style.lineAndMarkers
        var dashed = false
        /// Drawn thin and translucent, so the mean in front of it stays readable.
        var faint = false
    }

    struct Axis {
        var label: String
        var logarithmic = false
        /// Fixed bounds (accuracy's 0…1, a range shared by panels); nil fits the data.
        var bounds: ClosedRange<Double>? = nil
        /// Ticks at given values (the distances studied); nil picks 1-2-5 steps or decades.
        var ticks: [Double]? = nil
    }

    /// A horizontal line such as chance accuracy, named in the legend.
    struct ReferenceLine {
        var y: Double
        var label: String
    }

    var title: String
    var x: Axis
    var y: Axis
    var series: [Series]
    var reference: ReferenceLine? = nil
    var unplottableNote = "▼ on the bottom edge = 0 (float32 underflow) or not finite"

    // Layout in pixels at natural size (the page scales a chart down to fit its column): the plot area, and the
    // margins that hold the title, ticks and axis labels.
    private let plotWidth = 560.0, plotHeight = 320.0
    private let left = 70.0, top = 34.0, bottom = 50.0, noteHeight = 20.0, legendRow = 20.0
    private let referenceColour = "#444444"

    func svg() -> String {
        let xScale = PlotAxisScale(x, fitting: series.flatMap { $0.points.map(\.x) })
        let yScale = PlotAxisScale(y, fitting: series.flatMap { $0.points.map(\.y) } + (reference.map { [$0.y] } ?? []))
        let plottable = { (p: (x: Double, y: Double)) in xScale.fraction(p.x) != nil && yScale.fraction(p.y) != nil }
        let labelled = series.filter { !$0.label.isEmpty }
        // The reference line is named in the legend rather than on the plot, where it would cover data.
        let legend = labelled
            + (reference.map { [Series(label: $0.label, colour: referenceColour, points: [], style: .line, dashed: true)] }
                ?? [])
        let legendWidth = legend.isEmpty ? 0 : 44 + 7.5 * Double(legend.map(\.label.count).max() ?? 0)
        let hasUnplottable = series.contains { !$0.points.allSatisfy(plottable) }
        let width = left + plotWidth + 12 + legendWidth
        let height = max(top + plotHeight + bottom + (hasUnplottable ? noteHeight : 0),
                         top + legendRow * Double(legend.count) + 10)
        let px = { (v: Double) in self.left + self.plotWidth * min(max(xScale.fraction(v) ?? 0, 0), 1) }
        let py = { (v: Double) in self.top + self.plotHeight * (1 - min(max(yScale.fraction(v) ?? 0, 0), 1)) }

        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
            + "width=\"\(f(width))\" height=\"\(f(height))\" viewBox=\"0 0 \(f(width)) \(f(height))\" "
            + "font-family=\"sans-serif\" font-size=\"13\" role=\"img\">\n"
            + "<title>\(escapeMarkup(title))</title>\n<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n"
            + text(escapeMarkup(title), x: left, y: 20, attributes: "font-size=\"14\" font-weight=\"bold\"")
        for tick in xScale.ticks {
            out += line(px(tick), top, px(tick), top + plotHeight, stroke: "#dddddd")
                + text(xScale.tickLabel(tick), x: px(tick), y: top + plotHeight + 18, attributes: "text-anchor=\"middle\"")
        }
        for tick in yScale.ticks {
            out += line(left, py(tick), left + plotWidth, py(tick), stroke: "#dddddd")
                + text(yScale.tickLabel(tick), x: left - 6, y: py(tick) + 4, attributes: "text-anchor=\"end\"")
        }
        out += "<rect x=\"\(f(left))\" y=\"\(f(top))\" width=\"\(f(plotWidth))\" height=\"\(f(plotHeight))\" "
            + "fill=\"none\" stroke=\"black\"/>\n"
            + text(escapeMarkup(x.label), x: left + plotWidth / 2, y: top + plotHeight + 40,
                   attributes: "text-anchor=\"middle\"")
            + text(escapeMarkup(y.label), x: 0, y: 0,
                   attributes: "text-anchor=\"middle\" transform=\"translate(16 \(f(top + plotHeight / 2))) rotate(-90)\"")
        if let reference, yScale.fraction(reference.y) != nil {
            out += group(legend.count - 1, line(left, py(reference.y), left + plotWidth, py(reference.y),
                                                 stroke: referenceColour, dash: "6 3", width: 1.5))
        }
        // Legend entry i names labelled series i; an unlabelled one (a seed behind its mean) goes with its colour's.
        let entry = { (series: Series) in
            labelled.firstIndex { series.label.isEmpty ? $0.colour == series.colour : $0.label == series.label }
        }
        for series in series.filter(\.faint) + series.filter({ !$0.faint }) {
            out += group(entry(series), draw(series, plottable: plottable, at: { (px($0.x), py($0.y)) }))
        }
        for (index, series) in legend.enumerated() {
            out += legendEntry(series, index: index, x: left + plotWidth + 12, y: top + 8 + legendRow * Double(index),
                               width: legendWidth)
        }
        if hasUnplottable {
            out += text(escapeMarkup(unplottableNote), x: left, y: top + plotHeight + bottom + 12,
                        attributes: "font-size=\"12\"")
        }
        return out + "</svg>\n"
    }

    /// Drawn elements in the group the legend entry `index` toggles.
    private func group(_ index: Int?, _ content: String) -> String {
        guard !content.isEmpty else { return "" }
        return "<g class=\"series\"" + (index.map { " data-series=\"\($0)\"" } ?? "") + ">\n" + content + "</g>\n"
    }

    /// One series: polylines broken at unplottable points, markers, and ▼ at the edge for the unplottable
    /// ones (`position` clamps what an axis cannot show to its low end).
    private func draw(_ series: Series, plottable: ((x: Double, y: Double)) -> Bool,
                      at position: ((x: Double, y: Double)) -> (Double, Double)) -> String {
        let opacity = series.faint ? " opacity=\"0.35\"" : ""
        var out = ""
        if series.style != .markers {
            var runs: [[(x: Double, y: Double)]] = [[]]
            for point in series.points {
                if plottable(point) {
                    runs[runs.count - 1].append(point)
                } else if !runs[runs.count - 1].isEmpty {
                    runs.append([])
                }
            }
            for run in runs where run.count > 1 {
                let coordinates = run.map { let (x, y) = position($0); return "\(f(x)),\(f(y))" }.joined(separator: " ")
                let dash = series.dashed ? " stroke-dasharray=\"6 3\"" : ""
                out += "<polyline points=\"\(coordinates)\" fill=\"none\" stroke=\"\(series.colour)\" "
                    + "stroke-width=\"\(series.faint ? 1 : 2)\"\(dash)\(opacity)/>\n"
            }
            // A lone point (a run solved at its first test) has no segment to draw: a dot keeps it visible.
            for run in runs where run.count == 1 && series.style == .line {
                let (x, y) = position(run[0])
                out += "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"2.5\" fill=\"\(series.colour)\"\(opacity)/>\n"
            }
        }
        for point in series.points {
            let (x, y) = position(point)
            // Hovering a marker shows the value it stands for (the exact 0 or NaN behind a ▼).
            let tooltip = "<title>x = \(String(format: "%g", point.x)), y = \(String(format: "%.4g", point.y))</title>"
            if !plottable(point) {
                out += "<path class=\"unplottable\" d=\"M\(f(x - 4)),\(f(y - 7)) h8 l-4,7 z\" fill=\"white\" "
                    + "stroke=\"\(series.colour)\" stroke-width=\"1.5\"\(opacity)>\(tooltip)</path>\n"
            } else if series.style != .line {
                out += "<circle cx=\"\(f(x))\" cy=\"\(f(y))\" r=\"\(series.faint ? 2.5 : 3.5)\" "
                    + "fill=\"\(series.colour)\"\(opacity)>\(tooltip)</circle>\n"
            }
        }
        return out
    }

    /// A legend row: a white backing rect makes the whole row clickable, not just its strokes and letters.
    private func legendEntry(_ series: Series, index: Int, x: Double, y: Double, width: Double) -> String {
        var out = "<g class=\"legend-entry\" data-series=\"\(index)\" style=\"cursor:pointer\">\n"
            + "<title>click to hide or show</title>\n"
            + "<rect x=\"\(f(x - 2))\" y=\"\(f(y - legendRow / 2))\" width=\"\(f(width))\" height=\"\(f(legendRow))\" "
            + "fill=\"white\"/>\n"
        if series.style != .markers {
            out += line(x, y, x + 24, y, stroke: series.colour, dash: series.dashed ? "6 3" : nil, width: 2)
        }
        if series.style != .line {
            out += "<circle cx=\"\(f(x + 12))\" cy=\"\(f(y))\" r=\"3.5\" fill=\"\(series.colour)\"/>\n"
        }
        return out + text(escapeMarkup(series.label), x: x + 30, y: y + 4) + "</g>\n"
    }

    private func line(_ x1: Double, _ y1: Double, _ x2: Double, _ y2: Double, stroke: String,
                      dash: String? = nil, width: Double = 1) -> String {
        "<line x1=\"\(f(x1))\" y1=\"\(f(y1))\" x2=\"\(f(x2))\" y2=\"\(f(y2))\" stroke=\"\(stroke)\" "
            + "stroke-width=\"\(f(width))\"" + (dash.map { " stroke-dasharray=\"\($0)\"" } ?? "") + "/>\n"
    }

    /// A text element; `content` must already be markup (escaped text, or tick labels with a tspan).
    private func text(_ content: String, x: Double, y: Double, attributes: String = "") -> String {
        "<text x=\"\(f(x))\" y=\"\(f(y))\" \(attributes)>\(content)</text>\n"
    }

    private func f(_ value: Double) -> String { String(format: "%.1f", value) }
}
