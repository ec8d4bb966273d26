import SeqKernels
import SeqModel
/// What `nlp-vanish profile` reports: throughput of untimed steps, then where the time of a step goes, measured
/// in context by a `PhaseTimer`, with the flops each GEMM family must do and the GFLOP/s it reached.
public struct StepProfileReport: Sendable, Codable {
    public var config: StepProfileConfig
    /// The kernel width the run used: "avx512" (16 lanes) or "avx2" (8 lanes); see `KernelWidth`.
    public var kernel: String
    /// FMA peak of this core at that kernel's vector width, measured just before the run, GFLOP/s. Shares of
    /// the peak below are of `config.threads` times this.
    public var fmaPeakGFLOPS: Double
    /// Characters per second of untimed steps.
    public var charsPerSecond: ThroughputSummary
    /// With two threads: the one-thread step's characters per second, its windows run in turn with the
    /// two-thread ones, and the speed-up of two threads over one (the ratio of the medians).
    public var oneThreadCharsPerSecond: ThroughputSummary?
    public var speedup: Double?
    /// Model flops per character (GEMMs only: 6·G·H² per layer and step with G gate blocks, none for the IndRNN's
    /// element-wise recurrence, 6·G·H² more per layer above the first, 6·H·V for the decoder — the peers' count,
    /// minus the one-hot product a gather replaces).
    public var flopsPerChar: Double
    /// End-to-end GFLOP/s at the median throughput, and as a share of the FMA peak.
    public var gflops: Double
    public var percentOfPeak: Double
    /// Milliseconds per step at the median throughput.
    public var stepMilliseconds: Double
    /// Per kernel family, from steps run with a timer attached.
    public var phases: [PhaseReport]
    /// Characters per second of the timed steps: the timer's own cost is the gap to `charsPerSecond`.
    public var instrumentedCharsPerSecond: Double
    /// SIMD kernels against their scalar references at this configuration's shapes.
    public var kernelSpeedups: [KernelSpeedup]

    /// One kernel family's time, timed step by step: the median over the timed steps, and the fastest step.
    /// With two threads, each half batch's phases are timed on its own thread and averaged over the threads.
    public struct PhaseReport: Sendable, Codable {
        public var name: String
        /// This phase's median as a share of the sum of all phases' medians.
        public var share: Double
        public var millisecondsPerStep: Double
        /// The least time this phase took in any one timed step: what the kernels do with the core to
        /// themselves (a neighbour on the sibling hyperthread slows whatever it overlaps by up to a third).
        public var fastestMillisecondsPerStep: Double
        /// Flops per step for GEMM phases, nil for the element-wise ones.
        public var flopsPerStep: Double?
        /// GFLOP/s and share of the FMA peak at the median time, and at the fastest.
        public var gflops: Double?
        public var percentOfPeak: Double?
        public var fastestGFLOPS: Double?
        public var fastestPercentOfPeak: Double?
    }
}

/// Measures `config` for about `seconds` of timed steps (with two threads, windows of the one-thread step in turn
/// with them, as long again), then instruments as many more.
public func profileTrainingStep(_ config: StepProfileConfig, seconds: Double = 5) -> StepProfileReport {
    flushDenormalsToZero()
    let corePeak = measuredFMAPeakGFLOPS(), peak = corePeak * Double(config.threads)
    let bench = StepBench(config)
    var oneThread = config
    oneThread.threads = 1
    let throughputs = measureThroughput(of: config.threads > 1 ? [bench, StepBench(oneThread)] : [bench],
                                        seconds: seconds, windows: 5)
    let throughput = throughputs[0]

    let timer = PhaseTimer()
    bench.trainer.workspace.timer = timer
    let timedSteps = max(3, Int(throughput.median * seconds / 2 / Double(config.charsPerStep)))
    _ = bench.time(steps: 2)
    // Step by step, so that a burst of interference moves a phase's median little and its fastest not at all.
    var instrumented = 0.0
    let stepPhaseNanoseconds: [[UInt64]] = (0..<timedSteps).map { _ in
        timer.reset()
        instrumented += bench.time(steps: 1)
        return timer.nanoseconds
    }
    bench.trainer.workspace.timer = nil

    let flops = phaseFlops(config)
    let times = StepPhase.allCases.map { phase in stepPhaseNanoseconds.map { Double($0[phase.rawValue]) } }
    let medians = times.map(median), total = medians.reduce(0, +)
    let phases = StepPhase.allCases.map { phase in
        let ns = medians[phase.rawValue], fastest = times[phase.rawValue].min() ?? 0
        let f = flops[phase].flatMap { $0 > 0 ? $0 : nil }     // a gather does no flops
        let gflops = f.map { ns > 0 ? $0 / ns : 0 }, fastestGFLOPS = f.map { fastest > 0 ? $0 / fastest : 0 }
        return StepProfileReport.PhaseReport(
            name: phase.name, share: total > 0 ? ns / total : 0, millisecondsPerStep: ns * 1e-6,
            fastestMillisecondsPerStep: fastest * 1e-6, flopsPerStep: f, gflops: gflops,
            percentOfPeak: gflops.map { $0 / peak }, fastestGFLOPS: fastestGFLOPS,
            fastestPercentOfPeak: fastestGFLOPS.map { $0 / peak })
    }
    let perChar = flops.values.reduce(0, +) / Double(config.charsPerStep)
    let gflops = perChar * throughput.median / 1e9
    return StepProfileReport(
        config: config, kernel: KernelWidth.preferred.name, fmaPeakGFLOPS: corePeak, charsPerSecond: throughput,
        oneThreadCharsPerSecond: throughputs.count > 1 ? throughputs[1] : nil,
        speedup: throughputs.count > 1 ? throughput.median / throughputs[1].median : nil, flopsPerChar: perChar,
        gflops: gflops, percentOfPeak: gflops / peak,
        stepMilliseconds: 1e3 * Double(config.charsPerStep) / throughput.median, phases: phases,
        instrumentedCharsPerSecond: Double(timedSteps * config.charsPerStep) / instrumented,
        kernelSpeedups: measureKernelSpeedups(config))
}

/// Flops per step of each GEMM phase (R = T·B rows per window).
/// A product with H × G·H weights (G gate blocks) costs 2·R·H·G·H flops; the IndRNN's recurrence is element-wise
/// and does none.
func phaseFlops(_ c: StepProfileConfig) -> [StepPhase: Double] {
    let r = Double(c.charsPerStep), h = Double(c.hidden), v = Double(c.vocabulary), l = Double(c.layers)
    let square = 2 * r * h * h * Double(c.cell.gateCount)
    let recurrent = c.cell == .indrnn ? 0 : l * square
    return [
        .inputProjection: (l - 1) * square,
        .recurrentForward: recurrent,
        .decoderForward: 2 * r * h * v,
        .decoderBackward: 4 * r * h * v,
        .recurrentBackward: recurrent,
        .weightGradient: recurrent + (l - 1) * square,
        .inputGradient: (l - 1) * square,
    ]
}
