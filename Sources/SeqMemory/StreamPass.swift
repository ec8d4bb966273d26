import SeqKernels
import SeqModel

/// One pass over a token stream from a zero state, as `eval` reads it, keeping what the memory measurements need:
/// the loss at every position and the recurrent states at chosen points.
///
/// Position p is the step that has read tokens 0…p and predicts token p + 1: ℓ_p = −ln P(x_{p+1} | x_0…x_p).
public struct StreamPass: Sendable {
    /// ℓ_p in nats for p = 0…n − 2.
    public let losses: [Double]
    /// For each requested point q, every block of `Workspace.recurrentStates` (h of each layer, then the LSTM's c)
    /// after reading tokens 0…q, H floats per block; q = −1 is the zero state.
    public let states: [Int: [[Float]]]

    /// The mean of ℓ_p over every position: `evaluateStream`'s figure.
    public var meanLoss: Double { losses.isEmpty ? 0 : losses.reduce(0, +) / Double(losses.count) }

    public init(model: RNNModel, tokens: [Int32], statesAfter points: Set<Int> = []) {
        let h = model.config.hidden, o = model.config.outputWidth
        var losses = [Double](repeating: 0, count: max(tokens.count - 1, 0))
        var states: [Int: [[Float]]] = [:]
        let blocks = model.config.cell == .lstm ? 2 * model.config.layers : model.config.layers
        if points.contains(-1) { states[-1] = Array(repeating: Array(repeating: 0, count: h), count: blocks) }
        readStream(model, tokens: tokens) { ws, start, n in
            for j in 0..<n {
                losses[start + j] = softmaxCrossEntropy(logits: ws.outputs.data + j * o, ld: o, rows: 1, classes: o,
                                                        targets: ws.targets.data + j, dlogits: nil, gradScale: 1)
                if points.contains(start + j) {
                    states[start + j] = ws.recurrentStates.map { Array(UnsafeBufferPointer(start: $0.data + (j + 1) * h, count: h)) }
                }
            }
        }
        self.losses = losses
        self.states = states
    }
}
