import ArgumentParser
import Foundation
import Tokenizer
import SeqKernels
import SeqModel
import SeqTraining

/// `nlp-vanish train`: a character language model on a corpus, with validation, checkpoints and exact resume.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a character-level RNN language model.",
        discussion: "Ctrl-C saves DIR/last.safetensors and exits 130; --resume continues exactly.")

    @Option(help: "A text file or a folder of .txt files.")
    var corpus: String = CorpusLocation.defaultPath
    @OptionGroup var text: TextOptions
    @Option(help: "tanh, relu or sigmoid.")
    var activation: Activation = .tanh
    @Option(name: .customLong("init"), help: "default, xavier, orthogonal, identity or normal (with @gain/@scale/@sigma). [xavier; identity for relu]")
    var initialization: String?
    @Option(help: "Hidden units per layer (1…4096).")
    var hidden = 256
    @Option(help: "Recurrent layers (1…16).")
    var layers = 2
    @Option(name: .customLong("seq-len"), help: "BPTT window T in steps (1…4096).")
    var seqLen = 64
    @Option(help: "Sequences per batch (1…1024).")
    var batch = 32
    @Option(help: "Updates to run (ignored with --epochs).")
    var steps = 3000
    @Option(help: "Passes over the training text instead of a step count.")
    var epochs: Int?
    @Option(help: "Learning rate. [adam 2e-3, sgd 0.1, adagrad 0.05]")
    var lr: Float?
    @Option(help: "adam, sgd or adagrad.")
    var optimizer: OptimizerKind = .adam
    @Option(help: "Gradient clipping by global norm (0 = off).")
    var clip: Float = 5
    @Option(name: .customLong("val-fraction"), help: "Tail of each file held out for validation (0.01…0.5).")
    var valFraction = 0.1
    @Option(help: "Random seed.")
    var seed: UInt64 = 1
    @Option(help: "Output folder. [runs/<timestamp>]")
    var out: String?
    @Option(help: "Continue from a checkpoint written by train (last.safetensors).")
    var resume: String?
    @Option(name: .customLong("eval-every"), help: "Steps between validations and checkpoints.")
    var evalEvery = 250
    @Option(name: .customLong("sample-every"), help: "Steps between printed samples (0 = never).")
    var sampleEvery = 500
    @Option(help: "Threads (1 or 2): each window is two half-batches, one per thread; results are identical either way.")
    var threads = 1

    func validate() throws {
        try requireNetworkShape(hidden: hidden, layers: layers, seqLen: seqLen, batch: batch)
        try requireRange(steps, "steps", 1...10_000_000)
        if let epochs { try requireRange(epochs, "epochs", 1...10_000) }
        try requireRange(evalEvery, "eval-every", 1...10_000_000)
        try requireRange(sampleEvery, "sample-every", 0...10_000_000)
        try requireRange(threads, "threads", 1...2)
        try requireUpdateSettings(lr: lr, clip: clip)
        guard valFraction >= 0.01, valFraction <= 0.5 else {
            throw ValidationError("--val-fraction must be between 0.01 and 0.5 (got \(valFraction))")
        }
        if let initialization, Initialization(name: initialization) == nil {
            throw ValidationError("--init: unknown '\(initialization)'; use default, xavier, orthogonal, identity or normal")
        }
        try checkMemory(parameters: layers * (hidden * hidden * 2 + hidden) + hidden * 512,
                        activations: (seqLen + 1) * batch * hidden * layers * 2 + seqLen * batch * 512)
    }

    func run() throws {
        Interrupt.install()
        let run = try TrainingRun(self)
        try run.start()
    }
}
