import SeqKernels
import SeqModel
/// A recurrent network's activation and initialisation together: `tanh:xavier`, `relu:identity`, …
///
/// Results always name both, because the initialisation decides as much as the activation whether gradients
/// survive: relu with PyTorch's default init loses them within a few steps, relu with an identity W_hh keeps them.
public struct Variant: Hashable, Sendable, CustomStringConvertible {
    public var activation: Activation
    public var initialization: Initialization

    public init(activation: Activation, initialization: Initialization) {
        self.activation = activation
        self.initialization = initialization
    }

    /// Parses `activation:init` (e.g. `relu:identity`, `tanh:orthogonal@0.9`).
    public init?(_ text: String) {
        let parts = text.split(separator: ":", maxSplits: 1)
        guard parts.count == 2, let a = Activation(rawValue: String(parts[0])), a != .identity,
              let i = Initialization(name: String(parts[1])) else { return nil }
        activation = a
        initialization = i
    }

    public var description: String { "\(activation.rawValue):\(initialization.name)" }

    /// The five variants of the default study.
    public static let defaults: [Variant] = ["sigmoid:xavier", "tanh:default", "tanh:xavier", "relu:default", "relu:identity"]
        .compactMap(Variant.init)

    /// The learning rate each variant gets with Adam unless overridden: the IRNN needs a small one (it
    /// oscillates at 1e-3); the squashing variants learn faster at 1e-3.
    public var defaultLearningRate: Float {
        switch (activation, initialization) {
        case (.relu, .identity): return 1e-4
        case (.relu, _): return 3e-4
        default: return 1e-3
        }
    }
}
