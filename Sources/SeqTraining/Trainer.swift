import SeqKernels
import SeqModel
/// Everything about an update except the model and the data.
public struct TrainingSettings: Equatable, Sendable {
    public var optimizer: OptimizerSettings
    public var learningRate: Float
    public var schedule: LearningRateSchedule
    public var clipping: Clipping
    /// Compute each window as two half-batches (`BatchSplit`), on `threads` threads (1 or 2). The result does
    /// not depend on `threads`; it differs from the unsplit computation only by rounding.
    public var splitBatch: Bool
    public var threads: Int
    /// The run's seed: with the step, it seeds each step's dropout masks (`Workspace.dropoutSeed`).
    public var seed: UInt64 = 0
    /// Probability of dropping each recurrent connection for one update (`RecurrentWeightDrop`); 0 = off.
    public var weightDrop: Float = 0
    /// Adagrad's rate for the model's direct connections (`DirectConnections`) at the schedule's start; it
    /// follows the schedule as the network's rate does.
    public var directLearningRate: Float = 0.03

    public init(optimizer: OptimizerSettings, learningRate: Float, schedule: LearningRateSchedule = .constant,
                clipping: Clipping = .globalNorm(5), splitBatch: Bool = false, threads: Int = 1) {
        self.optimizer = optimizer
        self.learningRate = learningRate
        self.schedule = schedule
        self.clipping = clipping
        self.splitBatch = splitBatch
        self.threads = threads
    }
}

/// What one update did.
public struct StepResult: Equatable, Sendable {
    public var loss: Double
    /// Global gradient norm before clipping.
    public var gradientNorm: Double
    public var clipped: Bool
    public var learningRate: Float
}

/// Training stopped because a number stopped being a number.
public struct DivergenceError: Error, Equatable, CustomStringConvertible {
    /// The 1-based update at which it happened.
    public var step: Int
    /// What was not finite: "loss", "gradient" or "weights".
    public var quantity: String

    public var description: String {
        "training diverged at step \(step): the \(quantity) became NaN or infinite; "
            + "try a smaller --lr or gradient clipping (--clip 1)"
    }
}

/// One model, its optimizer and schedule, and the update loop: zero → forward → backward → clip → update.
///
/// The data is the caller's: it fills `workspace` before each `step()`. Divergence is caught the step it happens,
/// before the update when the loss or gradient is at fault, so the weights stay those of the last good step.
public final class Trainer: @unchecked Sendable {
    public let model: RNNModel
    public let workspace: Workspace
    public let optimizer: Optimizer
    public let settings: TrainingSettings
    public var learningRate: LearningRateController
    /// Updates taken.
    public private(set) var step = 0
    /// Updates whose gradient was clipped.
    public private(set) var clipEvents = 0

    /// The two-half computation, when `settings.splitBatch` is on and the batch has two sequences or more.
    private let split: BatchSplit?
    private let weightDrop: RecurrentWeightDrop?

    public init(model: RNNModel, workspace: Workspace, settings: TrainingSettings) {
        self.model = model
        self.workspace = workspace
        self.settings = settings
        split = settings.splitBatch ? BatchSplit(model: model, workspace: workspace, threads: settings.threads) : nil
        weightDrop = RecurrentWeightDrop(model: model, probability: settings.weightDrop)
        optimizer = Optimizer(settings: settings.optimizer, parameters: model.parameters)
        model.direct?.threads = min(max(settings.threads, 1), 2)
        learningRate = LearningRateController(initial: settings.learningRate, schedule: settings.schedule)
    }

    /// Restores counters from a checkpoint (tensors and optimizer state are loaded in place by the caller).
    public func restore(step: Int, clipEvents: Int, learningRate: LearningRateController) {
        self.step = step
        self.clipEvents = clipEvents
        self.learningRate = learningRate
        optimizer.restore(step: step)
    }

    /// One update on the window currently in `workspace`; `probe`, if given, records the gradient profile (the
    /// split computation has no single backward pass to probe, so a probed step is never split).
    public func step(probe: GradientProbe? = nil) throws(DivergenceError) -> StepResult {
        var mark = workspace.clockReading()
        workspace.dropoutSeed = stepSeed(step)
        weightDrop?.apply(seed: workspace.dropoutSeed ^ 0x57D9_0000_0000_0000)
        defer { weightDrop?.restore(maskingGradients: false) }      // W back even when the step throws
        let loss: Double
        if let split, probe == nil {
            split.forwardBackward(model, workspace)
            loss = workspace.loss
            guard loss.isFinite else {
                model.direct?.discardGradient()
                throw DivergenceError(step: step + 1, quantity: "loss")
            }
        } else {
            model.zeroGradients()
            workspace.lap(.optimizer, &mark)
            loss = model.forward(workspace, gradient: true)
            guard loss.isFinite else { throw DivergenceError(step: step + 1, quantity: "loss") }
            model.backward(workspace, probe: probe)
            model.direct?.gatherGradient(from: [(workspace, 1)])
        }
        weightDrop?.restore(maskingGradients: true)
        mark = workspace.clockReading()
        let clip = clipGradients(model.parameters, settings.clipping)
        guard clip.norm.isFinite else {
            model.direct?.discardGradient()
            throw DivergenceError(step: step + 1, quantity: "gradient")
        }
        learningRate.beginStep(step)
        optimizer.update(learningRate: learningRate.current)
        model.constrainWeights()
        // The direct table's rate follows the network's schedule; its gradient is not clipped with the network's.
        let directFinite = model.direct?.update(
            learningRate: settings.directLearningRate * learningRate.current / settings.learningRate) ?? true
        step += 1
        if clip.clipped { clipEvents += 1 }
        for p in model.parameters where !sumOfSquares(p.value.data, count: p.value.count).isFinite {
            throw DivergenceError(step: step, quantity: "weights")
        }
        if !directFinite { throw DivergenceError(step: step, quantity: "weights") }
        workspace.lap(.optimizer, &mark)
        return StepResult(loss: loss, gradientNorm: clip.norm, clipped: clip.clipped,
                          learningRate: learningRate.current)
    }

    /// A seed for update `step` from the run's seed alone (SplitMix64's finaliser over their sum): the same
    /// step of the same run always draws the same dropout masks, resumed or not.
    private func stepSeed(_ step: Int) -> UInt64 {
        var z = settings.seed &+ 0x9E37_79B9_7F4A_7C15 &* UInt64(step + 1)
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
