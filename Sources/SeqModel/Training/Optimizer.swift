/// Which update rule turns gradients into parameter changes.
public enum OptimizerKind: String, CaseIterable, Sendable {
    /// SGD with heavy-ball momentum (PyTorch's form): buf = μ·buf + g, θ −= lr·buf.
    case sgd
    /// Kingma & Ba (2015), with bias correction.
    case adam
    /// Duchi, Hazan & Singer (2011): per-coordinate steps shrink with the accumulated squared gradient.
    case adagrad
}

/// The hyper-parameters of an update rule other than the learning rate (which a schedule owns).
public struct OptimizerSettings: Equatable, Sendable {
    public var kind: OptimizerKind
    public var momentum: Float = 0.9
    public var beta1: Float = 0.9
    public var beta2: Float = 0.999
    public var epsilon: Float = 1e-8

    public init(kind: OptimizerKind) {
        self.kind = kind
        if kind == .adagrad { epsilon = 1e-10 }
    }
}

/// An update rule with its per-parameter state (moments, velocities, accumulators), which checkpoints save so
/// that a resumed run continues exactly.
public final class Optimizer: @unchecked Sendable {
    public let settings: OptimizerSettings
    /// Updates taken so far (Adam's bias correction needs it).
    public internal(set) var step: Int = 0
    /// State tensors, named `<parameter>.<slot>`: Adam `m`, `v`; SGD `velocity`; Adagrad `sum`.
    public let state: [(name: String, tensor: Tensor)]
    private let parameters: [Parameter]

    public init(settings: OptimizerSettings, parameters: [Parameter]) {
        self.settings = settings
        self.parameters = parameters
        let slots: [String]
        switch settings.kind {
        case .adam: slots = ["m", "v"]
        case .sgd: slots = ["velocity"]
        case .adagrad: slots = ["sum"]
        }
        state = parameters.flatMap { p in slots.map { (name: "\(p.name).\($0)", tensor: Tensor(p.shape)) } }
    }

    /// Restores the step count (from a checkpoint; the state tensors are filled in place by the loader).
    public func restore(step: Int) { self.step = step }

    /// Applies one update to every parameter from its `grad`.
    public func update(learningRate lr: Float) {
        step += 1
        let s = settings
        let perParameter = state.count / max(parameters.count, 1)
        for (i, p) in parameters.enumerated() {
            let first = state[i * perParameter].tensor.data
            switch s.kind {
            case .adam:
                adamUpdate(param: p.value.data, grad: p.grad.data, m: first, v: state[i * 2 + 1].tensor.data,
                           count: p.value.count, lr: lr, beta1: s.beta1, beta2: s.beta2, eps: s.epsilon, step: step)
            case .sgd:
                sgdMomentumUpdate(param: p.value.data, grad: p.grad.data, velocity: first,
                                  count: p.value.count, lr: lr, momentum: s.momentum)
            case .adagrad:
                adagradUpdate(param: p.value.data, grad: p.grad.data, accumulator: first,
                              count: p.value.count, lr: lr, eps: s.epsilon)
            }
        }
    }
}
