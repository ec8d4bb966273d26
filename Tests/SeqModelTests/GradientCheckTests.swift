import XCTest
@testable import SeqKernels
@testable import SeqModel

/// Finite differences (central, in Double) check the reference model's BPTT, and the reference checks the SIMD
/// Float32 model: every parameter of every combination of depth × activation × loss placement × input kind.
final class GradientCheckTests: XCTestCase {
    /// max |numeric − analytic| / max(|numeric|, |analytic|, floor) over every parameter element.
    static let finiteDifferenceTolerance = 1e-3
    /// max |float − double| / max|double| per tensor (Float32 arithmetic and the vectorised tanh/sigmoid).
    static let modelTolerance = 1e-4

    func testEveryConfigurationAgainstFiniteDifferences() throws {
        var cases = 0
        for layers in 1...3 {
            for activation in [Activation.tanh, .relu, .sigmoid] {
                for lastStepOnly in [false, true] {
                    for dense in [false, true] {
                        try check(layers: layers, activation: activation, lastStepOnly: lastStepOnly, dense: dense)
                        cases += 1
                    }
                }
            }
        }
        XCTAssertEqual(cases, 36)
    }

    func testIdentityActivationAndRegressionHead() throws {
        try check(layers: 2, activation: .identity, lastStepOnly: false, dense: true)
        try check(layers: 2, activation: .tanh, lastStepOnly: true, dense: true, regression: true)
        try check(layers: 1, activation: .relu, lastStepOnly: false, dense: true, regression: true)
    }

    /// Dropout between layers and before the decoder: the model's masks, copied into the reference, give the same
    /// gradients, and finite differences with those masks fixed check the reference (1–3 layers).
    func testDropoutAgainstReferenceAndFiniteDifferences() throws {
        for layers in 1...3 {
            try check(layers: layers, activation: .tanh, lastStepOnly: false, dense: false, dropout: 0.3)
        }
        try check(layers: 2, activation: .relu, lastStepOnly: true, dense: true, dropout: 0.5)
    }

    /// A GEMM-sized case (H = 40 crosses the 16-wide and 8-wide SIMD tiles with remainders) against the
    /// reference only; finite differences at this size would add nothing the small cases do not show.
    func testWiderModelAgainstReference() throws {
        try check(layers: 2, activation: .tanh, lastStepOnly: false, dense: false, hidden: 40, batch: 5,
                  steps: 6, finiteDifferences: false)
    }

    private func check(layers: Int, activation: Activation, lastStepOnly: Bool, dense: Bool,
                       regression: Bool = false, hidden: Int = 5, batch: Int = 3, steps: Int = 4,
                       finiteDifferences: Bool = true, dropout: Float = 0) throws {
        let label = "L=\(layers) \(activation) \(lastStepOnly ? "last" : "every") \(dense ? "dense" : "one-hot")\(regression ? " mse" : "")"
        let (v, d, o) = (7, 3, regression ? 2 : 6)
        let config = ModelConfig(input: dense ? .dense(features: d) : .tokens(vocabulary: v), hidden: hidden,
                                 layers: layers, activation: activation, initialization: .normal(sigma: 0.5),
                                 head: regression ? .regression(outputs: o) : .classification(classes: o),
                                 dropout: dropout)
        let model = RNNModel(config: config, seed: 42)
        let ws = Workspace(config: config, batch: batch, steps: steps)
        var window = ReferenceRNN.Window(steps: steps, batch: batch, h0: [])
        var rng = Xoshiro256StarStar(seed: 7)

        for l in 0..<layers {   // a carried-in state, so ∂L/∂h₀ is exercised too
            var h0 = [[Double]]()
            for b in 0..<batch {
                let row = (0..<hidden).map { _ in Double(rng.uniform(-0.5, 0.5)) }
                for j in 0..<hidden { ws.states[l][b * hidden + j] = Float(row[j]) }
                h0.append(row.map { Double(Float($0)) })
            }
            window.h0.append(h0)
        }
        let rows = ReferenceRows(filling: ws, dense: dense, lastStepOnly: lastStepOnly, regression: regression,
                                 rng: &rng)
        (window.tokens, window.inputs, window.targets) = (rows.tokens, rows.inputs, rows.targets)
        (window.values, window.scored) = (rows.values, rows.scored)

        // The model's pass first, so that its dropout masks exist for the reference to use.
        model.zeroGradients()
        ws.dropoutSeed = 99
        let loss = model.forward(ws, gradient: true)
        var reference = ReferenceRNN(model)
        if dropout > 0 {
            XCTAssertTrue(ws.droppedOut)
            let masks = ws.dropoutMasks.map(\.array)
            XCTAssertTrue(masks.allSatisfy { $0.contains(0) && $0.contains(1 / (1 - dropout)) }, "masks, \(label)")
            reference.masks = (0..<layers).map { l in
                (0...steps).map { t in
                    t == 0 ? [] : (0..<batch).map { b in
                        (0..<hidden).map { j in Double(masks[l][((t - 1) * batch + b) * hidden + j]) }
                    }
                }
            }
        }
        let (analytic, dh0, profile) = reference.gradients(window)

        if finiteDifferences {
            let eps = 1e-6
            var worst = 0.0
            for p in 0..<analytic.count {
                for i in 0..<analytic[p].count {
                    var plus = reference, minus = reference
                    plus[parameter: p, element: i] += eps
                    minus[parameter: p, element: i] -= eps
                    let numeric = (plus.loss(window) - minus.loss(window)) / (2 * eps)
                    worst = max(worst, relativeError(numeric, analytic[p][i]))
                }
            }
            for l in 0..<layers {   // ∂L/∂h₀
                for b in 0..<batch {
                    for j in 0..<hidden {
                        var plus = window, minus = window
                        plus.h0[l][b][j] += eps
                        minus.h0[l][b][j] -= eps
                        let numeric = (reference.loss(plus) - reference.loss(minus)) / (2 * eps)
                        worst = max(worst, relativeError(numeric, dh0[l][b][j]))
                    }
                }
            }
            XCTAssertLessThanOrEqual(worst, Self.finiteDifferenceTolerance, "finite differences, \(label)")
        }

        let probe = GradientProbe(layers: layers, steps: steps)
        model.backward(ws, probe: probe)
        XCTAssertEqual(loss, reference.loss(window), accuracy: 1e-5 * max(1, abs(loss)), "loss, \(label)")
        for (p, parameter) in model.parameters.enumerated() {
            let error = tensorError(parameter.grad.array, analytic[p])
            XCTAssertLessThanOrEqual(error, Self.modelTolerance, "\(parameter.name), \(label)")
        }
        for l in 0..<layers {
            XCTAssertLessThanOrEqual(tensorError(ws.initialStateGrads[l].array, dh0[l].flatMap { $0 }),
                                     Self.modelTolerance, "∂L/∂h₀ layer \(l), \(label)")
            XCTAssertLessThanOrEqual(tensorError(probe.norms[l].map(Float.init), profile[l]),
                                     Self.modelTolerance, "gradient profile layer \(l), \(label)")
        }
    }

    private func relativeError(_ a: Double, _ b: Double) -> Double {
        abs(a - b) / max(abs(a), abs(b), 1e-6)
    }

    private func tensorError(_ got: [Float], _ want: [Double]) -> Double {
        precondition(got.count == want.count)
        let scale = want.map(abs).max() ?? 0
        guard scale > 0 else { return got.map { Double(abs($0)) }.max() ?? 0 }
        return zip(got, want).map { abs(Double($0) - $1) }.max()! / scale
    }
}
