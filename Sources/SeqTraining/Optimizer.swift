import SeqKernels
import SeqModel
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
    /// Decoupled weight decay λ (Loshchilov & Hutter 2019, PyTorch's AdamW): before each update every weight
    /// matrix is multiplied by 1 − lr·λ, apart from the gradient step. Biases are not decayed. 0 = none.
    public var weightDecay: Float = 0

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
    /// One state tensor of one parameter (Adam `m`, `v`; SGD `velocity`; Adagrad `sum`), shaped like it.
    public struct Slot: Sendable {
        public let parameter: Parameter
        public let slot: String
        public let tensor: Tensor
        /// `<parameter>.<slot>`, the name checkpoints use.
        public var name: String { "\(parameter.name).\(slot)" }
    }

    /// Every state tensor, parameter by parameter.
    public let state: [Slot]
    private let parameters: [Parameter]
    /// state, grouped by parameter: the tensors each update rule reads and writes.
    private let slotsByParameter: [[Tensor]]

    public init(settings: OptimizerSettings, parameters: [Parameter]) {
        self.settings = settings
        self.parameters = parameters
        let names: [String]
        switch settings.kind {
        case .adam: names = ["m", "v"]
        case .sgd: names = ["velocity"]
        case .adagrad: names = ["sum"]
        }
        slotsByParameter = parameters.map { p in names.map { _ in Tensor(p.shape) } }
        state = zip(parameters, slotsByParameter).flatMap { p, tensors in
            zip(names, tensors).map { Slot(parameter: p, slot: $0, tensor: $1) }
        }
    }

    /// Restores the step count (from a checkpoint; the state tensors are filled in place by the loader).
    public func restore(step: Int) { self.step = step }

    /// Applies one update to every parameter from its `grad`.
    public func update(learningRate lr: Float) {
        step += 1
        let s = settings
        for (p, slots) in zip(parameters, slotsByParameter) {
            if s.weightDecay > 0 && p.shape.count == 2 { scale(p.value.data, count: p.value.count, by: 1 - lr * s.weightDecay) }
            let first = slots[0].data
            switch s.kind {
            case .adam:
                adamUpdate(param: p.value.data, grad: p.grad.data, m: first, v: slots[1].data,
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
