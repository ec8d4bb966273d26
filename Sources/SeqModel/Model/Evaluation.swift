/// Mean cross-entropy of a classification model over a token sequence read as one stream from a zero state,
/// scoring every token after the first; windows of `chunk` steps carry the state, so the result does not
/// depend on `chunk`.
public func evaluateStream(_ model: RNNModel, tokens: [Int32], chunk: Int = 256) -> (lossNats: Double, scored: Int) {
    guard tokens.count >= 2 else { return (0, 0) }
    var total = 0.0, scored = 0
    var ws = Workspace(config: model.config, batch: 1, steps: min(chunk, tokens.count - 1))
    ws.resetState()
    var start = 0
    while start < tokens.count - 1 {
        let n = min(chunk, tokens.count - 1 - start)
        if n != ws.steps {                       // the last, shorter window: same state, fresh buffers
            let next = Workspace(config: model.config, batch: 1, steps: n)
            for l in 0..<model.config.layers {
                next.states[l].data.update(from: ws.states[l].data + ws.steps * model.config.hidden,
                                           count: model.config.hidden)
            }
            ws = next
        } else if start > 0 {
            ws.carryState()
        }
        for t in 0..<n {
            ws.tokens[t] = tokens[start + t]
            ws.targets[t] = tokens[start + t + 1]
        }
        model.forward(ws, gradient: false)
        total += ws.loss * Double(ws.scoredCount)
        scored += ws.scoredCount
        start += n
    }
    return (total / Double(scored), scored)
}

/// Mean cross-entropy over a token sequence cut into B parallel streams (much faster than one stream; only the
/// first token of each stream goes unscored). Used for validation during training.
public func evaluateStreams(_ model: RNNModel, tokens: [Int32], batch: Int, steps: Int) -> Double? {
    guard var stream = TokenStream(tokens: tokens, batch: batch, steps: steps) else { return nil }
    let ws = Workspace(config: model.config, batch: batch, steps: steps)
    var total = 0.0, scored = 0
    for w in 0..<stream.windowsPerEpoch {
        if w == 0 { ws.resetState() } else { ws.carryState() }
        _ = stream.fill(ws)
        model.forward(ws, gradient: false)
        total += ws.loss * Double(ws.scoredCount)
        scored += ws.scoredCount
    }
    return total / Double(scored)
}
