import ArgumentParser
import Foundation
import SeqKernels
import SeqModel
import SeqTraining

/// The usual learning rate of each update rule for `train` (what the README's defaults were tuned with); the
/// GRU takes Adam at 7e-3, the best of 3e-3…1e-2 with and without weight drop (docs/language-model.md).
func defaultLearningRate(_ kind: OptimizerKind, cell: Cell) -> Float {
    switch kind {
    case .adam: return cell == .gru ? 7e-3 : 2e-3
    case .sgd: return 0.1
    case .adagrad: return 0.05
    }
}

/// The table sizes `train --direct-bits` accepts, and a checkpoint may declare: 2^16 to 2^26 weights.
let directBitsRange = 16...26

/// The weight drop `train` uses without --weight-drop: measured for the GRU only (docs/language-model.md).
func defaultWeightDrop(cell: Cell) -> Float {
    cell == .gru ? 0.05 : 0
}

/// The initialisation a bare activation gets: Xavier for the squashing ones, the IRNN's identity for relu.
func defaultInitialization(_ activation: Activation) -> Initialization {
    activation == .relu ? .identity(scale: 1) : .xavier(gain: 1)
}

/// A network's cell, nonlinearity and initialisation as a command's flags give them, checked together.
struct CellChoice: Equatable {
    var cell: Cell
    var activation: Activation
    var initialization: Initialization

    /// `activation` and `initialization` as typed (nil when absent); `horizon` is the number of steps the
    /// network's memory must span (the window, or the task's distance), which the IndRNN's initialisation needs.
    /// Defaults: tanh for the Elman cell and relu for the IndRNN; Xavier (identity for relu) for the Elman
    /// cell, PyTorch's for the LSTM and GRU, and the paper's `indrnn@T` for the IndRNN.
    init(cell: Cell, activation: Activation?, initialization: String?, horizon: Int) throws {
        self.cell = cell
        if let activation, !cell.usesActivation {
            throw ValidationError("--activation \(activation.rawValue): the \(cell.rawValue.uppercased()) has its own "
                                  + "nonlinearities; --activation applies to --cell rnn or indrnn")
        }
        self.activation = activation ?? (cell == .indrnn ? .relu : .tanh)
        guard let name = initialization else {
            switch cell {
            case .rnn: self.initialization = defaultInitialization(self.activation)
            case .lstm, .gru: self.initialization = .pytorchDefault
            case .indrnn: self.initialization = .indRNN(horizon: horizon)
            }
            return
        }
        guard let parsed = Initialization(name: name)?.resolved(horizon: horizon) else {
            throw ValidationError("--init: unknown '\(name)'; use default, xavier, orthogonal, identity or normal "
                                  + "(with @gain/@scale/@sigma), forget1 (lstm) or indrnn (indrnn)")
        }
        guard parsed.applies(to: cell) else {
            throw ValidationError("--init \(name) does not apply to --cell \(cell.rawValue); "
                                  + "it takes \(Self.initializations(for: cell))")
        }
        self.initialization = parsed
    }

    /// The initialisations `cell` accepts, for messages.
    static func initializations(for cell: Cell) -> String {
        switch cell {
        case .rnn: "default, xavier, orthogonal, identity or normal"
        case .lstm: "default, forget1, xavier, orthogonal or normal"
        case .gru: "default, xavier, orthogonal or normal"
        case .indrnn: "indrnn, default, identity or normal"
        }
    }
}

/// Refuses a network too large for the host's memory before allocating it, with its size estimate.
func checkMemory(parameters: Int, activations: Int, limitBytes: Int = 16 << 30) throws {
    // parameters: value, gradient and up to two optimizer slots; activations: states, gradients, outputs.
    let bytes = Double(parameters) * 4 * 4 + Double(activations) * 4
    guard bytes <= Double(limitBytes) else {
        throw ValidationError(String(format: "this model would need about %.1f GB of memory (limit %.0f GB); "
                                     + "reduce --hidden, --layers, --batch or --seq-len", bytes / 1e9, Double(limitBytes) / 1e9))
    }
}

/// An integer flag, checked with a message that names the flag and its range.
func requireRange(_ value: Int, _ flag: String, _ range: ClosedRange<Int>) throws {
    guard range.contains(value) else {
        throw ValidationError("--\(flag) must be between \(range.lowerBound) and \(range.upperBound) (got \(value))")
    }
}

/// The shape of a trained network, with the same limits wherever a command builds one (`train`, `profile`).
func requireNetworkShape(hidden: Int, layers: Int, seqLen: Int, batch: Int) throws {
    try requireRange(hidden, "hidden", 1...4096)
    try requireRange(layers, "layers", 1...16)
    try requireRange(seqLen, "seq-len", 1...4096)
    try requireRange(batch, "batch", 1...1024)
}

/// The tail of each corpus file held out for validation, with the same limits wherever the corpus is split
/// (`train`, `baseline`).
func requireValidationFraction(_ fraction: Double) throws {
    guard fraction >= 0.01, fraction <= 0.5 else {
        throw ValidationError("--val-fraction must be between 0.01 and 0.5 (got \(fraction))")
    }
}

/// The optimizer's step size (when given) and the clipping norm, wherever a command trains (`train`, `study`).
func requireUpdateSettings(lr: Float?, clip: Float) throws {
    if let lr, !(lr > 0 && lr.isFinite) { throw ValidationError("--lr must be a positive number (got \(lr))") }
    guard clip >= 0, clip.isFinite else { throw ValidationError("--clip must be ≥ 0 (got \(clip))") }
}
