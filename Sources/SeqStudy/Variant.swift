import SeqKernels
import SeqModel
/// A recurrent network's cell, activation and initialisation together: `tanh:xavier`, `relu:identity`, `lstm`,
/// `lstm:forget1`, `gru:orthogonal`, `indrnn`, …
///
/// Results always name the initialisation, because it decides as much as the activation whether gradients
/// survive: relu with PyTorch's default init loses them within a few steps, relu with an identity W_hh keeps them.
public struct Variant: Hashable, Sendable, CustomStringConvertible {
    public var cell: Cell
    /// The Elman cell's nonlinearity (relu for the IndRNN; unused by the LSTM and GRU).
    public var activation: Activation
    /// As written; an IndRNN's `indrnn` takes its horizon from the task (`initialization(horizon:)`).
    public var initialization: Initialization

    public init(activation: Activation, initialization: Initialization, cell: Cell = .rnn) {
        self.cell = cell
        self.activation = activation
        self.initialization = initialization
    }

    /// Parses `activation:init` for the Elman cell (`relu:identity`, `tanh:orthogonal@0.9`), or a gated or
    /// independent cell with an optional initialisation (`lstm`, `lstm:forget1`, `gru:orthogonal`, `indrnn`).
    public init?(_ text: String) {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        if let cell = Cell(rawValue: parts[0]), cell != .rnn {
            let initialization = parts.count == 2 ? Initialization(name: parts[1]) : Self.defaultInitialization(cell)
            guard let initialization, initialization.applies(to: cell) else { return nil }
            self.init(activation: cell == .indrnn ? .relu : .tanh, initialization: initialization, cell: cell)
            return
        }
        guard parts.count == 2, let a = Activation(rawValue: parts[0]), a != .identity,
              let i = Initialization(name: parts[1]), i.applies(to: .rnn) else { return nil }
        self.init(activation: a, initialization: i)
    }

    /// PyTorch's for the LSTM and GRU, the paper's for the IndRNN.
    static func defaultInitialization(_ cell: Cell) -> Initialization {
        cell == .indrnn ? .indRNN(horizon: 0) : .pytorchDefault
    }

    public var description: String {
        switch cell {
        case .rnn: return "\(activation.rawValue):\(initialization.name)"
        case .lstm, .gru, .indrnn:
            return initialization == Self.defaultInitialization(cell)
                ? cell.rawValue : "\(cell.rawValue):\(initialization.name)"
        }
    }

    /// The initialisation for sequences of `horizon` steps.
    public func initialization(horizon: Int) -> Initialization { initialization.resolved(horizon: horizon) }

    /// The five variants of the default study.
    public static let defaults: [Variant] = ["sigmoid:xavier", "tanh:default", "tanh:xavier", "relu:default", "relu:identity"]
        .compactMap(Variant.init)

    /// The main job's eight: the five Elman variants and the remedies people use — an LSTM with forget bias 1,
    /// a GRU and an IndRNN.
    public static let controls: [Variant] = defaults + ["lstm:forget1", "gru", "indrnn"].compactMap(Variant.init)

    /// The learning rate each variant gets with Adam unless overridden: the IRNN needs a small one (it
    /// oscillates at 1e-3); the squashing variants and the gated cells learn faster at 1e-3; the IndRNN gets its
    /// paper's 2e-4.
    public var defaultLearningRate: Float {
        switch (cell, activation, initialization) {
        case (.indrnn, _, _): return 2e-4
        case (.lstm, _, _), (.gru, _, _): return 1e-3
        case (_, .relu, .identity): return 1e-4
        case (_, .relu, _): return 3e-4
        default: return 1e-3
        }
    }
}
