import Foundation

/// The report of a measurement-only run: g(k) at initialisation for each variant and depth, no training.
/// `profile[l][k]` is layer l's (0 = bottom) gradient norm k steps back over a sequence of `length` steps;
/// entries repeated for one variant and depth (several seeds) are averaged.
///
/// Without training there is no ‖∂L/∂W_hh‖, so plot C shows Σₖ g(k) of the bottom layer instead: the
/// per-step gradients that its recurrent weight gradient is summed from.
func renderGradientFlowReport(profiles: [(variant: String, layers: Int, profile: [[Double]])], length: Int) -> String {
    let palette = VariantPalette(profiles.map(\.variant))
    let depths = Set(profiles.map(\.layers)).sorted()
    let bounds = sharedLogBounds(profiles.flatMap { $0.profile.joined() })
    let means = Dictionary(grouping: profiles, by: \.layers).mapValues { atDepth in
        Dictionary(grouping: atDepth, by: \.variant).mapValues { entries in
            (0..<atDepth[0].layers).map { layer in averageProfile(entries.compactMap { layer < $0.profile.count ? $0.profile[layer] : nil }) }
        }
    }
    let reading = "g(k) is the size of the loss's gradient with respect to the hidden state k steps before the loss (sequences of \(length) steps), averaged over the batch, before any training. The vertical axis is logarithmic, so a straight falling line means the gradient shrinks by the same factor at every step back: it vanishes geometrically, and the steeper the line the faster. A flat line means a signal from far back would reach the weights intact; a rising one means it explodes. ▼ on the bottom edge are exact zeros: the gradient has underflowed float32. Each row is one depth; across its panels, the bottom layer receives its gradient only after it has passed down through the layers above."
    var body = figureSection("Gradient reaching k steps back", reading: reading, rows: depths.map { depth in
        gradientProfilePlots(depth: depth, moment: "at initialisation", profiles: means[depth]!, palette: palette, bounds: bounds)
    })
    if depths.count > 1 {
        let totals = palette.variants.reduce(into: [String: [Int: Double]]()) { totals, variant in
            for depth in depths { totals[variant, default: [:]][depth] = means[depth]?[variant]?.first.map { $0.reduce(0, +) } }
        }
        body += figureSection("Bottom layer's gradient against depth",
                              reading: "The sum over all steps of the bottom layer's g(k): the gradient its recurrent weights are built from. The axis is logarithmic; a line falling with depth means each layer added above leaves the first layer less to learn from.",
                              rows: [[depthPlot(title: "first layer at initialisation", yLabel: "Σₖ g(k), first layer",
                                                values: totals, palette: palette)]])
    }
    return reportPage(title: "Gradient flow at initialisation (T = \(length))", body: body)
}
