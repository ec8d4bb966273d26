import SeqKernels
/// One Elman layer over a window of T steps and B sequences:
///
///     z_t = W_ih x_t + W_hh h_{t−1} + b          h_t = act(z_t)
///
/// and its backward pass (BPTT), side by side. Weights are stored transposed ([in × out]) so that every product
/// is a row-major GEMM over a batch of rows; every weight gradient is one GEMM over the window (K = T·B), and
/// the products per step — x_t·W_ih (a row gather for tokens), h_{t−1}·W_hh and its backward — run on weights
/// packed once per window.
final class ElmanLayer: RecurrentLayer {
    let index: Int
    let inputWidth: Int
    let hidden: Int
    let activation: Activation
    /// W_ihᵀ, [in × H]. For one-hot input, row v is the input projection of token v.
    let inputWeight: Parameter
    /// W_hhᵀ, [H × H]: row i holds the weights from h_{t−1}[i] to every unit.
    let recurrentWeight: Parameter
    /// b = b_ih + b_hh, [H] (PyTorch keeps two biases; only their sum matters).
    let bias: Parameter
    /// The recurrent weight packed into GEMM panels for the T per-step products of a window (`gemmPackedB`):
    /// W_hhᵀ at each forward, W_hh (∂L/∂h_{t−1} = ∂L/∂z_t · W_hh) at each backward.
    private let packedRecurrentWeight: Tensor
    /// x_t·W_ihᵀ and ∂L/∂x_t step by step, on W_ih packed once per window.
    private let inputProjection: StepInputProjection

    init(index: Int, inputWidth: Int, hidden: Int, activation: Activation) {
        self.index = index
        self.inputWidth = inputWidth
        self.hidden = hidden
        self.activation = activation
        inputWeight = Parameter(name: "rnn.weight_ih_l\(index)", shape: [inputWidth, hidden], storedTransposed: true)
        recurrentWeight = Parameter(name: "rnn.weight_hh_l\(index)", shape: [hidden, hidden], storedTransposed: true)
        bias = Parameter(name: "rnn.bias_ih_l\(index)", shape: [hidden])
        packedRecurrentWeight = Tensor([packedPanelCount(k: hidden, n: hidden)])
        inputProjection = StepInputProjection(inputWeight)
    }

    /// A layer computing with `other`'s weights into gradients of its own (see `Parameter(sharingValueOf:)`).
    init(sharingWeightsOf other: ElmanLayer) {
        index = other.index
        inputWidth = other.inputWidth
        hidden = other.hidden
        activation = other.activation
        inputWeight = Parameter(sharingValueOf: other.inputWeight)
        recurrentWeight = Parameter(sharingValueOf: other.recurrentWeight)
        bias = Parameter(sharingValueOf: other.bias)
        packedRecurrentWeight = Tensor([packedPanelCount(k: hidden, n: hidden)])
        inputProjection = StepInputProjection(inputWeight)
    }

    var parameters: [Parameter] { [inputWeight, recurrentWeight, bias] }

    func replica() -> any RecurrentLayer { ElmanLayer(sharingWeightsOf: self) }

    /// Fills states h₁…h_T of this layer in `ws` from h₀ and the input.
    func forward(_ ws: Workspace, input: LayerInput) {
        let (T, B, H) = (ws.steps, ws.batch, hidden)
        var mark = ws.clockReading()
        inputProjection.prepareForward(input)
        packGEMMPanels(recurrentWeight.value.data, ldb: H, transB: false, k: H, n: H, into: packedRecurrentWeight.data)
        for t in 1...T {
            let h = ws.state(index, t)
            // The input's share of z_t, just before the recurrent product adds to it (see `StepInputProjection`;
            // one GEMM over the window was slower, docs/kernels.md).
            inputProjection.project(input, step: t, batch: B, into: h, ldOut: H)
            ws.lap(.inputProjection, &mark)
            gemmPackedB(m: B, n: H, k: H, a: ws.state(index, t - 1), lda: H, packedB: packedRecurrentWeight.data,
                        c: h, ldc: H, accumulate: true)
            ws.lap(.recurrentForward, &mark)
            biasActivationForward(activation, h, rows: B, cols: H, ld: H, bias: bias.value.data)
            ws.lap(.activations, &mark)
        }
    }

    /// BPTT through the window (see `RecurrentLayer`); `ws.stateGrads[index]` is left holding ∂L/∂z_t. `probe`
    /// records ‖∂L/∂h_t‖ at every step.
    func backward(_ ws: Workspace, input: LayerInput, inputGrad: UnsafeMutablePointer<Float>?, probe: GradientProbe?) {
        let (T, B, H) = (ws.steps, ws.batch, hidden)
        let grads = ws.stateGrads[index].data
        let initialGrad = ws.initialStateGrads[index].data
        var mark = ws.clockReading()
        packGEMMPanels(recurrentWeight.value.data, ldb: H, transB: true, k: H, n: H, into: packedRecurrentWeight.data)
        ws.lap(.recurrentBackward, &mark)
        // A gradient for the layer below comes step by step too, while ∂L/∂z_t is in cache.
        if inputGrad != nil {
            inputProjection.prepareBackward()
            ws.lap(.inputGradient, &mark)
        }

        // On entry to step t, grads(t) holds ∂L/∂h_t in full: from above, plus ∂L/∂z_{t+1}·W_hh, which step t+1
        // accumulated straight into it (the GEMM adds to what is there, so no separate carry buffer or add).
        for t in stride(from: T, through: 1, by: -1) {
            let g = grads + (t - 1) * B * H
            probe?.record(layer: index, step: t, grad: g, rows: B, cols: H)
            activationBackward(activation, y: ws.state(index, t), dy: g, dz: g, count: B * H)
            ws.lap(.activations, &mark)
            gemmPackedB(m: B, n: H, k: H, a: g, lda: H, packedB: packedRecurrentWeight.data,
                        c: t > 1 ? g - B * H : initialGrad, ldc: H, accumulate: t > 1)
            ws.lap(.recurrentBackward, &mark)
            if let dx = inputGrad {
                inputProjection.gradient(step: t, batch: B, grads: g, ldGrads: H, into: dx)
                ws.lap(.inputGradient, &mark)
            }
        }
        probe?.record(layer: index, step: 0, grad: initialGrad, rows: B, cols: H)

        // ∂L/∂W_hhᵀ = Σ_t h_{t−1}ᵀ ∂L/∂z_t: states h₀…h_{T−1} are one contiguous [T·B × H] block.
        gemm(m: H, n: H, k: T * B, a: ws.state(index, 0), lda: H, transA: true,
             b: grads, ldb: H, transB: false, c: recurrentWeight.grad.data, ldc: H, accumulate: true)
        addColumnSums(grads, rows: T * B, cols: H, ld: H, into: bias.grad.data)
        switch input {
        case .tokens(let ids):
            scatterAddRows(src: grads, ldSrc: H, indices: ids, count: T * B, cols: H,
                           table: inputWeight.grad.data, ldTable: H)
            ws.lap(.weightGradient, &mark)
        case .dense(let x):
            gemm(m: inputWidth, n: H, k: T * B, a: x, lda: inputWidth, transA: true,
                 b: grads, ldb: H, transB: false, c: inputWeight.grad.data, ldc: H, accumulate: true)
            ws.lap(.weightGradient, &mark)
        }
    }
}
