/// One point of a run's training curve (measured on fresh test sequences every `evalEvery` steps).
public struct CurvePoint: Codable, Equatable, Sendable {
    public var step: Int
    public var loss: Double
    /// Accuracy on the scored steps (classification tasks); nil for the adding task.
    public var accuracy: Double?
}

/// The gradient profile of one layer at one moment: norms[k] = batch mean of ‖∂L/∂h_{T−k}‖, k = 0…T.
public struct GradientProfileRecord: Codable, Equatable, Sendable {
    /// 0 is the first (bottom) layer.
    public var layer: Int
    /// "init" (before any update) or "final" (after the last one).
    public var phase: String
    public var norms: [Double]
}

/// Everything one training run of a study measured — one row of `runs.csv` plus its curve and profiles.
public struct RunResult: Codable, Equatable, Sendable {
    public var id: String
    public var task: TaskKind
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
    /// σ_max of each layer's W_hh after training.
    public var sigmaMaxFinal: [Double]
    /// ‖∂L/∂W_hh‖ per layer at initialisation (first layer first): how much signal each layer receives.
    public var recurrentGradNormInit: [Double]
    /// ‖∂L/∂W_hh‖ per layer after training, on the same probe batch (nil for a diverged run).
    public var recurrentGradNormFinal: [Double]?
    public var deadFraction: Double
    public var saturatedFraction: Double
    public var clipEvents: Int
    public var diverged: Bool
    public var seconds: Double
    public var curve: [CurvePoint]
    public var profiles: [GradientProfileRecord]

    public var variant: String { "\(activation):\(initialization)" }
}
