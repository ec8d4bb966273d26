import Foundation
import XCTest
import SeqKernels
import SeqModel
@testable import SeqMemory

/// The measurements agree with the model's own passes on random networks of every cell: the whole-stream figure
/// with `evaluateStream`, a context as long as the text with the stream, the reach with finite differences, and
/// one thread with two bit for bit.
final class MemoryConsistencyTests: XCTestCase {
    static let vocabulary = 11

    static func model(_ cell: Cell, layers: Int = 2, hidden: Int = 12, seed: UInt64 = 7) -> RNNModel {
        let activation: Activation = cell == .indrnn ? .relu : .tanh
        let initialization: Initialization = cell == .indrnn ? .indRNN(horizon: 20) : .pytorchDefault
        let config = ModelConfig(input: .tokens(vocabulary: vocabulary), hidden: hidden, layers: layers,
                                 activation: activation, initialization: initialization,
                                 head: .classification(classes: vocabulary), cell: cell)
        return RNNModel(config: config, seed: seed)
    }

    static func text(_ count: Int, seed: UInt64 = 3) -> [Int32] {
        var rng = Xoshiro256StarStar(seed: seed)
        return (0..<count).map { _ in Int32(rng.next() % UInt64(vocabulary)) }
    }

    func testStreamPassEqualsEvaluateStream() {
        for cell in Cell.allCases {
            let model = Self.model(cell), text = Self.text(700)
            let stream = StreamPass(model: model, tokens: text)
            let (loss, scored) = evaluateStream(model, tokens: text)
            XCTAssertEqual(stream.losses.count, scored)
            XCTAssertEqual(stream.meanLoss, loss, accuracy: 1e-6 * loss, "\(cell)")
        }
    }

    /// A context that reaches back to the text's first token is the stream itself.
    func testContextToTheStartIsTheStream() {
        for cell in Cell.allCases {
            let model = Self.model(cell), text = Self.text(120)
            let stream = StreamPass(model: model, tokens: text)
            for p in [40, 63, 64, 100] {
                let nats = ContextAblation.losses(model: model, tokens: text, positions: [p], lengths: [p + 1])
                XCTAssertEqual(nats[0][0], stream.losses[p], accuracy: 1e-5 * stream.losses[p], "\(cell), p = \(p)")
            }
        }
    }

    func testTwoThreadsGiveTheBitsOfOne() {
        for cell in Cell.allCases {
            let model = Self.model(cell), text = Self.text(400)
            let positions = Array(stride(from: 40, to: 390, by: 3))
            let one = ContextAblation.losses(model: model, tokens: text, positions: positions, lengths: [1, 8, 32],
                                             batch: 16, threads: 1)
            let two = ContextAblation.losses(model: model, tokens: text, positions: positions, lengths: [1, 8, 32],
                                             batch: 16, threads: 2)
            XCTAssertEqual(one.map { $0.map(\.bitPattern) }, two.map { $0.map(\.bitPattern) }, "\(cell)")
            let stream = StreamPass(model: model, tokens: text, statesAfter: Set(positions.map { $0 - 31 }))
            let a = GradientReach(model: model, tokens: text, positions: positions, distance: 30, stream: stream,
                                  batch: 8, threads: 1)
            let b = GradientReach(model: model, tokens: text, positions: positions, distance: 30, stream: stream,
                                  batch: 8, threads: 2)
            XCTAssertEqual(a.hidden.map { $0.map(\.bitPattern) }, b.hidden.map { $0.map(\.bitPattern) }, "\(cell)")
            XCTAssertEqual(a.input.map(\.bitPattern), b.input.map(\.bitPattern), "\(cell)")
            XCTAssertEqual(a.cell.map { $0.map(\.bitPattern) }, b.cell.map { $0.map(\.bitPattern) }, "\(cell)")
        }
    }

    /// ‖∂ℓ_p/∂h_{p−K}‖ from the reach against central differences of ℓ_p in that state, which is the stream's
    /// state after token p − K: perturb it and read tokens p − K + 1…p from it. One layer (below the top, a state
    /// also feeds the layer above at its own step, which a restart from it skips) and one position (so the norm
    /// is the gradient's own). The LSTM's c is perturbed with h = o ⊙ tanh(c) following it, o = h / tanh(c),
    /// since its reach counts both paths. Float32 passes: the tolerance of a difference quotient in Float.
    func testReachAgainstFiniteDifferences() {
        for cell in Cell.allCases {
            let model = Self.model(cell, layers: 1, hidden: 8), text = Self.text(80)
            let (p, k) = (60, 6)
            let stream = StreamPass(model: model, tokens: text, statesAfter: [p - k - 1, p - k])
            let reach = GradientReach(model: model, tokens: text, positions: [p], distance: k, stream: stream)
            let start = stream.states[p - k]!
            func loss(_ state: [[Float]]) -> Double {
                let ws = Workspace(config: model.config, batch: 1, steps: k)
                for (block, values) in zip(ws.recurrentStates, state) { block.data.update(from: values, count: values.count) }
                for t in 0..<k {
                    ws.tokens[t] = text[p - k + 1 + t]
                    ws.targets[t] = t == k - 1 ? text[p + 1] : -1
                }
                return model.forward(ws, gradient: false)
            }
            let eps: Float = 1e-2
            func numericNorm(_ perturb: (inout [[Float]], Int, Float) -> Void) -> Double {
                var squares = 0.0
                for i in 0..<start[0].count {
                    var up = start, down = start
                    perturb(&up, i, eps)
                    perturb(&down, i, -eps)
                    let g = (loss(up) - loss(down)) / Double(2 * eps)
                    squares += g * g
                }
                return squares.squareRoot()
            }
            let hNumeric = numericNorm { state, i, e in state[0][i] += e }
            XCTAssertEqual(reach.hidden[0][k], hNumeric, accuracy: 2e-3 * max(hNumeric, 1e-2), "\(cell), h")
            if cell == .lstm {
                let cNumeric = numericNorm { state, i, e in
                    let o = state[0][i] / tanh(state[1][i])
                    state[1][i] += e
                    state[0][i] = o * tanh(state[1][i])
                }
                XCTAssertEqual(reach.cell[0][k], cNumeric, accuracy: 2e-3 * max(cNumeric, 1e-2), "lstm, c")
            }
        }
    }

    /// ∂L/∂x_t for the first layer (RNNModel.backward's inputGradients) against central differences on a dense
    /// input; and a token model's gradient equals the dense model's on the one-hot inputs.
    func testInputGradientsAgainstFiniteDifferences() {
        for cell in Cell.allCases {
            let (v, batch, steps) = (Self.vocabulary, 2, 5)
            let tokensModel = Self.model(cell, layers: 2, hidden: 8)
            let denseConfig = ModelConfig(input: .dense(features: v), hidden: 8, layers: 2,
                                          activation: tokensModel.config.activation,
                                          initialization: tokensModel.config.initialization,
                                          head: .classification(classes: v), cell: cell)
            let dense = RNNModel(config: denseConfig, seed: 1)
            for (to, from) in zip(dense.parameters, tokensModel.parameters) { to.value.data.update(from: from.value.data, count: from.value.count) }
            let text = Self.text(batch * steps + 1, seed: 9)
            let (wsT, wsD) = (Workspace(config: tokensModel.config, batch: batch, steps: steps),
                              Workspace(config: denseConfig, batch: batch, steps: steps))
            wsD.inputs.zero()
            for r in 0..<batch * steps {
                wsT.tokens[r] = text[r]
                wsD.inputs.data[r * v + Int(text[r])] = 1
                wsT.targets[r] = text[r + 1]
                wsD.targets[r] = text[r + 1]
            }
            let (gradT, gradD) = (Tensor([batch * steps, v]), Tensor([batch * steps, v]))
            for (model, ws, grad) in [(tokensModel, wsT, gradT), (dense, wsD, gradD)] {
                ws.resetState()
                model.zeroGradients()
                model.forward(ws, gradient: true)
                model.backward(ws, inputGradients: grad)
            }
            for i in 0..<gradT.count { XCTAssertEqual(gradT.data[i], gradD.data[i], accuracy: 1e-6, "\(cell) \(i)") }
            let eps: Float = 1e-2
            for i in stride(from: 0, to: batch * steps * v, by: 3) {
                let saved = wsD.inputs.data[i]
                wsD.inputs.data[i] = saved + eps
                wsD.resetState()
                let up = dense.forward(wsD, gradient: false)
                wsD.inputs.data[i] = saved - eps
                wsD.resetState()
                let down = dense.forward(wsD, gradient: false)
                wsD.inputs.data[i] = saved
                let numeric = (up - down) / Double(2 * eps)
                XCTAssertEqual(Double(gradD.data[i]), numeric, accuracy: 2e-3 * max(abs(numeric), 1e-2), "\(cell) element \(i)")
            }
        }
    }
}
