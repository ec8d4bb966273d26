import XCTest
@testable import SeqKernels
@testable import SeqModel

/// The direct n-gram connections: their gradient against finite differences, the context they read across a
/// window's start, and their sparse update against the dense one.
final class DirectConnectionsTests: XCTestCase {
    private static let vocabulary = 7

    private func model(orders: Int = 3, seed: UInt64 = 3) -> RNNModel {
        var config = ModelConfig(input: .tokens(vocabulary: Self.vocabulary), hidden: 5, layers: 1, activation: .tanh,
                                 initialization: .xavier(gain: 1), head: .classification(classes: Self.vocabulary),
                                 cell: .gru)
        config.directOrders = orders
        config.directBits = 16
        let model = RNNModel(config: config, seed: seed)
        var rng = Xoshiro256StarStar(seed: seed ^ 0xD1)
        let w = model.direct!.weights
        for i in 0..<w.count { w[i] = rng.uniform(-0.5, 0.5) }
        return model
    }

    private func window(_ model: RNNModel, batch: Int, steps: Int, seed: UInt64) -> Workspace {
        let ws = Workspace(config: model.config, batch: batch, steps: steps)
        var rng = Xoshiro256StarStar(seed: seed)
        for r in 0..<(batch * steps) {
            ws.tokens[r] = Int32(rng.below(Self.vocabulary))
            ws.targets[r] = r % 5 == 4 ? -1 : Int32(rng.below(Self.vocabulary))
        }
        for i in 0..<ws.history.count { ws.history[i] = i % 3 == 2 ? -1 : Int32(rng.below(Self.vocabulary)) }
        return ws
    }

    /// ∂L/∂w from the gathered gradient against central differences of the loss, at every weight some step of
    /// the window reads (its rows overlap, so some weights collect several steps' gradients).
    func testGradientMatchesFiniteDifferences() throws {
        let model = model()
        let direct = try XCTUnwrap(model.direct)
        let ws = window(model, batch: 3, steps: 6, seed: 11)
        model.zeroGradients()
        model.forward(ws, gradient: true)
        model.backward(ws)
        direct.gatherGradient(from: [(ws, 1)])
        var read = Set<Int>()
        for i in 0..<ws.directOffsets.count where ws.directOffsets[i] >= 0 {
            for v in 0..<Self.vocabulary { read.insert(Int(ws.directOffsets[i]) + v) }
        }
        XCTAssertGreaterThan(read.count, 100)
        let probe = Workspace(config: model.config, batch: 3, steps: 6)
        func loss() -> Double {
            probe.tokens.data.update(from: ws.tokens.data, count: ws.tokens.count)
            probe.targets.data.update(from: ws.targets.data, count: ws.targets.count)
            probe.history.data.update(from: ws.history.data, count: ws.history.count)
            return model.forward(probe, gradient: false)
        }
        let eps: Float = 1e-2
        var worst = 0.0
        for i in read.sorted() {
            let w = direct.weights[i]
            direct.weights[i] = w + eps
            let up = loss()
            direct.weights[i] = w - eps
            let down = loss()
            direct.weights[i] = w
            let numeric = (up - down) / Double(2 * eps)
            let analytic = Double(direct.gradient[i])
            worst = max(worst, abs(numeric - analytic) / max(abs(numeric), 1e-3))
        }
        XCTAssertLessThan(worst, 1e-3, "largest relative error of ∂L/∂w")
        direct.discardGradient()
        XCTAssertEqual(direct.gradient.array.map(abs).max(), 0)
    }

    /// A window that starts mid-text with `history` reads the same contexts as one that holds those tokens
    /// itself; a length stops at the first unknown token (−1).
    func testContextsReachBackIntoHistoryAndStopAtTheUnknown() throws {
        let model = model(orders: 4)
        let text: [Int32] = [2, 6, 1, 0, 5, 3, 3, 4]
        let whole = Workspace(config: model.config, batch: 1, steps: text.count)
        for (t, token) in text.enumerated() { whole.tokens[t] = token }
        model.forward(whole, gradient: false)
        let tail = Workspace(config: model.config, batch: 1, steps: 3)
        text.withUnsafeBufferPointer { tail.setHistory(row: 0, from: $0, start: 5) }
        for t in 0..<3 { tail.tokens[t] = text[5 + t] }
        model.forward(tail, gradient: false)
        XCTAssertEqual(Array(UnsafeBufferPointer(start: tail.directOffsets.data, count: 12)),
                       Array(UnsafeBufferPointer(start: whole.directOffsets.data + 5 * 4, count: 12)))
        // From the start of the text, step t has t + 1 known tokens: lengths beyond them are −1.
        for t in 0..<4 {
            for n in 0..<4 { XCTAssertEqual(whole.directOffsets[t * 4 + n] >= 0, n <= t, "t = \(t), n = \(n)") }
        }
        whole.resetState()
        XCTAssertEqual(Set(UnsafeBufferPointer(start: whole.history.data, count: whole.history.count)), [-1])
    }

    /// The stream pass reads the text in windows of any size and scores it the same, to the bit: each window's
    /// history must be the text before it.
    func testStreamScoreDoesNotDependOnTheWindow() {
        let model = model(orders: 5)
        var rng = Xoshiro256StarStar(seed: 9)
        let text = (0..<200).map { _ in Int32(rng.below(Self.vocabulary)) }
        let reference = evaluateStream(model, tokens: text, chunk: 256)
        for chunk in [1, 3, 7, 64] {
            let other = evaluateStream(model, tokens: text, chunk: chunk)
            XCTAssertEqual(other.lossNats, reference.lossNats, accuracy: 1e-12 * reference.lossNats, "chunk \(chunk)")
        }
    }

    /// Adagrad on the touched intervals only equals the kernel run over the whole table (untouched entries have
    /// g = 0) bit for bit, and the Double reference to rounding, and leaves the gradient zero.
    func testSparseUpdateEqualsTheDenseOne() throws {
        for threads in [1, 2] { try checkSparseUpdate(threads: threads) }
    }

    private func checkSparseUpdate(threads: Int) throws {
        let model = model()
        let direct = try XCTUnwrap(model.direct)
        direct.threads = threads
        let ws = window(model, batch: 4, steps: 5, seed: 2)
        var rng = Xoshiro256StarStar(seed: 5)
        for i in 0..<direct.squaredGradientSum.count { direct.squaredGradientSum[i] = rng.uniform(0, 0.1) }
        model.zeroGradients()
        model.forward(ws, gradient: true)
        model.backward(ws)
        direct.gatherGradient(from: [(ws, 0.5)])
        var weights = direct.weights.array, sums = direct.squaredGradientSum.array
        var exactWeights = weights, exactSums = sums
        let gradient = direct.gradient.array
        adagradUpdate(param: &weights, grad: gradient, accumulator: &sums, count: weights.count, lr: 0.03, eps: 1e-10)
        adagradUpdateReference(param: &exactWeights, grad: gradient, accumulator: &exactSums, count: weights.count,
                               lr: 0.03, eps: 1e-10)
        XCTAssertTrue(direct.update(learningRate: 0.03, epsilon: 1e-10))
        XCTAssertEqual(direct.weights.array.map(\.bitPattern), weights.map(\.bitPattern), "\(threads) threads")
        XCTAssertEqual(direct.squaredGradientSum.array.map(\.bitPattern), sums.map(\.bitPattern))
        let error = zip(direct.weights.array, exactWeights).map { abs($0 - $1) }.max() ?? 0
        XCTAssertLessThan(error, 1e-6)
        XCTAssertEqual(direct.gradient.array.map(abs).max(), 0)
        XCTAssertNotEqual(gradient.map(abs).max(), 0)
    }
}
