import SeqKernels
/// The loss of a window's decoder outputs and, when asked, its gradient written over the outputs in place.
///
/// Both losses are means over scored steps, so the learning rate does not depend on how many steps are scored.
enum Loss {
    /// Softmax cross-entropy against class ids (−1 = not scored). Returns (mean loss, scored count).
    static func crossEntropy(_ ws: Workspace, gradient: Bool) -> (Double, Int) {
        let rows = ws.batch * ws.steps
        var n = 0
        for r in 0..<rows where ws.targets[r] >= 0 { n += 1 }
        guard n > 0 else {
            if gradient { ws.outputs.zero() }
            return (0, 0)
        }
        let o = ws.config.outputWidth
        let total = softmaxCrossEntropy(logits: ws.outputs.data, ld: o, rows: rows, classes: o,
                                        targets: ws.targets.data,
                                        dlogits: gradient ? ws.outputs.data : nil, gradScale: 1 / Float(n))
        return (total / Double(n), n)
    }

    /// Mean squared error over scored steps and outputs: L = Σ (y − t)² / (n·O), ∂L/∂y = 2(y − t)/(n·O).
    static func meanSquaredError(_ ws: Workspace, gradient: Bool) -> (Double, Int) {
        let rows = ws.batch * ws.steps
        let o = ws.config.outputWidth
        var n = 0
        for r in 0..<rows where ws.scored[r] != 0 { n += 1 }
        let y = ws.outputs.data, target = ws.targetValues.data
        var total = 0.0
        let scale = n > 0 ? 2 / Float(n * o) : 0
        for r in 0..<rows {
            let isScored = ws.scored[r] != 0
            for j in 0..<o {
                let i = r * o + j
                let diff = y[i] - target[i]
                if isScored { total += Double(diff) * Double(diff) }
                if gradient { y[i] = isScored ? scale * diff : 0 }
            }
        }
        return (n > 0 ? total / Double(n * o) : 0, n)
    }
}
