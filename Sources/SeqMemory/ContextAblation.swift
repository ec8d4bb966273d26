import SeqKernels
import SeqModel

/// The loss at chosen positions when the model may use only the last k tokens: for position p (predicting token
/// p + 1), the network starts from the zero state at token p − k + 1 and reads tokens p − k + 1…p.
///
/// Positions are taken `batch` at a time as the rows of one window, always in the same groups whatever the thread
/// count, so the losses are the same bits with one thread or two.
public enum ContextAblation {
    /// losses[i][j] = ℓ_{positions[j]} in nats with context `lengths[i]`. Every position must have that much
    /// context: positions[j] ≥ max(lengths) − 1, and positions[j] + 1 < tokens.count.
    public static func losses(model: RNNModel, tokens: [Int32], positions: [Int], lengths: [Int], batch: Int = 64,
                              threads: Int = 1, progress: ((Int) -> Void)? = nil) -> [[Double]] {
        let longest = lengths.max() ?? 0
        precondition(positions.allSatisfy { $0 >= longest - 1 && $0 + 1 < tokens.count },
                     "ContextAblation: a position lacks the context or the target it needs")
        precondition(lengths.allSatisfy { $0 >= 1 } && batch >= 1 && threads >= 1, "ContextAblation: bad arguments")
        let groups = stride(from: 0, to: positions.count, by: batch).map { $0..<min($0 + batch, positions.count) }
        var out: [[Double]] = []
        for k in lengths {
            let perGroup = ParallelGroups.map(count: groups.count, threads: threads, model: model) { g, replica, cache in
                let rows = groups[g]
                let ws = cache.workspace(config: replica.config, batch: rows.count, steps: k)
                return windowLosses(replica, ws, tokens: tokens, positions: Array(positions[rows]), length: k)
            }
            out.append(perGroup.flatMap { $0 })
            progress?(k)
        }
        return out
    }

    /// One window of B = positions.count rows and T = k steps from the zero state; only the last step is scored.
    private static func windowLosses(_ model: RNNModel, _ ws: Workspace, tokens: [Int32], positions: [Int],
                                     length k: Int) -> [Double] {
        let b = positions.count, o = model.config.outputWidth
        ws.resetState()
        for t in 0..<k {
            for (r, p) in positions.enumerated() {
                ws.tokens[t * b + r] = tokens[p - k + 1 + t]
                ws.targets[t * b + r] = t == k - 1 ? tokens[p + 1] : -1
            }
        }
        model.forward(ws, gradient: false)
        return (0..<b).map { r in
            let row = (k - 1) * b + r
            return softmaxCrossEntropy(logits: ws.outputs.data + row * o, ld: o, rows: 1, classes: o,
                                       targets: ws.targets.data + row, dlogits: nil, gradScale: 1)
        }
    }
}
