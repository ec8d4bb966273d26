import ArgumentParser
import Foundation
import SeqKernels
import SeqModel
import SeqProfile

/// `nlp-vanish profile`: training throughput of one configuration on random tokens, and where a step's time goes.
struct Profile: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure training throughput and a per-kernel breakdown on random tokens.",
        discussion: """
            The step is the peers' benchmark step (one-hot(V) → RNN, LSTM or GRU → Linear(H, V) → cross-entropy → Adam, \
            hidden state carried). Chars/s is the median of 5 timed windows after a warm-up; the breakdown comes \
            from as many steps again run with a timer around each kernel family: per phase, the median over \
            those steps and the fastest step (on a shared host, what the kernels do undisturbed).
            """)

    @Option(help: "Hidden units per layer.") var hidden = 256
    @Option(help: "Recurrent layers.") var layers = 1
    @Option(help: "Sequences per step (B).") var batch = 32
    @Option(name: .customLong("seq-len"), help: "Steps per window (T).") var seqLen = 64
    @Option(help: "Vocabulary size (one-hot input and softmax classes).") var vocab = 96
    @Option(help: "The recurrent cell: rnn (Elman), lstm, gru or indrnn.") var cell: Cell = .rnn
    @Option(help: "tanh, relu or sigmoid: the nonlinearity of --cell rnn [tanh] or indrnn [relu].")
    var activation: Activation?
    @Option(help: ArgumentHelp("1, or 2: the batch split in halves on two threads, as `train --threads 2` runs it, "
                               + "beside the one-thread step.", valueName: "1|2")) var threads = 1
    @Option(help: ArgumentHelp("Seconds of timed steps; as many again for the breakdown, and with --threads 2 "
                               + "for the one-thread step.")) var seconds = 5.0
    @Flag(help: "Print one JSON object.") var json = false

    func validate() throws {
        try requireNetworkShape(hidden: hidden, layers: layers, seqLen: seqLen, batch: batch)
        try requireRange(vocab, "vocab", 2...100_000)
        try requireRange(threads, "threads", 1...2)
        guard threads == 1 || batch >= 2 else {
            throw ValidationError(
                "--threads 2 splits the batch in halves, so it needs --batch 2 or more (got \(batch))")
        }
        let gates = cell.gateCount
        try checkMemory(parameters: layers * gates * (2 * hidden * hidden + 2 * hidden) + 2 * hidden * vocab,
                        activations: (seqLen + 1) * batch * hidden * layers * (2 + 3 * gates) + seqLen * batch * vocab)
        let choice = try CellChoice(cell: cell, activation: activation, initialization: nil, horizon: seqLen)
        guard choice.activation != .identity else { throw ValidationError("--activation must be tanh, relu or sigmoid") }
        guard seconds > 0 && seconds <= 600 else { throw ValidationError("--seconds must be in (0, 600]") }
    }

    func run() throws {
        let choice = try CellChoice(cell: cell, activation: activation, initialization: nil, horizon: seqLen)
        let config = StepProfileConfig(hidden: hidden, layers: layers, batch: batch, steps: seqLen,
                                       vocabulary: vocab, activation: choice.activation, cell: cell, threads: threads)
        let report = profileTrainingStep(config, seconds: seconds)
        if json {
            print(try JSON.encode(report))
            return
        }
        let c = report.charsPerSecond
        let split = threads > 1 ? "two threads, each on half the batch" : "one thread"
        let cellName = cell.usesActivation ? "\(choice.activation.rawValue) \(cell.rawValue)" : cell.rawValue
        print("configuration   H,L,B,T = \(config.label), V = \(vocab), \(cellName), \(split)")
        print(String(format: "FMA peak        %.1f GFLOP/s", report.fmaPeakGFLOPS)
              + " (measured now, one core, at the width of the \(report.kernel) GEMM kernel)"
              + (threads > 1 ? "; % of peak below is of two cores'" : ""))
        print(String(format: "throughput      %.0f chars/s median of %d windows (min %.0f, max %.0f, spread %.1f%%)",
                     c.median, c.samples.count, c.min, c.max, 100 * c.spread))
        if let one = report.oneThreadCharsPerSecond, let speedup = report.speedup {
            print(String(format: "one thread      %.0f chars/s median of %d windows run in turn with those above "
                         + "(min %.0f, max %.0f): two threads %.2f× one", one.median, one.samples.count, one.min,
                         one.max, speedup))
        }
        print(String(format: "step            %.3f ms; %.0f flop/char; %.1f GFLOP/s = %.0f%% of peak",
                     report.stepMilliseconds, report.flopsPerChar, report.gflops, 100 * report.percentOfPeak))
        print(String(format: "breakdown       from timed steps at %.0f chars/s (timer overhead %.1f%%)",
                     report.instrumentedCharsPerSecond,
                     100 * (1 - report.instrumentedCharsPerSecond / c.median))
              + (threads > 1 ? "; a half batch's phases per thread, the two threads averaged" : ""))
        print("                                    median step                fastest step")
        print("  phase                   share   ms/step   GFLOP/s  % peak   ms/step   GFLOP/s  % peak")
        func rate(_ gflops: Double?, _ percent: Double?) -> String {
            gflops.map { String(format: "%9.1f  %5.0f%%", $0, 100 * (percent ?? 0)) } ?? "        –       –"
        }
        for p in report.phases where p.millisecondsPerStep > 0 {
            print("  " + padded(p.name, 22) + String(format: " %5.1f%% %9.3f ", 100 * p.share, p.millisecondsPerStep)
                  + rate(p.gflops, p.percentOfPeak) + String(format: " %9.3f ", p.fastestMillisecondsPerStep)
                  + rate(p.fastestGFLOPS, p.fastestPercentOfPeak))
        }
        print("SIMD kernels against their scalar references")
        print("  kernel                 shape                       SIMD µs   scalar µs   speed-up")
        for k in report.kernelSpeedups {
            print("  " + padded(k.kernel, 22) + " " + padded(k.shape, 26)
                  + String(format: " %9.2f %11.2f %9.1f×", k.simdMicroseconds, k.scalarMicroseconds, k.speedup))
        }
    }
}

/// `text` padded with spaces to `width` characters (String(format:) pads `%@` by UTF-16 units, if at all).
private func padded(_ text: String, _ width: Int) -> String {
    text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
}
