#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import SeqKernels
import SeqModel

/// The gradient profile of a freshly initialised network, no training: how the gradient of a loss at the last
/// step spreads back through time and down through layers. Cheap (one forward and backward per seed) and the
/// clearest picture of the vanishing gradient there is.
public struct GradientFlow: Sendable {
    public var variant: Variant
    public var layers: Int
    /// profile[l][k]: mean over seeds of the batch-mean ‖∂L/∂h_{T−k}‖ of layer l (0 = first), k = 0…T.
    public var profile: [[Double]]
    /// The same for ‖∂L/∂c_{T−k}‖, the LSTM's cell state (empty for other cells).
    public var cellProfile: [[Double]]
    /// ‖∂L/∂W_hh‖ per layer, mean over seeds.
    public var recurrentGradNorms: [Double]

    /// Measures `variant` at depth `layers` on `task`, averaging `seeds` initialisations (each on the same batch).
    public init(variant: Variant, layers: Int, hidden: Int, task: some SequenceTask, seeds: Int, batch: Int = 256) {
        flushDenormalsToZero()
        self.variant = variant
        self.layers = layers
        let config = ModelConfig(input: task.input, hidden: hidden, layers: layers, activation: variant.activation,
                                 initialization: variant.initialization(horizon: task.steps), head: task.head,
                                 cell: variant.cell)
        let ws = Workspace(config: config, batch: batch, steps: task.steps)
        var rng = Xoshiro256StarStar(seed: stableHash("gradflow-batch/\(task.kind.rawValue)/\(task.distance)"))
        task.fill(ws, rng: &rng)
        profile = Array(repeating: Array(repeating: 0, count: task.steps + 1), count: layers)
        cellProfile = variant.cell == .lstm ? profile : []
        recurrentGradNorms = Array(repeating: 0, count: layers)
        for s in 1...max(seeds, 1) {
            let model = RNNModel(config: config, seed: stableHash("gradflow/\(variant)/L\(layers)/H\(hidden)/s\(s)"))
            ws.resetState()
            model.forward(ws, gradient: true)
            let probe = GradientProbe(layers: layers, steps: task.steps)
            model.backward(ws, probe: probe)
            let recurrent = model.parameterNorms.filter { $0.name.hasPrefix("rnn.weight_hh_l") }
            for l in 0..<layers {
                for k in 0...task.steps { profile[l][k] += probe.norm(layer: l, stepsBack: k) / Double(seeds) }
                if !cellProfile.isEmpty {
                    for k in 0...task.steps { cellProfile[l][k] += probe.cellNorms[l][task.steps - k] / Double(seeds) }
                }
                recurrentGradNorms[l] += recurrent[l].gradient / Double(seeds)
            }
        }
    }

    /// The geometric-mean factor by which the first layer's gradient changes per step back, measured between
    /// k = 1 and the last k at which it is still positive (k = 0 also carries the loss's direct term).
    public var decayPerStep: Double? {
        let g = profile[0]
        guard g.count > 2, g[1] > 0, let last = g.indices.last(where: { $0 > 1 && g[$0] > 0 }) else { return nil }
        return exp((log(g[last]) - log(g[1])) / Double(last - 1))
    }

    /// The first k at which the first layer's gradient is exactly zero (below float32's normal range), if any.
    public var underflowStep: Int? { profile[0].firstIndex(of: 0) }
}
