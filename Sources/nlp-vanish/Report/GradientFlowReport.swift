import Foundation

/// The report of a measurement-only run: g(k) at initialisation for each variant and depth, no training.
/// `profile[l][k]` is layer l's (0 = bottom) gradient norm k steps back over a sequence of `length` steps, and
/// `firstLayerGradient` the bottom layer's ‖∂L/∂W_hh‖; entries repeated for one variant and depth (several
/// seeds) are averaged.
func renderGradientFlowReport(profiles: [(variant: String, layers: Int, profile: [[Double]], firstLayerGradient: Double)],
                              cellProfiles: [(variant: String, layers: Int, profile: [[Double]])] = [],
                              length: Int) -> String {
    let palette = VariantPalette(profiles.map(\.variant))
    let bounds = sharedLogBounds(profiles.flatMap { $0.profile.joined() } + cellProfiles.flatMap { $0.profile.joined() })
    func mean(_ entries: [(variant: String, layers: Int, profile: [[Double]])]) -> [Int: [String: [[Double]]]] {
        Dictionary(grouping: entries, by: \.layers).mapValues { atDepth in
            Dictionary(grouping: atDepth, by: \.variant).mapValues { entries in
                (0..<atDepth[0].layers).map { layer in
                    averageProfile(entries.compactMap { layer < $0.profile.count ? $0.profile[layer] : nil })
                }
            }
        }
    }
    let means = mean(profiles.map { ($0.variant, $0.layers, $0.profile) }).sorted { $0.key < $1.key }
    let cellMeans = mean(cellProfiles)

    var body = figureSection("Gradient reaching k steps back",
                             reading: profileReading(averagedOver: "the batch (sequences of \(length) steps)"),
                             rows: means.map { depth, byVariant in
        gradientProfilePlots(depth: depth, moment: "at initialisation", profiles: byVariant,
                             cellProfiles: cellMeans[depth] ?? [:], palette: palette, bounds: bounds)
    })
    if means.count > 1 {
        var totals: [String: [Int: Double]] = [:]
        for (_, entries) in Dictionary(grouping: profiles, by: { "\($0.variant)/\($0.layers)" }) {
            totals[entries[0].variant, default: [:]][entries[0].layers] = average(entries.map(\.firstLayerGradient))
        }
        let plot = depthPlot(title: "first layer at initialisation", yLabel: "‖∂L/∂W_hh‖, first layer",
                             values: totals, palette: palette)
        body += figureSection("Bottom layer's gradient against depth", reading: """
            The gradient of the bottom layer's recurrent weights, summed from its per-step gradients. The axis is \
            logarithmic; a line falling with depth means each layer added above leaves the first layer less to \
            learn from.
            """, rows: [[plot]])
    }
    return reportPage(title: "Gradient flow at initialisation (T = \(length))", body: body)
}
