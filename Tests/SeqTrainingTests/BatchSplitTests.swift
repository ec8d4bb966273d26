import XCTest
@testable import SeqKernels
@testable import SeqModel
@testable import SeqTraining

/// The two-half computation: the same gradients as one pass up to rounding, and bit-identical on 1 or 2 threads.
final class BatchSplitTests: XCTestCase {
    private func window(_ config: ModelConfig, batch: Int, steps: Int) -> Workspace {
        let ws = Workspace(config: config, batch: batch, steps: steps)
        var rng = Xoshiro256StarStar(seed: 4)
        for r in 0..<(batch * steps) {
            switch config.input {
            case .tokens(let v): ws.tokens[r] = Int32(rng.below(v))
            case .dense(let d): for i in 0..<d { ws.inputs[r * d + i] = rng.uniform(-1, 1) }
            }
            switch config.head {
            case .classification(let c): ws.targets[r] = r % 3 == 0 ? -1 : Int32(rng.below(c))
            case .regression(let o):
                for i in 0..<o { ws.targetValues[r * o + i] = rng.uniform(0, 2) }
                ws.scored[r] = r % 2 == 0 ? 1 : 0
            }
        }
        for l in 0..<config.layers { for i in 0..<(batch * config.hidden) { ws.states[l][i] = rng.uniform(-0.5, 0.5) } }
        if case .tokens(let v) = config.input {
            for i in 0..<ws.history.count { ws.history[i] = i % 4 == 3 ? -1 : Int32(rng.below(v)) }
        }
        return ws
    }

    /// A token model with direct connections (`DirectConnections`) of contexts up to `orders` long.
    private func withDirect(_ config: ModelConfig, orders: Int = 4) -> ModelConfig {
        var c = config
        c.directOrders = orders
        c.directBits = 16
        return c
    }

    func testSplitGradientsEqualOnePassUpToRounding() throws {
        let tokens = ModelConfig(input: .tokens(vocabulary: 11), hidden: 20, layers: 2, activation: .tanh,
                                 initialization: .xavier(gain: 1), head: .classification(classes: 11))
        let configs = [
            tokens,
            withDirect(tokens),
            ModelConfig(input: .dense(features: 2), hidden: 9, layers: 1, activation: .relu,
                        initialization: .identity(scale: 1), head: .regression(outputs: 1)),
        ]
        for config in configs {
            for batch in [2, 5] {
                let model = RNNModel(config: config, seed: 8)
                let whole = window(config, batch: batch, steps: 6), halves = window(config, batch: batch, steps: 6)
                if let direct = model.direct {     // weights away from zero, so the logits depend on them
                    var rng = Xoshiro256StarStar(seed: 12)
                    for i in 0..<direct.weights.count { direct.weights[i] = rng.uniform(-0.3, 0.3) }
                }
                model.zeroGradients()
                let loss = model.forward(whole, gradient: true)
                model.backward(whole)
                let expected = model.parameters.map(\.grad.array)
                model.direct?.gatherGradient(from: [(whole, 1)])
                let expectedDirect = model.direct?.gradient.array
                model.direct?.discardGradient()
                let split = try XCTUnwrap(BatchSplit(model: model, workspace: halves, threads: 1))
                split.forwardBackward(model, halves)
                if let direct = model.direct, let want = expectedDirect {
                    let error = zip(direct.gradient.array, want).map { abs($0 - $1) }.max() ?? 0
                    XCTAssertNotEqual(want.map(abs).max(), 0)
                    XCTAssertLessThanOrEqual(error, 1e-5 * (want.map(abs).max() ?? 0), "direct.weight, B = \(batch)")
                    direct.discardGradient()
                }
                XCTAssertEqual(halves.loss, loss, accuracy: 1e-6 * max(1, loss))
                for (p, want) in zip(model.parameters, expected) {
                    let scale = want.map(abs).max() ?? 0
                    let error = zip(p.grad.array, want).map { abs($0 - $1) }.max() ?? 0
                    XCTAssertLessThanOrEqual(error, 1e-5 * max(scale, 1e-12), "\(p.name), B = \(batch)")
                }
                // The carried state h_T of every row comes back to the window's workspace.
                let h = config.hidden, last = 6 * batch * h
                for l in 0..<config.layers {
                    let a = Array(UnsafeBufferPointer(start: whole.states[l].data + last, count: batch * h))
                    let b = Array(UnsafeBufferPointer(start: halves.states[l].data + last, count: batch * h))
                    XCTAssertEqual(a, b)
                }
            }
        }
    }

    func testOneAndTwoThreadsTrainBitIdentically() throws {
        let plain = ModelConfig(input: .tokens(vocabulary: 13), hidden: 24, layers: 2, activation: .tanh,
                                initialization: .xavier(gain: 1), head: .classification(classes: 13))
        for config in [plain, withDirect(plain, orders: 6)] {
            func train(threads: Int) throws -> [[UInt32]] {
                let model = RNNModel(config: config, seed: 5)
                let ws = window(config, batch: 7, steps: 9)
                let trainer = Trainer(model: model, workspace: ws, settings: TrainingSettings(
                    optimizer: OptimizerSettings(kind: .adam), learningRate: 0.01, splitBatch: true, threads: threads))
                for _ in 0..<15 { _ = try trainer.step(); ws.carryState() }
                return (model.parameters.map(\.value) + (model.direct.map { [$0.weights, $0.squaredGradientSum] } ?? []))
                    .map { $0.array.map(\.bitPattern) }
            }
            let one = try train(threads: 1)
            XCTAssertEqual(try train(threads: 2), one)
            if config.directOrders > 0 { XCTAssertNotEqual(Set(one.last!), [0], "the direct table trained") }
        }
    }
}
