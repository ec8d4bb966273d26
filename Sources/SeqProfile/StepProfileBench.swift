import SeqKernels
import SeqModel
import SeqTraining
/// The training step `nlp-vanish profile` and `vanish-bench step` measure: the configuration of the peers'
/// benchmarks (one-hot(V) → RNN, LSTM or GRU → Linear(H, V) → cross-entropy over every position → Adam, lr 1e-3,
/// no clipping, state carried across windows) on random tokens.
public struct StepProfileConfig: Equatable, Sendable, Codable {
    public var hidden: Int
    public var layers: Int
    public var batch: Int
    public var steps: Int
    public var vocabulary: Int
    public var activation: Activation
    public var cell: Cell
    /// 1: the peers' step. 2: the batch split in halves computed on two threads at once (`BatchSplit`, as
    /// `nlp-vanish train --threads 2` does), which needs a batch of two or more.
    public var threads: Int

    public init(hidden: Int, layers: Int, batch: Int, steps: Int, vocabulary: Int = 96,
                activation: Activation = .tanh, cell: Cell = .rnn, threads: Int = 1) {
        precondition(threads == 1 || (threads == 2 && batch >= 2), "threads: 1, or 2 with a batch of two or more")
        self.hidden = hidden
        self.layers = layers
        self.batch = batch
        self.steps = steps
        self.vocabulary = vocabulary
        self.activation = activation
        self.cell = cell
        self.threads = threads
    }

    /// "H,L,B,T", as the peers' scripts name a configuration.
    public var label: String { "\(hidden),\(layers),\(batch),\(steps)" }

    /// Characters per training step, B·T.
    public var charsPerStep: Int { batch * steps }
}

/// A trainer and 16 windows of random tokens it cycles through (as the PyTorch script does).
final class StepBench {
    let config: StepProfileConfig
    let trainer: Trainer
    private let tokenWindows: [[Int32]]
    private var next = 0

    init(_ config: StepProfileConfig, seed: UInt64 = 1) {
        self.config = config
        let model = RNNModel(config: ModelConfig(
            input: .tokens(vocabulary: config.vocabulary), hidden: config.hidden, layers: config.layers,
            activation: config.activation, initialization: .pytorchDefault,
            head: .classification(classes: config.vocabulary), cell: config.cell), seed: seed)
        let workspace = Workspace(config: model.config, batch: config.batch, steps: config.steps)
        trainer = Trainer(model: model, workspace: workspace, settings: TrainingSettings(
            optimizer: OptimizerSettings(kind: .adam), learningRate: 1e-3, clipping: .none,
            splitBatch: config.threads > 1, threads: config.threads))
        var rng = Xoshiro256StarStar(seed: seed &+ 1)
        let count = config.batch * (config.steps + 1)
        tokenWindows = (0..<16).map { _ in (0..<count).map { _ in Int32(rng.below(config.vocabulary)) } }
    }

    /// One update on the next window: inputs are steps 0…T−1 of each sequence, targets steps 1…T (time-major).
    func step() {
        let window = tokenWindows[next % tokenWindows.count]
        next += 1
        let ws = trainer.workspace, (B, T) = (config.batch, config.steps)
        for t in 0..<T {
            for b in 0..<B {
                ws.tokens[t * B + b] = window[b * (T + 1) + t]
                ws.targets[t * B + b] = window[b * (T + 1) + t + 1]
            }
        }
        ws.carryState()
        do { _ = try trainer.step() } catch { preconditionFailure("the profiled training diverged: \(error)") }
    }

    /// Seconds taken by `count` steps.
    func time(steps count: Int) -> Double {
        let clock = ContinuousClock()
        return clock.measure { for _ in 0..<count { step() } }.seconds
    }
}

/// Median, extremes and every sample of a throughput measured over several timed windows.
public struct ThroughputSummary: Equatable, Sendable, Codable {
    public var median: Double
    public var min: Double
    public var max: Double
    public var samples: [Double]

    init(_ samples: [Double]) {
        self.samples = samples
        median = SeqProfile.median(samples)
        min = samples.min() ?? 0
        max = samples.max() ?? 0
    }

    /// (max − min) / median.
    public var spread: Double { median > 0 ? (max - min) / median : 0 }
}

/// The middle value of `samples` (the mean of the two middle ones for an even count); 0 for none.
func median(_ samples: [Double]) -> Double {
    guard !samples.isEmpty else { return 0 }
    let sorted = samples.sorted(), half = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[half] : (sorted[half - 1] + sorted[half]) / 2
}

/// Training throughput in characters per second: three warm-up steps, then steps are doubled until a run takes
/// ≥ 0.2 s, then `windows` timed windows of about `seconds / windows` each.
public func measureTrainingThroughput(_ config: StepProfileConfig, seconds: Double = 5,
                                      windows: Int = 5) -> ThroughputSummary {
    flushDenormalsToZero()
    return measureThroughput(of: [StepBench(config)], seconds: seconds, windows: windows)[0]
}

/// The throughput of each bench, over `windows` windows per bench run in turn (A B A B …), so that a slow spell
/// of a shared machine falls on all of them alike.
func measureThroughput(of benches: [StepBench], seconds: Double, windows: Int) -> [ThroughputSummary] {
    let stepsPerWindow = benches.map { bench in
        _ = bench.time(steps: 3)
        var count = 1
        var elapsed = bench.time(steps: count)
        while elapsed < 0.2 {
            count *= 2
            elapsed = bench.time(steps: count)
        }
        return max(1, Int(Double(count) * (seconds / Double(windows)) / elapsed))
    }
    var rates = benches.map { _ in [Double]() }
    for _ in 0..<windows {
        for (i, bench) in benches.enumerated() {
            let steps = stepsPerWindow[i]
            rates[i].append(Double(steps * bench.config.charsPerStep) / bench.time(steps: steps))
        }
    }
    return rates.map(ThroughputSummary.init)
}
