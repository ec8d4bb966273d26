import SeqKernels
/// One GRU layer (Cho et al. 2014) as PyTorch's `nn.GRU` computes it, over a window of T steps and B sequences:
///
///     r = σ(W_ir x + b_ir + W_hr h₋ + b_hr)      z = σ(W_iz x + b_iz + W_hz h₋ + b_hz)
///     n = tanh(W_in x + b_in + r⊙(W_hn h₋ + b_hn))      h_t = (1 − z)⊙n + z⊙h₋
///
/// and its backward pass. The reset gate scales W_hn h₋ + b_hn, so b_hn cannot be folded into b_in: the layer
/// keeps both of PyTorch's biases. Per step one input product [B × in]·[in × 3H], one recurrent product
/// [B × H]·[H × 3H] and one pass (`gruForwardPointwise`) for the gates and the update; the backward likewise,
/// with each weight gradient one GEMM over the window.
final class GRULayer: RecurrentLayer {
    let index: Int
    let inputWidth: Int
    let hidden: Int
    /// W_ihᵀ, [in × 3H], gate blocks (r, z, n).
    let inputWeight: Parameter
    /// W_hhᵀ, [H × 3H].
    let recurrentWeight: Parameter
    /// b_ih, [3H].
    let inputBias: Parameter
    /// b_hh, [3H].
    let recurrentBias: Parameter
    /// W_hhᵀ packed into GEMM panels for the forward's per-step products, W_hh for the backward's.
    private let packedRecurrentWeight: Tensor
    /// x_t·W_ihᵀ and ∂L/∂x_t step by step, on W_ih packed once per window.
    private let inputProjection: StepInputProjection

    init(index: Int, inputWidth: Int, hidden: Int) {
        self.index = index
        self.inputWidth = inputWidth
        self.hidden = hidden
        inputWeight = Parameter(name: "rnn.weight_ih_l\(index)", shape: [inputWidth, 3 * hidden], storedTransposed: true)
        recurrentWeight = Parameter(name: "rnn.weight_hh_l\(index)", shape: [hidden, 3 * hidden], storedTransposed: true)
        inputBias = Parameter(name: "rnn.bias_ih_l\(index)", shape: [3 * hidden])
        recurrentBias = Parameter(name: "rnn.bias_hh_l\(index)", shape: [3 * hidden])
        packedRecurrentWeight = Self.packedBuffer(hidden)
        inputProjection = StepInputProjection(inputWeight)
    }

    private init(sharingWeightsOf other: GRULayer) {
        (index, inputWidth, hidden) = (other.index, other.inputWidth, other.hidden)
        inputWeight = Parameter(sharingValueOf: other.inputWeight)
        recurrentWeight = Parameter(sharingValueOf: other.recurrentWeight)
        inputBias = Parameter(sharingValueOf: other.inputBias)
        recurrentBias = Parameter(sharingValueOf: other.recurrentBias)
        packedRecurrentWeight = Self.packedBuffer(hidden)
        inputProjection = StepInputProjection(inputWeight)
    }

    private static func packedBuffer(_ h: Int) -> Tensor {
        Tensor([max(packedPanelCount(k: h, n: 3 * h), packedPanelCount(k: 3 * h, n: h))])
    }

    var parameters: [Parameter] { [inputWeight, recurrentWeight, inputBias, recurrentBias] }

    func replica() -> any RecurrentLayer { GRULayer(sharingWeightsOf: self) }

    func forward(_ ws: Workspace, input: LayerInput) {
        let (T, B, H) = (ws.steps, ws.batch, hidden)
        let (gates, products, candidates) = (ws.gates[index].data, ws.recurrentProducts.data, ws.recurrentCandidates[index].data)
        var mark = ws.clockReading()
        inputProjection.prepareForward(input)
        ws.lap(.inputProjection, &mark)
        packGEMMPanels(recurrentWeight.value.data, ldb: 3 * H, transB: false, k: H, n: 3 * H,
                       into: packedRecurrentWeight.data)
        ws.lap(.recurrentForward, &mark)
        for t in 1...T {
            inputProjection.project(input, step: t, batch: B, into: gates + (t - 1) * B * 3 * H, ldOut: 3 * H)
            ws.lap(.inputProjection, &mark)
            gemmPackedB(m: B, n: 3 * H, k: H, a: ws.state(index, t - 1), lda: H, packedB: packedRecurrentWeight.data,
                        c: products, ldc: 3 * H, accumulate: false)
            ws.lap(.recurrentForward, &mark)
            gruForwardPointwise(gates: gates + (t - 1) * B * 3 * H, recurrent: products, biasInput: inputBias.value.data,
                                biasRecurrent: recurrentBias.value.data, hPrev: ws.state(index, t - 1),
                                hn: candidates + (t - 1) * B * H, h: ws.state(index, t), rows: B, hidden: H)
            ws.lap(.activations, &mark)
        }
    }

    /// BPTT (see `RecurrentLayer`); `probe` records ‖∂L/∂h_t‖ at every step.
    func backward(_ ws: Workspace, input: LayerInput, inputGrad: UnsafeMutablePointer<Float>?, probe: GradientProbe?) {
        let (T, B, H) = (ws.steps, ws.batch, hidden)
        let (grads, gates, candidates) = (ws.stateGrads[index].data, ws.gates[index].data, ws.recurrentCandidates[index].data)
        let (dInput, dRecurrent) = (ws.gateGrads[index].data, ws.recurrentGateGrads[index].data)
        let initialGrad = ws.initialStateGrads[index].data
        var mark = ws.clockReading()
        packGEMMPanels(recurrentWeight.value.data, ldb: 3 * H, transB: true, k: 3 * H, n: H,
                       into: packedRecurrentWeight.data)
        ws.lap(.recurrentBackward, &mark)
        if inputGrad != nil {
            inputProjection.prepareBackward()
            ws.lap(.inputGradient, &mark)
        }
        // On entry to step t, grads(t) holds ∂L/∂h_t in full: from above, plus what step t+1 sent back (its direct
        // path z⊙dh and its product with W_hh, both added in place).
        for t in stride(from: T, through: 1, by: -1) {
            let g = grads + (t - 1) * B * H
            let dPrev = t > 1 ? g - B * H : initialGrad
            let dr = dRecurrent + (t - 1) * B * 3 * H
            probe?.record(layer: index, step: t, grad: g, rows: B, cols: H)
            gruBackwardPointwise(gates: gates + (t - 1) * B * 3 * H, hn: candidates + (t - 1) * B * H,
                                 hPrev: ws.state(index, t - 1), dh: g, dInput: dInput + (t - 1) * B * 3 * H,
                                 dRecurrent: dr, dhPrev: dPrev, accumulate: t > 1, rows: B, hidden: H)
            ws.lap(.activations, &mark)
            gemmPackedB(m: B, n: H, k: 3 * H, a: dr, lda: 3 * H, packedB: packedRecurrentWeight.data,
                        c: dPrev, ldc: H, accumulate: true)
            ws.lap(.recurrentBackward, &mark)
            if let dx = inputGrad {
                inputProjection.gradient(step: t, batch: B, grads: dInput + (t - 1) * B * 3 * H, ldGrads: 3 * H,
                                         into: dx)
                ws.lap(.inputGradient, &mark)
            }
        }
        probe?.record(layer: index, step: 0, grad: initialGrad, rows: B, cols: H)

        gemm(m: H, n: 3 * H, k: T * B, a: ws.state(index, 0), lda: H, transA: true,
             b: dRecurrent, ldb: 3 * H, transB: false, c: recurrentWeight.grad.data, ldc: 3 * H, accumulate: true)
        addColumnSums(dRecurrent, rows: T * B, cols: 3 * H, ld: 3 * H, into: recurrentBias.grad.data)
        addColumnSums(dInput, rows: T * B, cols: 3 * H, ld: 3 * H, into: inputBias.grad.data)
        accumulateInputWeightGradient(input, rows: T * B, inputWeight: inputWeight, grads: dInput)
        ws.lap(.weightGradient, &mark)
    }
}
