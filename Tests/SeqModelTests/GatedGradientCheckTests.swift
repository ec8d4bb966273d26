import XCTest
@testable import SeqKernels
@testable import SeqModel

/// The gated cells (LSTM, GRU) and IndRNN, checked the way `GradientCheckTests` checks the Elman cell: central
/// finite differences (in Double) check `ReferenceGatedRNN`'s hand-written BPTT, and the reference checks the SIMD
/// Float32 model — loss, states, every parameter gradient, ∂L/∂h₀ and ∂L/∂c₀, and the gradient probe's profiles.
/// Planted bugs in the reference's backward show that both checks would catch a slip of that kind.
final class GatedGradientCheckTests: XCTestCase {
    /// max |numeric − analytic| / max(|numeric|, |analytic|, floor) over every parameter and initial-state element.
    static let finiteDifferenceTolerance = 1e-3
    /// max |float − double| / max|double| per tensor (Float32 arithmetic and the vectorised tanh/sigmoid). The
    /// gated cells meet the Elman test's bound: their extra products (gates times states, c carried through f) add
    /// a few roundings per step, far below 1e-4 at these sizes (see the worst errors the tests print).
    static let modelTolerance = 1e-4
    /// What a planted bug must exceed in both checks: an order of magnitude above the tolerances.
    static let bugThreshold = 1e-2

    static let cells: [Cell] = [.lstm, .gru, .indrnn]

    struct Case {
        var cell: Cell
        var layers: Int
        var lastStepOnly = false
        var dense = false
        var regression = false
        var activation = Activation.relu   // IndRNN's nonlinearity; ignored by lstm and gru
        var dropout: Float = 0
        var hidden = 5
        var batch = 3
        var steps = 4
        var finiteDifferences = true
        var bug = ReferenceGatedRNN.PlantedBug.none

        var label: String {
            var s = "\(cell) L=\(layers) \(lastStepOnly ? "last" : "every") \(dense ? "dense" : "one-hot")"
            if cell == .indrnn { s += " \(activation)" }
            if regression { s += " mse" }
            if dropout > 0 { s += " dropout=\(dropout)" }
            if hidden != 5 || batch != 3 || steps != 4 { s += " H=\(hidden) B=\(batch) T=\(steps)" }
            if bug != .none { s += " bug=\(bug)" }
            return s
        }
    }

    /// What one case measured.
    struct Outcome {
        var label: String
        /// Worst finite-difference error of the reference's analytic gradients; nil when not run.
        var finiteDifferenceWorst: Double?
        /// Model vs reference, per tensor (loss, states, gradients, profiles), relative.
        var errors: [(name: String, error: Double)]
        var modelWorst: Double { errors.map(\.error).max() ?? 0 }
        var worstTensor: String { errors.max { $0.error < $1.error }.map { "\($0.name) \($0.error)" } ?? "-" }
    }

    // MARK: - Tests

    /// Every cell × depth 1…3 × loss at every step or the last only × token or dense input (36 cases).
    func testEveryConfigurationAgainstFiniteDifferencesAndModel() throws {
        var outcomes = [Outcome]()
        for cell in Self.cells {
            for layers in 1...3 {
                for lastStepOnly in [false, true] {
                    for dense in [false, true] {
                        outcomes.append(try checkCorrect(Case(cell: cell, layers: layers, lastStepOnly: lastStepOnly,
                                                              dense: dense)))
                    }
                }
            }
        }
        XCTAssertEqual(outcomes.count, 36)
        report("configurations", outcomes)
    }

    /// Dropout between layers and before the decoder: the model's masks, copied into the reference, give the same
    /// gradients, and finite differences with those masks fixed check the reference.
    func testDropoutAgainstReferenceAndFiniteDifferences() throws {
        var outcomes = [Outcome]()
        for cell in [Cell.lstm, .gru] {
            outcomes.append(try checkCorrect(Case(cell: cell, layers: 2, dropout: 0.3)))
            outcomes.append(try checkCorrect(Case(cell: cell, layers: 2, lastStepOnly: true, dense: true,
                                                  dropout: 0.5)))
        }
        outcomes.append(try checkCorrect(Case(cell: .indrnn, layers: 2, dropout: 0.3)))
        report("dropout", outcomes)
    }

    /// A GEMM-sized case (H = 40: 4H = 160 and 3H = 120 gate columns, and H itself, cross the 16- and 8-wide SIMD
    /// tiles with remainders) against the reference only; finite differences at this size would add nothing the
    /// small cases do not show.
    func testWiderModelsAgainstReference() throws {
        var outcomes = [Outcome]()
        for cell in Self.cells {
            outcomes.append(try checkCorrect(Case(cell: cell, layers: 2, hidden: 40, batch: 5, steps: 6,
                                                  finiteDifferences: false)))
        }
        outcomes.append(try checkCorrect(Case(cell: .lstm, layers: 1, lastStepOnly: true, dense: true, hidden: 40,
                                              batch: 5, steps: 6, finiteDifferences: false)))
        report("wide", outcomes)
    }

    /// The regression head (mean squared error), and IndRNN with other nonlinearities than relu.
    func testRegressionHeadAndIndRNNActivations() throws {
        var outcomes = [Outcome]()
        outcomes.append(try checkCorrect(Case(cell: .lstm, layers: 2, lastStepOnly: true, dense: true,
                                              regression: true)))
        outcomes.append(try checkCorrect(Case(cell: .gru, layers: 1, dense: true, regression: true)))
        outcomes.append(try checkCorrect(Case(cell: .indrnn, layers: 1, dense: true, regression: true)))
        outcomes.append(try checkCorrect(Case(cell: .indrnn, layers: 2, activation: .tanh)))
        outcomes.append(try checkCorrect(Case(cell: .indrnn, layers: 2, dense: true, activation: .sigmoid)))
        report("regression / indrnn activations", outcomes)
    }

    /// Each planted bug in the reference's backward is caught twice: finite differences on the buggy reference
    /// fail, and the SIMD model's gradients disagree with it — so neither check passes vacuously.
    func testPlantedBugsAreCaughtByBothChecks() throws {
        var outcomes = [Outcome]()
        for bug in ReferenceGatedRNN.PlantedBug.allCases where bug != .none {
            let cell = try XCTUnwrap(bug.cell)
            for dense in [false, true] {
                let outcome = try check(Case(cell: cell, layers: 2, dense: dense, bug: bug))
                let fd = try XCTUnwrap(outcome.finiteDifferenceWorst)
                XCTAssertGreaterThan(fd, Self.bugThreshold, "finite differences miss the bug, \(outcome.label)")
                XCTAssertGreaterThan(outcome.modelWorst, Self.bugThreshold,
                                     "model agrees with the buggy reference, \(outcome.label)")
                outcomes.append(outcome)
            }
        }
        XCTAssertEqual(outcomes.count, 10)
        let smallestFD = outcomes.compactMap(\.finiteDifferenceWorst).min() ?? 0
        let smallestModel = outcomes.map(\.modelWorst).min() ?? 0
        print("GatedGradientCheck planted bugs: \(outcomes.count) cases; smallest worst FD error \(smallestFD), "
              + "smallest model-vs-buggy error \(smallestModel)")
    }

    /// The parameter list has PyTorch's names, in order, with the storage shapes the reference assumes.
    func testParameterLayout() {
        for cell in Self.cells {
            for dense in [false, true] {
                let config = makeConfig(Case(cell: cell, layers: 3, dense: dense))
                let model = RNNModel(config: config, seed: 1)
                let expected = ReferenceGatedRNN.expectedLayout(config)
                XCTAssertEqual(model.parameters.map(\.name), expected.map(\.name), "\(cell)")
                XCTAssertEqual(model.parameters.map(\.shape), expected.map(\.shape), "\(cell)")
            }
        }
    }

    // MARK: - The check

    /// Runs `c` and asserts everything a correct reference and model must satisfy.
    @discardableResult
    private func checkCorrect(_ c: Case) throws -> Outcome {
        let outcome = try check(c)
        if let fd = outcome.finiteDifferenceWorst {
            XCTAssertLessThanOrEqual(fd, Self.finiteDifferenceTolerance, "finite differences, \(outcome.label)")
        }
        for (name, error) in outcome.errors {
            XCTAssertLessThanOrEqual(error, Self.modelTolerance, "\(name), \(outcome.label)")
        }
        return outcome
    }

    private func report(_ what: String, _ outcomes: [Outcome]) {
        let fd = outcomes.compactMap(\.finiteDifferenceWorst).max().map { "\($0)" } ?? "not run"
        let worst = outcomes.max { $0.modelWorst < $1.modelWorst }
        print("GatedGradientCheck \(what): \(outcomes.count) cases; worst FD error \(fd); worst model error "
              + "\(worst.map { "\($0.worstTensor) (\($0.label))" } ?? "-")")
    }

    private func makeConfig(_ c: Case) -> ModelConfig {
        let (v, d, o) = (7, 3, c.regression ? 2 : 6)
        return ModelConfig(input: c.dense ? .dense(features: d) : .tokens(vocabulary: v), hidden: c.hidden,
                           layers: c.layers, activation: c.cell == .indrnn ? c.activation : .tanh,
                           initialization: .normal(sigma: 0.5),
                           head: c.regression ? .regression(outputs: o) : .classification(classes: o),
                           dropout: c.dropout, cell: c.cell)
    }

    /// Builds the model and a window, runs the model's forward and backward and the reference's, and measures.
    private func check(_ c: Case) throws -> Outcome {
        let label = c.label
        let config = makeConfig(c)
        let (layers, hidden, batch, steps) = (c.layers, c.hidden, c.batch, c.steps)
        let model = RNNModel(config: config, seed: 42)
        let expected = ReferenceGatedRNN.expectedLayout(config)
        guard model.parameters.map(\.name) == expected.map(\.name),
              model.parameters.map(\.shape) == expected.map(\.shape) else {
            XCTFail("parameter layout \(model.parameters.map { "\($0.name) \($0.shape)" }), \(label)")
            throw LayoutMismatch()
        }
        var rng = Xoshiro256StarStar(seed: 7)
        // Non-zero biases (and IndRNN recurrent weights of both signs), so that where each bias enters — b_hn
        // inside r ⊙ (·) above all — shows in the forward as well as in the gradients.
        let k = ReferenceGatedRNN.tensorsPerLayer(c.cell)
        for l in 0..<layers {
            for (slot, p) in model.parameters[(k * l)..<(k * l + k)].enumerated() where slot >= 1 {
                if slot == 1 && c.cell != .indrnn { continue }   // W_hh: as initialised
                let range: Float = slot == 1 ? 0.9 : 0.5
                for i in 0..<p.value.count { p.value[i] = rng.uniform(-range, range) }
            }
        }

        let ws = Workspace(config: config, batch: batch, steps: steps)
        var window = ReferenceGatedRNN.Window(steps: steps, batch: batch)
        for l in 0..<layers {   // a carried-in state (and cell), so ∂L/∂h₀ and ∂L/∂c₀ are exercised too
            func draw(_ tensor: Tensor) -> [[Double]] {
                (0..<batch).map { b in
                    (0..<hidden).map { j in
                        let x = rng.uniform(-0.5, 0.5)
                        tensor[b * hidden + j] = x
                        return Double(x)
                    }
                }
            }
            window.h0.append(draw(ws.states[l]))
            if c.cell == .lstm { window.c0.append(draw(ws.cellStates[l])) }
        }
        let rows = ReferenceRows(filling: ws, dense: c.dense, lastStepOnly: c.lastStepOnly, regression: c.regression,
                                 rng: &rng)
        (window.tokens, window.inputs, window.targets) = (rows.tokens, rows.inputs, rows.targets)
        (window.values, window.scored) = (rows.values, rows.scored)

        // The model's pass first, so that its dropout masks exist for the reference to use.
        model.zeroGradients()
        ws.dropoutSeed = 99
        let loss = model.forward(ws, gradient: true)
        var reference = ReferenceGatedRNN(model, plantedBug: c.bug)
        if c.dropout > 0 {
            XCTAssertTrue(ws.droppedOut, label)
            let masks = ws.dropoutMasks.map(\.array)
            XCTAssertTrue(masks.allSatisfy { $0.contains(0) && $0.contains(1 / (1 - c.dropout)) }, "masks, \(label)")
            reference.masks = (0..<layers).map { l in
                (0...steps).map { t in
                    t == 0 ? [] : (0..<batch).map { b in
                        (0..<hidden).map { j in Double(masks[l][((t - 1) * batch + b) * hidden + j]) }
                    }
                }
            }
        }
        let trace = reference.forward(window)
        let grads = reference.gradients(window)

        var finiteDifferenceWorst: Double?
        if c.finiteDifferences {
            let eps = 1e-6
            var worst = 0.0
            func numeric(_ plus: () -> Double, _ minus: () -> Double) -> Double { (plus() - minus()) / (2 * eps) }
            for p in 0..<grads.params.count {
                for i in 0..<grads.params[p].count {
                    var plus = reference, minus = reference
                    plus[parameter: p, element: i] += eps
                    minus[parameter: p, element: i] -= eps
                    let n = numeric({ plus.loss(window) }, { minus.loss(window) })
                    worst = max(worst, relativeError(n, grads.params[p][i]))
                }
            }
            for l in 0..<layers {   // ∂L/∂h₀ and ∂L/∂c₀
                for b in 0..<batch {
                    for j in 0..<hidden {
                        var plus = window, minus = window
                        plus.h0[l][b][j] += eps
                        minus.h0[l][b][j] -= eps
                        let n = numeric({ reference.loss(plus) }, { reference.loss(minus) })
                        worst = max(worst, relativeError(n, grads.h0[l][b][j]))
                        guard c.cell == .lstm else { continue }
                        var cPlus = window, cMinus = window
                        cPlus.c0[l][b][j] += eps
                        cMinus.c0[l][b][j] -= eps
                        let nc = numeric({ reference.loss(cPlus) }, { reference.loss(cMinus) })
                        worst = max(worst, relativeError(nc, grads.c0[l][b][j]))
                    }
                }
            }
            finiteDifferenceWorst = worst
        }

        let probe = GradientProbe(layers: layers, steps: steps)
        model.backward(ws, probe: probe)
        var errors = [(name: String, error: Double)]()
        errors.append(("loss", abs(loss - trace.loss) / max(1, abs(trace.loss))))
        for l in 0..<layers {   // the forward states h₁…h_T (and c₁…c_T), to tell a forward slip from a backward one
            let rows = steps * batch * hidden
            let hGot = Array(ws.states[l].array[(batch * hidden)...].prefix(rows))
            errors.append(("h₁…h_T layer \(l)",
                           tensorError(hGot, (1...steps).flatMap { trace.h[l][$0].flatMap { $0 } })))
            if c.cell == .lstm {
                let cGot = Array(ws.cellStates[l].array[(batch * hidden)...].prefix(rows))
                errors.append(("c₁…c_T layer \(l)",
                               tensorError(cGot, (1...steps).flatMap { trace.c[l][$0].flatMap { $0 } })))
            }
        }
        for (p, parameter) in model.parameters.enumerated() {
            errors.append((parameter.name, tensorError(parameter.grad.array, grads.params[p])))
        }
        for l in 0..<layers {
            errors.append(("∂L/∂h₀ layer \(l)", tensorError(ws.initialStateGrads[l].array, grads.h0[l].flatMap { $0 })))
            errors.append(("‖∂L/∂h_t‖ profile layer \(l)",
                           tensorError(probe.norms[l].map(Float.init), grads.profile[l])))
            if c.cell == .lstm {
                errors.append(("∂L/∂c₀ layer \(l)",
                               tensorError(ws.initialCellGrads[l].array, grads.c0[l].flatMap { $0 })))
                errors.append(("‖∂L/∂c_t‖ profile layer \(l)",
                               tensorError(probe.cellNorms[l].map(Float.init), grads.cellProfile[l])))
            } else {
                XCTAssertEqual(probe.cellNorms[l], [Double](repeating: 0, count: steps + 1),
                               "cellNorms of a cell without c, layer \(l), \(label)")
            }
        }
        return Outcome(label: label, finiteDifferenceWorst: finiteDifferenceWorst, errors: errors)
    }

    private func relativeError(_ a: Double, _ b: Double) -> Double {
        abs(a - b) / max(abs(a), abs(b), 1e-6)
    }

    private func tensorError(_ got: [Float], _ want: [Double]) -> Double {
        guard got.count == want.count else { return .infinity }
        let scale = want.map(abs).max() ?? 0
        guard scale > 0 else { return got.map { Double(abs($0)) }.max() ?? 0 }
        return zip(got, want).map { abs(Double($0) - $1) }.max()! / scale
    }
}

/// Ends a case whose parameter layout is not the reference's (the failure is already recorded).
private struct LayoutMismatch: Error {}
