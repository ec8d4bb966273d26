import SeqKernels
import SeqModel

/// How much of one step's loss gradient reaches k steps back, on real text, for a model as it stands:
///
///     hidden[l][k] = mean over positions p of ‖∂ℓ_p/∂hˡ_{p−k}‖₂,   k = 0…K
///     cell[l][k]   = the same for the LSTM's cell state cˡ_{p−k}
///     input[k]     = mean over positions of ‖∂ℓ_p/∂x_{p−k}‖₂ (x the one-hot input)
///
/// where ℓ_p = −ln P(x_{p+1} | x_0…x_p). Each position's window reads tokens p − K…p from the state the stream
/// itself had there (`StreamPass`), scores only its last step, and runs BPTT with a `GradientProbe`.
public struct GradientReach: Sendable {
    /// K, the longest distance measured.
    public let distance: Int
    public let positions: Int
    /// hidden[l][k], k = 0…K.
    public let hidden: [[Double]]
    /// cell[l][k] for the LSTM; empty for the other cells.
    public let cell: [[Double]]
    /// input[k], k = 0…K.
    public let input: [Double]

    /// Every position needs K tokens before it: positions[j] ≥ K, and the stream's states after token
    /// positions[j] − K − 1 (−1 for the zero state) in `stream.states`. The model must not use dropout.
    public init(model: RNNModel, tokens: [Int32], positions: [Int], distance: Int, stream: StreamPass,
                batch: Int = 32, threads: Int = 1) {
        precondition(model.config.dropout == 0, "GradientReach: measure a model without dropout")
        precondition(distance >= 0 && !positions.isEmpty && positions.allSatisfy {
            $0 >= distance && $0 + 1 < tokens.count && stream.states[$0 - distance - 1] != nil
        }, "GradientReach: a position lacks its window, its target or its starting state")
        let groups = stride(from: 0, to: positions.count, by: batch).map { $0..<min($0 + batch, positions.count) }
        let config = model.config
        let lstm = config.cell == .lstm
        // Per group: the sums over its positions of each norm (a group's probe gives means over its rows).
        let sums = ParallelGroups.map(count: groups.count, threads: threads, model: model) { g, replica, cache in
            let rows = Array(positions[groups[g]])
            let ws = cache.workspace(config: config, batch: rows.count, steps: distance + 1)
            let inputGrads = cache.tensor([ws.steps * rows.count, config.inputWidth])
            let probe = Self.backward(replica, ws, tokens: tokens, positions: rows, stream: stream, inputGrads: inputGrads)
            // The loss is the mean over the B scored rows, so ∂ℓ_p/∂h = B·∂L/∂h and each row's norm is B times
            // its share of the probe's mean: the sum over rows of ‖∂ℓ_p/∂h‖ is B² times that mean.
            let scale = Double(rows.count * rows.count)
            let t = distance + 1
            let hidden = (0..<config.layers).map { l in (0...distance).map { k in probe.norms[l][t - k] * scale } }
            let cell = lstm ? (0..<config.layers).map { l in (0...distance).map { k in probe.cellNorms[l][t - k] * scale } } : []
            let input = (0...distance).map { k in
                GradientProbe.meanRowNorm(inputGrads.data + (t - 1 - k) * rows.count * config.inputWidth,
                                 rows: rows.count, cols: config.inputWidth) * scale
            }
            return (hidden, cell, input)
        }
        let n = Double(positions.count)
        func mean(_ pick: ((hidden: [[Double]], cell: [[Double]], input: [Double])) -> [Double]) -> [Double] {
            sums.dropFirst().reduce(pick(sums[0])) { zip($0, pick($1)).map { $0 + $1 } }.map { $0 / n }
        }
        self.distance = distance
        self.positions = positions.count
        hidden = (0..<config.layers).map { l in mean { $0.hidden[l] } }
        cell = lstm ? (0..<config.layers).map { l in mean { $0.cell[l] } } : []
        input = mean { $0.input }
    }

    /// One window per row from the stream's own state (and the tokens before, for direct connections) K + 1
    /// tokens before the position; only its last step is scored. Returns the probe of its backward pass; `inputGrads` receives ∂L/∂x_t.
    private static func backward(_ model: RNNModel, _ ws: Workspace, tokens: [Int32], positions: [Int],
                                 stream: StreamPass, inputGrads: Tensor) -> GradientProbe {
        let (b, k, h) = (positions.count, ws.steps - 1, model.config.hidden)
        for (r, p) in positions.enumerated() {
            let start = stream.states[p - k - 1]!
            for (block, state) in zip(ws.recurrentStates, start) {
                (block.data + r * h).update(from: state, count: h)
            }
        }
        tokens.withUnsafeBufferPointer { text in
            for (r, p) in positions.enumerated() { ws.setHistory(row: r, from: text, start: p - k) }
        }
        for t in 0...k {
            for (r, p) in positions.enumerated() {
                ws.tokens[t * b + r] = tokens[p - k + t]
                ws.targets[t * b + r] = t == k ? tokens[p + 1] : -1
            }
        }
        let probe = GradientProbe(layers: model.config.layers, steps: ws.steps)
        model.zeroGradients()
        model.forward(ws, gradient: true)
        model.backward(ws, probe: probe, inputGradients: inputGrads)
        return probe
    }
}
