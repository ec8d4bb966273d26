import Foundation
import SeqKernels
import SeqModel

/// One window's forward and backward computed as two half-batches, on one thread or two, with identical results.
///
/// Rows of a batch are independent until the gradients are summed, so the window's B sequences are cut into
/// halves A (rows 0..<B_A) and B, each run by a replica of the model that shares its weights but owns its
/// gradients. The full-batch gradient is then w_A·g_A + w_B·g_B with w = (scored steps in the half) / (scored
/// steps in the window) — always in that order, so the arithmetic is the same whether the halves ran one after
/// the other or at the same time: `--threads 2` gives bit-for-bit the numbers of `--threads 1`.
final class BatchSplit: @unchecked Sendable {
    private let replicas: [RNNModel]
    private let halves: [Workspace]
    /// First batch row of each half.
    private let firstRows: [Int]
    private let threads: Int
    /// Each half's own timer while the window's workspace carries one (`nlp-vanish profile --threads 2`): the
    /// halves may run at the same time, and a timer is not shared between threads.
    private let halfTimers = [PhaseTimer(), PhaseTimer()]

    /// Nil when the batch has a single sequence (nothing to split).
    init?(model: RNNModel, workspace ws: Workspace, threads: Int) {
        guard ws.batch >= 2 else { return nil }
        let sizes = [(ws.batch + 1) / 2, ws.batch / 2]
        replicas = sizes.map { _ in RNNModel(sharingWeightsOf: model) }
        halves = sizes.map { Workspace(config: model.config, batch: $0, steps: ws.steps) }
        firstRows = [0, sizes[0]]
        self.threads = threads
    }

    /// Fills `model`'s gradients (overwriting them) and `ws`'s loss and states from the window in `ws`.
    func forwardBackward(_ model: RNNModel, _ ws: Workspace) {
        var mark = ws.clockReading()
        for (half, first) in zip(halves, firstRows) { copyRows(from: ws, into: half, first: first) }
        ws.lap(.batchSplit, &mark)
        let timed = ws.timer != nil
        for (i, (half, timer)) in zip(halves, halfTimers).enumerated() {
            if timed { timer.reset() }      // (a reset allocates: untimed steps skip it)
            half.timer = timed ? timer : nil
            half.dropoutSeed = ws.dropoutSeed &+ UInt64(i) &* 0xD1B5_4A32_D192_ED03   // masks of its own per half
        }
        let work: @Sendable (Int) -> Void = { [self] i in
            flushDenormalsToZero()
            var mark = halves[i].clockReading()
            replicas[i].zeroGradients()
            halves[i].lap(.optimizer, &mark)
            replicas[i].forward(halves[i], gradient: true)
            replicas[i].backward(halves[i])
        }
        if threads >= 2 {
            DispatchQueue.concurrentPerform(iterations: 2, execute: work)
        } else {
            for i in 0..<2 { work(i) }
        }
        ws.timer?.add(halfTimers, concurrent: threads >= 2)
        mark = ws.clockReading()
        let scored = halves.reduce(0) { $0 + $1.scoredCount }
        for (p, parameter) in model.parameters.enumerated() {
            parameter.grad.zero()
            for (replica, half) in zip(replicas, halves) where half.scoredCount > 0 {
                let g = replica.parameters[p].grad
                add(g.data, scaledBy: Float(half.scoredCount) / Float(scored), into: parameter.grad.data, count: g.count)
            }
        }
        // Half A's rows, then half B's: the same sums on one thread or two.
        model.direct?.gatherGradient(from: halves.filter { $0.scoredCount > 0 }.map {
            ($0, Float($0.scoredCount) / Float(scored))
        })
        ws.setLoss(scored > 0 ? halves.reduce(0) { $0 + $1.loss * Double($1.scoredCount) } / Double(scored) : 0,
                   scoredCount: scored)
        for (half, first) in zip(halves, firstRows) { copyStates(from: half, into: ws, first: first) }
        ws.lap(.batchSplit, &mark)
    }

    /// The window's inputs, targets, the tokens before it and carried-in state h₀ for batch rows
    /// first..<first + half.batch.
    private func copyRows(from ws: Workspace, into half: Workspace, first: Int) {
        let (T, B, n) = (ws.steps, ws.batch, half.batch)
        for t in 0..<T {
            let (src, dst) = (t * B + first, t * n)
            if half.tokens.count > 0 { (half.tokens.data + dst).update(from: ws.tokens.data + src, count: n) }
            if half.targets.count > 0 { (half.targets.data + dst).update(from: ws.targets.data + src, count: n) }
            for (a, b) in [(ws.inputs, half.inputs), (ws.targetValues, half.targetValues), (ws.scored, half.scored)]
            where b.count > 0 {
                let width = b.count / (T * n)
                (b.data + dst * width).update(from: a.data + src * width, count: n * width)
            }
        }
        for k in 0..<(half.history.count / n) {
            (half.history.data + k * n).update(from: ws.history.data + k * B + first, count: n)
        }
        let h = ws.config.hidden
        for (whole, part) in zip(ws.recurrentStates, half.recurrentStates) {
            part.data.update(from: whole.data + first * h, count: n * h)
        }
    }

    /// Every state h₀…h_T (and c₀…c_T) of the half back into its rows of `ws` (the next window carries h_T from
    /// there).
    private func copyStates(from half: Workspace, into ws: Workspace, first: Int) {
        let (B, n, h) = (ws.batch, half.batch, ws.config.hidden)
        for (whole, part) in zip(ws.recurrentStates, half.recurrentStates) {
            for t in 0...ws.steps {
                (whole.data + (t * B + first) * h).update(from: part.data + t * n * h, count: n * h)
            }
        }
    }
}
