import XCTest
@testable import SeqKernels
@testable import SeqModel
@testable import SeqTraining

/// Weight drop: the gradient it leaves is ∂L/∂W of L(m ⊙ W), checked by finite differences; W comes back
/// bit-exactly; the masks depend on the seed alone, so one and two threads still train to the same bits.
final class WeightDropTests: XCTestCase {
    private func window(_ config: ModelConfig, batch: Int, steps: Int) -> Workspace {
        let ws = Workspace(config: config, batch: batch, steps: steps)
        var rng = Xoshiro256StarStar(seed: 12)
        guard case .tokens(let v) = config.input, case .classification(let c) = config.head else { return ws }
        for r in 0..<(batch * steps) {
            ws.tokens[r] = Int32(rng.below(v))
            ws.targets[r] = Int32(rng.below(c))
        }
        for l in 0..<config.layers { for i in 0..<(batch * config.hidden) { ws.states[l][i] = rng.uniform(-0.5, 0.5) } }
        return ws
    }

    private func config(_ cell: Cell) -> ModelConfig {
        ModelConfig(input: .tokens(vocabulary: 7), hidden: 6, layers: 2, activation: .tanh,
                    initialization: cell == .rnn ? .xavier(gain: 1) : .pytorchDefault,
                    head: .classification(classes: 7), cell: cell)
    }

    /// Central differences of f(W) = L(m ⊙ W) with the mask fixed: a dropped entry does not move f at all, and a
    /// kept one matches m ⊙ ∂L/∂W̃ (Float32, ε = 1e-2: rounding ≈ 1e-5, truncation ≈ 1e-5 at these sizes).
    func testMaskedGradientMatchesFiniteDifferences() throws {
        for cell in [Cell.gru, .lstm, .rnn] {
            let config = config(cell)
            let model = RNNModel(config: config, seed: 3)
            let ws = window(config, batch: 3, steps: 5)
            let drop = try XCTUnwrap(RecurrentWeightDrop(model: model, probability: 0.4))
            let original = model.parameters.map { $0.value.array.map(\.bitPattern) }
            model.zeroGradients()
            drop.apply(seed: 99)
            model.forward(ws, gradient: true)
            model.backward(ws)
            drop.restore(maskingGradients: true)
            XCTAssertEqual(model.parameters.map { $0.value.array.map(\.bitPattern) }, original, "\(cell): W restored")
            func loss() -> Double {
                drop.apply(seed: 99)
                defer { drop.restore(maskingGradients: false) }
                return model.forward(ws, gradient: false)
            }
            var dropped = 0, worst = 0.0
            for l in 0..<config.layers {
                let w = model.recurrentParameter(layer: l)
                for i in stride(from: 0, to: w.value.count, by: 5) {
                    let saved = w.value[i], eps: Float = 1e-2
                    w.value[i] = saved + eps
                    let up = loss()
                    w.value[i] = saved - eps
                    let down = loss()
                    w.value[i] = saved
                    let numeric = (up - down) / Double(2 * eps), analytic = Double(w.grad[i])
                    if up == down {
                        dropped += 1
                        XCTAssertEqual(analytic, 0, "\(cell) \(w.name)[\(i)]: a dropped entry has no gradient")
                    } else {
                        worst = max(worst, abs(numeric - analytic) / max(abs(numeric), abs(analytic), 1e-2))
                    }
                }
            }
            XCTAssertGreaterThan(dropped, 0, "\(cell): p = 0.4 drops some of the sampled entries")
            XCTAssertLessThan(worst, 2e-3, "\(cell): worst relative error of the kept entries")
        }
    }

    /// Different seeds draw different masks, the same seed the same; about p of the entries are dropped.
    func testMasksFollowTheSeedAndTheRate() throws {
        let model = RNNModel(config: config(.gru), seed: 3)
        let drop = try XCTUnwrap(RecurrentWeightDrop(model: model, probability: 0.25))
        let w = model.recurrentParameter(layer: 0)
        let before = w.value.array
        func masked(_ seed: UInt64) -> [Float] {
            drop.apply(seed: seed)
            defer { drop.restore(maskingGradients: false) }
            return w.value.array
        }
        XCTAssertEqual(masked(1), masked(1))
        XCTAssertNotEqual(masked(1), masked(2))
        var zeros = 0, total = 0
        for seed in 0..<200 as Range<UInt64> {
            let m = masked(seed)
            zeros += zip(m, before).filter { $0.0 == 0 && $0.1 != 0 }.count
            total += m.count
        }
        XCTAssertEqual(Double(zeros) / Double(total), 0.25, accuracy: 0.01)
        XCTAssertNil(RecurrentWeightDrop(model: model, probability: 0))
    }

    /// Through the trainer: threads 1 and 2 give the same bits, a zero learning rate leaves W exactly as it was,
    /// and the masks change what is learned.
    func testTrainerMasksEveryStepAndStaysThreadIndependent() throws {
        let config = config(.gru)
        func train(threads: Int, weightDrop: Float, lr: Float = 0.01) throws -> [[UInt32]] {
            let model = RNNModel(config: config, seed: 5)
            let ws = window(config, batch: 7, steps: 9)
            var settings = TrainingSettings(optimizer: OptimizerSettings(kind: .sgd), learningRate: lr,
                                            splitBatch: true, threads: threads)
            settings.weightDrop = weightDrop
            settings.seed = 8
            let trainer = Trainer(model: model, workspace: ws, settings: settings)
            for _ in 0..<10 { _ = try trainer.step(); ws.carryState() }
            return model.parameters.map { $0.value.array.map(\.bitPattern) }
        }
        XCTAssertEqual(try train(threads: 2, weightDrop: 0.3), try train(threads: 1, weightDrop: 0.3))
        XCTAssertNotEqual(try train(threads: 1, weightDrop: 0.3), try train(threads: 1, weightDrop: 0))
        XCTAssertEqual(try train(threads: 1, weightDrop: 0.3, lr: 0), try train(threads: 1, weightDrop: 0, lr: 0))
    }
}
