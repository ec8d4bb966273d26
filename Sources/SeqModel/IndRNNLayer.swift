import SeqKernels
/// One IndRNN layer (Li et al. 2018) over a window of T steps and B sequences:
///
///     h_t = act(W_ih x_t + u⊙h_{t−1} + b)
///
/// Each unit has one recurrent weight u_j and sees only its own past, so ∂h_t/∂h_{t−1} is diagonal,
/// u⊙act'(·): the gradient reaching k steps back is a product of k such factors per unit, which a bound on |u|
/// keeps from exploding. No H × H product: per window one input product, per step one pass over B × H values.
final class IndRNNLayer: RecurrentLayer {
    let index: Int
    let inputWidth: Int
    let hidden: Int
    let activation: Activation
    /// W_ihᵀ, [in × H].
    let inputWeight: Parameter
    /// u, [H]: unit j's weight on its own previous state.
    let recurrentWeight: Parameter
    /// b, [H].
    let bias: Parameter
    /// |u_j| ≤ bound after every update, when the initialisation prescribes one (`Initialization.indRNN`).
    let recurrentBound: Float?

    init(index: Int, inputWidth: Int, hidden: Int, activation: Activation, recurrentBound: Float?) {
        self.index = index
        self.inputWidth = inputWidth
        self.hidden = hidden
        self.activation = activation
        self.recurrentBound = recurrentBound
        inputWeight = Parameter(name: "rnn.weight_ih_l\(index)", shape: [inputWidth, hidden], storedTransposed: true)
        recurrentWeight = Parameter(name: "rnn.weight_hh_l\(index)", shape: [hidden])
        bias = Parameter(name: "rnn.bias_ih_l\(index)", shape: [hidden])
    }

    private init(sharingWeightsOf other: IndRNNLayer) {
        (index, inputWidth, hidden, activation) = (other.index, other.inputWidth, other.hidden, other.activation)
        recurrentBound = other.recurrentBound
        inputWeight = Parameter(sharingValueOf: other.inputWeight)
        recurrentWeight = Parameter(sharingValueOf: other.recurrentWeight)
        bias = Parameter(sharingValueOf: other.bias)
    }

    var parameters: [Parameter] { [inputWeight, recurrentWeight, bias] }

    func replica() -> any RecurrentLayer { IndRNNLayer(sharingWeightsOf: self) }

    func constrainWeights() {
        guard let bound = recurrentBound else { return }
        let u = recurrentWeight.value
        for j in 0..<hidden { u[j] = min(max(u[j], -bound), bound) }
    }

    func forward(_ ws: Workspace, input: LayerInput) {
        let (T, B, H) = (ws.steps, ws.batch, hidden)
        var mark = ws.clockReading()
        projectWindowInput(input, rows: T * B, inputWeight: inputWeight, into: ws.state(index, 1))
        ws.lap(.inputProjection, &mark)
        for t in 1...T {
            indrnnForwardPointwise(activation, z: ws.state(index, t), u: recurrentWeight.value.data,
                                   bias: bias.value.data, hPrev: ws.state(index, t - 1), rows: B, hidden: H)
        }
        ws.lap(.activations, &mark)
    }

    /// BPTT (see `RecurrentLayer`); `ws.stateGrads[index]` is left holding ∂L/∂z_t. `probe` records ‖∂L/∂h_t‖.
    func backward(_ ws: Workspace, input: LayerInput, inputGrad: UnsafeMutablePointer<Float>?, probe: GradientProbe?) {
        let (T, B, H) = (ws.steps, ws.batch, hidden)
        let (grads, initialGrad) = (ws.stateGrads[index].data, ws.initialStateGrads[index].data)
        var mark = ws.clockReading()
        for t in stride(from: T, through: 1, by: -1) {
            let g = grads + (t - 1) * B * H
            probe?.record(layer: index, step: t, grad: g, rows: B, cols: H)
            indrnnBackwardPointwise(activation, h: ws.state(index, t), grad: g, u: recurrentWeight.value.data,
                                    hPrev: ws.state(index, t - 1), dhPrev: t > 1 ? g - B * H : initialGrad,
                                    accumulate: t > 1, uGrad: recurrentWeight.grad.data, rows: B, hidden: H)
        }
        ws.lap(.activations, &mark)
        probe?.record(layer: index, step: 0, grad: initialGrad, rows: B, cols: H)
        addColumnSums(grads, rows: T * B, cols: H, ld: H, into: bias.grad.data)
        accumulateInputWeightGradient(input, rows: T * B, inputWeight: inputWeight, grads: grads)
        ws.lap(.weightGradient, &mark)
        if let inputGrad {
            inputGradient(rows: T * B, inputWeight: inputWeight, grads: grads, into: inputGrad)
            ws.lap(.inputGradient, &mark)
        }
    }
}
