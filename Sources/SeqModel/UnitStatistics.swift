/// How many hidden units are stuck where their derivative is (nearly) zero, from the states of the last forward pass.
///
/// A dead ReLU unit (zero at every step of every sequence in the window) passes no gradient at all; a saturated
/// tanh/sigmoid value has act' ≈ 0 (|h| > 0.97 for tanh: 1 − h² < 0.06; sigmoid below 0.03 or above 0.97:
/// h(1 − h) < 0.03), so gradients through it vanish whatever W_hh does.
public struct UnitStatistics: Equatable, Sendable {
    /// Per layer: the fraction of units that are zero at every position of the window (relu; 0 otherwise).
    public var deadFraction: [Double]
    /// Per layer: the fraction of activation values in the saturated range (tanh, sigmoid; 0 otherwise).
    public var saturatedFraction: [Double]
    /// Per layer, for the LSTM's forget gates and the GRU's update gates (the gates that keep the state; their
    /// block is the second in both): the fraction above 0.97 and below 0.03. Empty for other cells.
    public var memoryGateHigh: [Double] = []
    public var memoryGateLow: [Double] = []

    public init(_ ws: Workspace) {
        let (rows, h) = (ws.steps * ws.batch, ws.config.hidden)
        deadFraction = []
        saturatedFraction = []
        for l in 0..<ws.config.layers {
            let states = ws.state(l, 1)
            var dead = 0, saturated = 0
            if ws.config.cell == .lstm || ws.config.cell == .gru {
                let (gates, width) = (ws.gates[l].data, ws.config.cell.gateCount * h)
                var high = 0, low = 0
                for r in 0..<rows {
                    for j in h..<(2 * h) {
                        let g = gates[r * width + j]
                        if g > 0.97 { high += 1 } else if g < 0.03 { low += 1 }
                    }
                }
                memoryGateHigh.append(Double(high) / Double(rows * h))
                memoryGateLow.append(Double(low) / Double(rows * h))
                deadFraction.append(0)
                saturatedFraction.append(0)
                continue
            }
            switch ws.config.activation {
            case .relu:
                for j in 0..<h {
                    var alive = false
                    for r in 0..<rows where states[r * h + j] > 0 { alive = true; break }
                    if !alive { dead += 1 }
                }
            case .tanh:
                for i in 0..<(rows * h) where abs(states[i]) > 0.97 { saturated += 1 }
            case .sigmoid:
                for i in 0..<(rows * h) where states[i] < 0.03 || states[i] > 0.97 { saturated += 1 }
            case .identity:
                break
            }
            deadFraction.append(Double(dead) / Double(h))
            saturatedFraction.append(Double(saturated) / Double(rows * h))
        }
    }
}
