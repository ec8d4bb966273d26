import Foundation

// The gradient figures both reports draw: g(k) against k per layer (plot B) and a per-variant quantity
// against depth (plot C).

/// Plot B for one depth: one panel per layer, one line per variant, from `profiles[variant][layer][k]`, and
/// for an LSTM a dashed line in its colour for the cell state's ‖∂L/∂c‖ (`cellProfiles`, same layout), the
/// path the error is meant to travel. Every panel of a figure gets the same `bounds`, so heights compare
/// across layers and before/after.
func gradientProfilePlots(depth: Int, moment: String, profiles: [String: [[Double]]],
                          cellProfiles: [String: [[Double]]] = [:], palette: VariantPalette,
                          bounds: ClosedRange<Double>) -> [SVGPlot] {
    (0..<depth).map { layer in
        let place = depth == 1 ? "" : layer == 0 ? " (bottom)" : layer == depth - 1 ? " (top)" : ""
        func line(_ profile: [[Double]]?, label: String, colour: String, dashed: Bool) -> SVGPlot.Series? {
            guard let profile, layer < profile.count, !profile[layer].isEmpty else { return nil }
            return .init(label: label, colour: colour, points: profile[layer].enumerated().map { (x: Double($0.offset), y: $0.element) },
                         style: .line, dashed: dashed)
        }
        return SVGPlot(
            title: "\(layerCount(depth)), layer \(layer + 1)\(place), \(moment)",
            x: .init(label: "k = steps back from the loss"),
            y: .init(label: cellProfiles.isEmpty ? "g(k) = ‖∂L/∂h at T−k‖" : "g(k) = ‖∂L/∂h‖, dashed ‖∂L/∂c‖, at T−k",
                     logarithmic: true, bounds: bounds),
            series: palette.variants.flatMap { variant in
                [line(profiles[variant], label: variant, colour: palette.colour(variant), dashed: false),
                 line(cellProfiles[variant], label: "\(variant) (c)", colour: palette.colour(variant), dashed: true)]
                    .compactMap { $0 }
            })
    }
}

/// How to read plot B at initialisation; `averagedOver` names what each curve is a mean of.
func profileReading(averagedOver: String) -> String {
    """
    g(k) is the size of the loss's gradient with respect to the hidden state k steps before the loss, averaged \
    over \(averagedOver), before any training. The vertical axis is logarithmic, so a straight falling line means \
    the gradient shrinks by the same factor at every step back: it vanishes geometrically, and the steeper the line \
    the faster. A flat line means the signal from far back reaches the weights intact; a rising one means it \
    explodes. For an LSTM the dashed line is the gradient with respect to its cell state c, which the forget gates \
    carry back; it can stay large where the one through h has faded. ▼ on the bottom edge are exact zeros: the gradient has underflowed float32 and the network gets no \
    signal at all from that far back. Each row is one depth; across its panels, the bottom layer receives its \
    gradient only after it has passed down through the layers above.
    """
}

/// Plot C: one value per variant and depth, against depth on a log scale.
func depthPlot(title: String, yLabel: String, values: [String: [Int: Double]], palette: VariantPalette) -> SVGPlot {
    let depths = Set(values.values.flatMap(\.keys)).sorted()
    return SVGPlot(
        title: title, x: .init(label: "layers", ticks: depths.map(Double.init)), y: .init(label: yLabel, logarithmic: true),
        series: palette.variants.compactMap { variant in
            guard let byDepth = values[variant] else { return nil }
            return .init(label: variant, colour: palette.colour(variant),
                         points: byDepth.sorted { $0.key < $1.key }.map { (x: Double($0.key), y: $0.value) })
        })
}

/// Whole decades covering every positive finite value, for a log axis several panels share.
func sharedLogBounds(_ values: [Double]) -> ClosedRange<Double> {
    let decades = PlotAxisScale.decades(covering: values.filter { $0.isFinite && $0 > 0 })
    return pow(10, decades.lowerBound)...pow(10, decades.upperBound)
}

/// The mean over seeds, element by element, of equally long profiles. An arithmetic mean, because a
/// geometric one would turn one seed's underflow into a zero for all.
func averageProfile(_ profiles: [[Double]]) -> [Double] {
    let length = profiles.map(\.count).min() ?? 0
    return (0..<length).map { k in average(profiles.map { $0[k] }) }
}

func average(_ values: [Double]) -> Double {
    values.reduce(0, +) / Double(values.count)
}

func layerCount(_ depth: Int) -> String { depth == 1 ? "1 layer" : "\(depth) layers" }
