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
        if n != ws.steps {                       // the last, shorter window: same state (h and c), fresh buffers
            let next = Workspace(config: model.config, batch: 1, steps: n)
            for (from, to) in zip(ws.recurrentStates, next.recurrentStates) {
                to.data.update(from: from.data + ws.steps * model.config.hidden, count: model.config.hidden)
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
