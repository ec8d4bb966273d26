import Foundation
import SeqKernels
import SeqModel
import SeqTraining

/// Settings shared by every run of a study.
public struct StudySettings: Sendable {
    /// Maximum updates per run (a run stops early once solved).
    public var steps: Int = 2000
    public var batch: Int = 32
    /// Overrides each variant's default learning rate when set.
    public var learningRate: Float?
    public var optimizer: OptimizerKind = .adam
    /// Global-norm clipping threshold (0 = off).
    public var clip: Float = 1
    /// Accuracy that counts as solved (classification tasks).
    public var solveAt: Double = 0.95
    public var evalEvery: Int = 100
    /// Fresh test sequences per evaluation, rounded up to whole batches of 250 (the same ones every time, for
    /// every variant).
    public var testSequences: Int = 1000
    /// Sequences in the batch whose gradients are profiled at initialisation and at the end.
    public var probeSequences: Int = 128

    public init() {}
}

/// Runs one configuration of a study from scratch: profile at initialisation, train with periodic tests until
/// solved or out of steps (or diverged), profile again, and report every measurement as a `RunResult`.
public struct StudyRunner: Sendable {
    public let settings: StudySettings

    public init(settings: StudySettings) { self.settings = settings }

    /// Runs `spec` on `task`; returns nil if `shouldStop` turned true before the run finished (a stopped run
    /// leaves no result, so a resumed study runs it again from scratch).
    public func run(_ spec: RunSpec, task: some SequenceTask, shouldStop: () -> Bool = { false }) -> RunResult? {
        flushDenormalsToZero()
        let clock = ContinuousClock.now
        let config = ModelConfig(input: task.input, hidden: spec.hidden, layers: spec.layers,
                                 activation: spec.variant.activation,
                                 initialization: spec.variant.initialization(horizon: task.steps), head: task.head,
                                 cell: spec.variant.cell)
        let model = RNNModel(config: config, seed: spec.randomSeed)
        let lr = settings.learningRate ?? spec.variant.defaultLearningRate
        let trainer = Trainer(model: model, workspace: Workspace(config: config, batch: settings.batch, steps: task.steps),
                              settings: TrainingSettings(optimizer: OptimizerSettings(kind: settings.optimizer),
                                                         learningRate: lr,
                                                         clipping: settings.clip > 0 ? .globalNorm(settings.clip) : .none))
        let probeWS = Workspace(config: config, batch: settings.probeSequences, steps: task.steps)
        let probeSeed = stableHash("probe/\(task.kind.rawValue)/\(task.distance)")

        let initial = profile(model, task, probeWS, seed: probeSeed)
        var result = RunResult(
            id: spec.id, task: task.kind, cell: spec.variant.cell.rawValue,
            activation: spec.variant.cell.usesActivation ? spec.variant.activation.rawValue : "",
            initialization: spec.variant.initialization.name, layers: spec.layers, hidden: spec.hidden,
            distance: spec.distance, seed: spec.seed, learningRate: Double("\(lr)") ?? Double(lr), steps: 0, solved: false,
            stepsToSolve: nil, testAccuracy: nil, testLoss: .nan, chance: task.chance,
            gradRatioInit: initial.ratio, gradRatioFinal: nil, sigmaMaxFinal: [],
            recurrentGradNormInit: initial.recurrentGradNorms, recurrentGradNormFinal: nil, deadFraction: 0, saturatedFraction: 0,
            clipEvents: 0, diverged: false, seconds: 0, curve: [],
            profiles: GradientProfileRecord.records(initial.probe, phase: "init", cell: config.cell))

        var rng = Xoshiro256StarStar(seed: spec.randomSeed ^ 0xDA7A)
        let testWS = Workspace(config: config, batch: min(250, settings.testSequences), steps: task.steps)
        training: while trainer.step < settings.steps {
            if shouldStop() { return nil }
            task.fill(trainer.workspace, rng: &rng)
            trainer.workspace.resetState()
            do {
                _ = try trainer.step()
            } catch {
                result.diverged = true
                break training
            }
            if trainer.step % settings.evalEvery == 0 || trainer.step == settings.steps {
                let (loss, accuracy) = test(model, task, testWS)
                var point = CurvePoint(step: trainer.step, loss: loss, accuracy: accuracy)
                if config.cell == .lstm || config.cell == .gru {
                    let gates = UnitStatistics(testWS)
                    point.memoryGateHigh = gates.memoryGateHigh.reduce(0, +) / Double(spec.layers)
                    point.memoryGateLow = gates.memoryGateLow.reduce(0, +) / Double(spec.layers)
                }
                result.curve.append(point)
                result.testLoss = loss
                result.testAccuracy = accuracy
                guard loss.isFinite else {
                    result.diverged = true
                    break training
                }
                if task.isSolved(accuracy: accuracy, loss: loss, threshold: settings.solveAt) {
                    result.solved = true
                    result.stepsToSolve = trainer.step
                    break training
                }
            }
        }
        result.steps = trainer.step
        result.clipEvents = trainer.clipEvents
        if result.curve.isEmpty || result.curve.last?.step != trainer.step, !result.diverged {
            let (loss, accuracy) = test(model, task, testWS)
            result.testLoss = loss
            result.testAccuracy = accuracy
        }
        if !result.diverged {
            let final = profile(model, task, probeWS, seed: probeSeed)
            result.gradRatioFinal = final.ratio
            result.recurrentGradNormFinal = final.recurrentGradNorms
            result.profiles += GradientProfileRecord.records(final.probe, phase: "final", cell: config.cell)
            let units = UnitStatistics(probeWS)
            result.deadFraction = units.deadFraction.reduce(0, +) / Double(spec.layers)
            result.saturatedFraction = units.saturatedFraction.reduce(0, +) / Double(spec.layers)
            if !units.memoryGateHigh.isEmpty {
                result.memoryGateHigh = units.memoryGateHigh.reduce(0, +) / Double(spec.layers)
                result.memoryGateLow = units.memoryGateLow.reduce(0, +) / Double(spec.layers)
            }
        }
        result.sigmaMaxFinal = (0..<spec.layers).compactMap { l -> Double? in
            let w = model.recurrentWeight(layer: l)
            switch config.cell {
            case .rnn: return largestSingularValue(w, rows: spec.hidden, cols: spec.hidden)
            case .indrnn: return (0..<w.count).reduce(0) { max($0, Double(abs(w[$1]))) }
            case .lstm, .gru: return nil
            }
        }
        let elapsed = ContinuousClock.now - clock
        result.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        return result
    }

    /// One forward/backward on a fixed batch with the probe attached; the gradients are discarded.
    private func profile(_ model: RNNModel, _ task: some SequenceTask, _ ws: Workspace, seed: UInt64)
        -> (probe: GradientProbe, ratio: Double?, recurrentGradNorms: [Double]) {
        var rng = Xoshiro256StarStar(seed: seed)
        task.fill(ws, rng: &rng)
        ws.resetState()
        model.zeroGradients()
        model.forward(ws, gradient: true)
        let probe = GradientProbe(layers: model.config.layers, steps: ws.steps)
        model.backward(ws, probe: probe)
        let ratio = probe.ratio(source: task.sourceStep)
        let norms = model.parameterNorms.filter { $0.name.hasPrefix("rnn.weight_hh_l") }.map(\.gradient)
        model.zeroGradients()
        return (probe, ratio, norms)
    }

    /// Mean loss and accuracy on the fixed test set (the same sequences at every evaluation and for every variant).
    private func test(_ model: RNNModel, _ task: some SequenceTask, _ ws: Workspace) -> (Double, Double?) {
        var rng = Xoshiro256StarStar(seed: stableHash("test/\(task.kind.rawValue)/\(task.distance)"))
        var total = 0.0, scored = 0, correct = 0
        let batches = (settings.testSequences + ws.batch - 1) / ws.batch   // whole batches: at least testSequences
        for _ in 0..<batches {
            task.fill(ws, rng: &rng)
            ws.resetState()
            model.forward(ws, gradient: false)
            total += ws.loss * Double(ws.scoredCount)
            scored += ws.scoredCount
            if !task.isRegression { correct += scoredAccuracy(ws).correct }
        }
        let loss = total / Double(max(scored, 1))
        return (loss, task.isRegression ? nil : Double(correct) / Double(max(scored, 1)))
    }
}
