/// Reads a token sequence as one stream from a zero state, in windows of `chunk` steps that carry the state
/// (h and c) from one to the next, so what a step computes does not depend on `chunk`. After each window's
/// forward pass `visit(ws, start, n)` sees it: row j (j < n) of the window read token `start + j`, was scored
/// against token `start + j + 1`, and left its states in row j + 1 of `ws.recurrentStates`.
public func readStream(_ model: RNNModel, tokens: [Int32], chunk: Int = 256,
                       visit: (_ ws: Workspace, _ start: Int, _ n: Int) -> Void) {
    guard tokens.count >= 2 else { return }
    var ws = Workspace(config: model.config, batch: 1, steps: min(chunk, tokens.count - 1))
    ws.resetState()
    var start = 0
    while start < tokens.count - 1 {
        let n = min(chunk, tokens.count - 1 - start)
        if n != ws.steps {                       // the last, shorter window: same state (h and c), fresh buffers
            let next = Workspace(config: model.config, batch: 1, steps: n)
            for (from, to) in zip(ws.recurrentStates, next.recurrentStates) {
                to.data.update(from: from.data + ws.steps * model.config.hidden, count: model.config.hidden)
            }
            ws = next
        } else if start > 0 {
            ws.carryState()
        }
        tokens.withUnsafeBufferPointer { ws.setHistory(row: 0, from: $0, start: start) }
        for t in 0..<n {
            ws.tokens[t] = tokens[start + t]
            ws.targets[t] = tokens[start + t + 1]
        }
        model.forward(ws, gradient: false)
        visit(ws, start, n)
        start += n
    }
}

/// Mean cross-entropy of a classification model over a token sequence read as one stream from a zero state,
/// scoring every token after the first (`readStream`); the result does not depend on `chunk`.
public func evaluateStream(_ model: RNNModel, tokens: [Int32], chunk: Int = 256) -> (lossNats: Double, scored: Int) {
    var total = 0.0, scored = 0
    readStream(model, tokens: tokens, chunk: chunk) { ws, _, _ in
        total += ws.loss * Double(ws.scoredCount)
        scored += ws.scoredCount
    }
    return (scored > 0 ? total / Double(scored) : 0, scored)
}
