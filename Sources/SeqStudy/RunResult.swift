import SeqModel

/// One point of a run's training curve (measured on fresh test sequences every `evalEvery` steps).
public struct CurvePoint: Codable, Equatable, Sendable {
    public var step: Int
    public var loss: Double
    /// Accuracy on the scored steps (classification tasks); nil for the adding task.
    public var accuracy: Double?
    /// The LSTM's forget gates or the GRU's update gates on the last test batch, mean over layers: the share
    /// above 0.97 (holding the state) and below 0.03 (dropping it); nil for other cells.
    public var memoryGateHigh: Double?
    public var memoryGateLow: Double?
}

/// The gradient profile of one layer at one moment: norms[k] = batch mean of ‖∂L/∂h_{T−k}‖ (or, for the LSTM's
/// cell-state record, ‖∂L/∂c_{T−k}‖), k = 0…T.
public struct GradientProfileRecord: Codable, Equatable, Sendable {
    /// 0 is the first (bottom) layer.
    public var layer: Int
    /// "init" (before any update) or "final" (after the last one).
    public var phase: String
    public var norms: [Double]
    /// "c" for the gradient at the LSTM's cell state; nil (and "h" in tables) for the hidden state.
    public var quantity: String?

    public init(layer: Int, phase: String, norms: [Double], quantity: String? = nil) {
        self.layer = layer
        self.phase = phase
        self.norms = norms
        self.quantity = quantity
    }

    /// Both of a probe's profiles per layer (the cell state's only where the cell has one), each reversed so
    /// that index k is k steps back.
    static func records(_ probe: GradientProbe, phase: String, cell: Cell) -> [GradientProfileRecord] {
        var out = probe.norms.enumerated().map {
            GradientProfileRecord(layer: $0.offset, phase: phase, norms: Array($0.element.reversed()))
        }
        if cell == .lstm {
            out += probe.cellNorms.enumerated().map {
                GradientProfileRecord(layer: $0.offset, phase: phase, norms: Array($0.element.reversed()), quantity: "c")
            }
        }
        return out
    }
}

/// Everything one training run of a study measured — one row of `runs.csv` plus its curve and profiles.
public struct RunResult: Codable, Equatable, Sendable {
    public var id: String
    public var task: TaskKind
    /// The cell (`rnn`, `lstm`, `gru`, `indrnn`); nil in results written before there were others, meaning rnn.
    public var cell: String?
    public var activation: String
    public var initialization: String
    public var layers: Int
    public var hidden: Int
    public var distance: Int
    public var seed: Int
    public var learningRate: Double
    /// Updates actually taken (a run stops early once solved, or when it diverges).
    public var steps: Int
    public var solved: Bool
    /// The first evaluation step at which the run met the solve criterion.
    public var stepsToSolve: Int?
    public var testAccuracy: Double?
    public var testLoss: Double
    /// Chance accuracy (classification) or the baseline MSE (adding).
    public var chance: Double
    /// ‖∂L/∂h at the dependency's source‖ / ‖∂L/∂h at the loss step‖, first layer, batch mean, at initialisation.
    public var gradRatioInit: Double?
    public var gradRatioFinal: Double?
    /// σ_max of each layer's W_hh after training (the Elman cell), or max |u_j| (the IndRNN, whose recurrent
    /// Jacobian is diagonal); empty for the LSTM and GRU, whose stacked gate blocks have no single such bound.
    public var sigmaMaxFinal: [Double]
    /// ‖∂L/∂W_hh‖ per layer at initialisation (first layer first): how much signal each layer receives.
    public var recurrentGradNormInit: [Double]
    /// ‖∂L/∂W_hh‖ per layer after training, on the same probe batch (nil for a diverged run).
    public var recurrentGradNormFinal: [Double]?
    public var deadFraction: Double
    public var saturatedFraction: Double
    /// LSTM forget gates and GRU update gates (the gates that keep the state) on the probe batch after
    /// training: the share above 0.97 (keeping almost all) and below 0.03 (keeping almost nothing); nil for
    /// other cells.
    public var memoryGateHigh: Double?
    public var memoryGateLow: Double?
    public var clipEvents: Int
    public var diverged: Bool
    public var seconds: Double
    public var curve: [CurvePoint]
    public var profiles: [GradientProfileRecord]

    /// The cell, with `rnn` for results that predate the others.
    public var cellName: String { cell ?? Cell.rnn.rawValue }

    /// The variant as `--variants` writes it (`tanh:xavier`, `lstm`, `lstm:forget1`, `indrnn`).
    public var variant: String {
        guard let cell = Cell(rawValue: cellName), cell != .rnn else { return "\(activation):\(initialization)" }
        return initialization == Variant.defaultInitialization(cell).name ? cell.rawValue : "\(cell.rawValue):\(initialization)"
    }
}
