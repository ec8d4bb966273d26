import ArgumentParser
import Foundation
import Tokenizer
import SeqKernels
import SeqModel
import SeqTraining

/// `nlp-vanish train`: a character language model on a corpus, with validation, checkpoints and exact resume.
struct Train: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Train a character-level language model (a GRU by default; --cell rnn, lstm or indrnn).",
        discussion: "Ctrl-C saves DIR/last.safetensors and exits 130; --resume continues exactly.")

    @Option(help: "A text file or a folder of .txt files.")
    var corpus: String = CorpusLocation.defaultPath
    @OptionGroup var text: TextOptions
    @Option(help: "The recurrent cell: rnn (Elman), lstm, gru or indrnn.")
    var cell: Cell = .gru
    @Option(help: "tanh, relu or sigmoid: the nonlinearity of --cell rnn [tanh] or indrnn [relu].")
    var activation: Activation?
    @Option(name: .customLong("init"), help: "default, xavier, orthogonal, identity or normal (with @gain/@scale/@sigma); forget1 for lstm; indrnn for indrnn. [rnn: xavier, identity for relu; lstm, gru: default; indrnn: indrnn]")
    var initialization: String?
    @Option(help: "Hidden units per layer (1…4096).")
    var hidden = 320
    @Option(help: "Recurrent layers (1…16).")
    var layers = 1
    @Option(name: .customLong("seq-len"), help: "BPTT window T in steps (1…4096).")
    var seqLen = 64
    @Option(help: "Sequences per batch (1…1024).")
    var batch = 32
    @Option(help: "Updates to run (ignored with --epochs).")
    var steps = 7500
    @Option(help: "Passes over the training text instead of a step count.")
    var epochs: Int?
    @Option(help: "Learning rate. [adam 7e-3 for the GRU, 2e-3 for the other cells; sgd 0.1, adagrad 0.05]")
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
    @Flag(help: "Replace the checkpoints and log of an earlier run in --out (without it, train refuses to).")
    var force = false
    @Option(name: .customLong("eval-every"), help: "Steps between validations and checkpoints.")
    var evalEvery = 500
    @Option(name: .customLong("sample-every"), help: "Steps between printed samples (0 = never).")
    var sampleEvery = 500
    @Option(help: "Threads (1 or 2): each window is two half-batches, one per thread; results are identical either way.")
    var threads = 2
    @Option(help: "Dropout on each layer's outputs on their way up, between layers and before the decoder (0…0.9).")
    var dropout: Float = 0.1
    @Option(name: .customLong("weight-drop"), help: "Probability of dropping each recurrent connection (W_hh entry) for one update, the same mask at every step of the window (0…0.9). [gru 0.05, other cells 0]")
    var weightDrop: Float?
    @Option(name: .customLong("weight-decay"), help: "Decoupled weight decay of the weight matrices, as AdamW's (0 = none).")
    var weightDecay: Float = 0
    @Option(help: "Learning-rate schedule: constant, or cosine (linear warm-up, then a half cosine to --min-lr).")
    var schedule: ScheduleKind = .cosine
    @Option(help: "Warm-up steps of the cosine schedule.")
    var warmup = 100
    @Option(name: .customLong("min-lr"), help: "Where the cosine schedule ends. [lr / 20]")
    var minLR: Float?
    @Option(help: "Stop after this many validations in a row without a new best (0 = never stop early).")
    var patience = 0
    @Option(name: .customLong("reset-share"), help: "Share of sequences that start each window from the zero state, so the model learns to start from it (0…1).")
    var resetShare = 0.05
    @Option(name: .customLong("min-count"), help: "Characters seen fewer times in the corpus read as <unk>.")
    var minCount = 1
    @Option(name: .customLong("direct-orders"), help: "Direct connections: the last 1…K characters, hashed, add learned logits to the output (a jointly trained K+1-gram; 0…8, 0 = none).")
    var directOrders = 6
    @Option(name: .customLong("direct-bits"), help: "The direct connections' table holds 2^bits weights (16…26).")
    var directBits = 22
    @Option(name: .customLong("direct-lr"), help: "Adagrad's rate for the direct connections; it follows --schedule.")
    var directLR: Float = 0.03

    func validate() throws {
        try requireNetworkShape(hidden: hidden, layers: layers, seqLen: seqLen, batch: batch)
        try requireRange(steps, "steps", 1...10_000_000)
        if let epochs { try requireRange(epochs, "epochs", 1...10_000) }
        try requireRange(evalEvery, "eval-every", 1...10_000_000)
        try requireRange(sampleEvery, "sample-every", 0...10_000_000)
        try requireRange(threads, "threads", 1...2)
        try requireUpdateSettings(lr: lr, clip: clip)
        guard dropout >= 0, dropout <= 0.9 else { throw ValidationError("--dropout must be between 0 and 0.9 (got \(dropout))") }
        if let weightDrop, !(weightDrop >= 0 && weightDrop <= 0.9) {
            throw ValidationError("--weight-drop must be between 0 and 0.9 (got \(weightDrop))")
        }
        guard weightDecay >= 0, weightDecay.isFinite else {
            throw ValidationError("--weight-decay must be ≥ 0 (got \(weightDecay))")
        }
        try requireRange(warmup, "warmup", 0...10_000_000)
        if let minLR, !(minLR >= 0 && minLR.isFinite) { throw ValidationError("--min-lr must be ≥ 0 (got \(minLR))") }
        try requireRange(patience, "patience", 0...1_000_000)
        guard resetShare >= 0, resetShare <= 1 else {
            throw ValidationError("--reset-share must be between 0 and 1 (got \(resetShare))")
        }
        try requireRange(minCount, "min-count", 1...1_000_000)
        try requireRange(directOrders, "direct-orders", 0...DirectConnections.ordersRange.upperBound)
        try requireRange(directBits, "direct-bits", directBitsRange)
        guard directLR > 0, directLR.isFinite else { throw ValidationError("--direct-lr must be > 0 (got \(directLR))") }
        try requireValidationFraction(valFraction)
        let choice = try cellChoice
        let gates = choice.cell.gateCount
        try checkMemory(parameters: layers * gates * (hidden * hidden * 2 + 2 * hidden) + hidden * 512,
                        activations: (seqLen + 1) * batch * hidden * layers * (4 + 3 * gates) + seqLen * batch * 512)
    }

    /// The cell, nonlinearity and initialisation the flags ask for (the IndRNN's horizon is the window).
    var cellChoice: CellChoice {
        get throws { try CellChoice(cell: cell, activation: activation, initialization: initialization, horizon: seqLen) }
    }

    /// --weight-drop, or the cell's default.
    var weightDropProbability: Float { weightDrop ?? defaultWeightDrop(cell: cell) }

    func run() throws {
        Interrupt.install()
        let run = try TrainingRun(self)
        try run.start()
    }
}

/// How `train` changes the learning rate over the run.
enum ScheduleKind: String, ExpressibleByArgument, CaseIterable {
    case constant
    case cosine
}
