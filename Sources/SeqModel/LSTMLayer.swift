import SeqKernels
/// One LSTM layer (Hochreiter & Schmidhuber 1997, with the forget gate of Gers et al. 2000) as PyTorch's
/// `nn.LSTM` computes it, over a window of T steps and B sequences:
///
///     (i, f, g, o) = (σ, σ, tanh, σ)(W_ih x_t + W_hh h_{t−1} + b)      c_t = f⊙c_{t−1} + i⊙g      h_t = o⊙tanh(c_t)
///
/// and its backward pass. The four gates are four blocks of H columns in one product: per step the input product
/// [B × in]·[in × 4H] and the recurrent product [B × H]·[H × 4H] into the same rows, then one pass
/// (`lstmForwardPointwise`) for the nonlinearities and the cell update. The backward mirrors it: one pass per step
/// for the gates' gradients and the cell-state carry, one product for ∂L/∂h_{t−1} and one for ∂L/∂x_t, and each
/// weight gradient one GEMM over the window.
final class LSTMLayer: RecurrentLayer {
    let index: Int
    let inputWidth: Int
    let hidden: Int
    /// W_ihᵀ, [in × 4H], gate blocks (i, f, g, o).
    let inputWeight: Parameter
    /// W_hhᵀ, [H × 4H].
    let recurrentWeight: Parameter
    /// b = b_ih + b_hh, [4H] (only the sum enters the equations; checkpoints write b_hh as zeros).
    let bias: Parameter
    /// W_hhᵀ packed into GEMM panels for the forward's per-step products, W_hh for the backward's.
    private let packedRecurrentWeight: Tensor
    /// x_t·W_ihᵀ and ∂L/∂x_t step by step, on W_ih packed once per window.
    private let inputProjection: StepInputProjection

    init(index: Int, inputWidth: Int, hidden: Int) {
        self.index = index
        self.inputWidth = inputWidth
        self.hidden = hidden
        inputWeight = Parameter(name: "rnn.weight_ih_l\(index)", shape: [inputWidth, 4 * hidden], storedTransposed: true)
        recurrentWeight = Parameter(name: "rnn.weight_hh_l\(index)", shape: [hidden, 4 * hidden], storedTransposed: true)
        bias = Parameter(name: "rnn.bias_ih_l\(index)", shape: [4 * hidden])
        packedRecurrentWeight = Self.packedBuffer(hidden)
        inputProjection = StepInputProjection(inputWeight)
    }

    private init(sharingWeightsOf other: LSTMLayer) {
        (index, inputWidth, hidden) = (other.index, other.inputWidth, other.hidden)
        inputWeight = Parameter(sharingValueOf: other.inputWeight)
        recurrentWeight = Parameter(sharingValueOf: other.recurrentWeight)
        bias = Parameter(sharingValueOf: other.bias)
        packedRecurrentWeight = Self.packedBuffer(hidden)
        inputProjection = StepInputProjection(inputWeight)
    }

    private static func packedBuffer(_ h: Int) -> Tensor {
        Tensor([max(packedPanelCount(k: h, n: 4 * h), packedPanelCount(k: 4 * h, n: h))])
    }

    var parameters: [Parameter] { [inputWeight, recurrentWeight, bias] }

    func replica() -> any RecurrentLayer { LSTMLayer(sharingWeightsOf: self) }

    func forward(_ ws: Workspace, input: LayerInput) {
        let (T, B, H) = (ws.steps, ws.batch, hidden)
        let gates = ws.gates[index].data
        var mark = ws.clockReading()
        inputProjection.prepareForward(input)
        ws.lap(.inputProjection, &mark)
        packGEMMPanels(recurrentWeight.value.data, ldb: 4 * H, transB: false, k: H, n: 4 * H,
                       into: packedRecurrentWeight.data)
        ws.lap(.recurrentForward, &mark)
        let cellTanh = ws.cellTanh[index].data
        for t in 1...T {
            let z = gates + (t - 1) * B * 4 * H
            inputProjection.project(input, step: t, batch: B, into: z, ldOut: 4 * H)
            ws.lap(.inputProjection, &mark)
            gemmPackedB(m: B, n: 4 * H, k: H, a: ws.state(index, t - 1), lda: H, packedB: packedRecurrentWeight.data,
                        c: z, ldc: 4 * H, accumulate: true)
            ws.lap(.recurrentForward, &mark)
            lstmForwardPointwise(gates: z, bias: bias.value.data, cPrev: ws.cellState(index, t - 1),
                                 c: ws.cellState(index, t), cTanh: cellTanh + (t - 1) * B * H, h: ws.state(index, t),
                                 rows: B, hidden: H)
            ws.lap(.activations, &mark)
        }
    }

    /// BPTT (see `RecurrentLayer`); `probe` records ‖∂L/∂h_t‖ and ‖∂L/∂c_t‖ at every step.
    func backward(_ ws: Workspace, input: LayerInput, inputGrad: UnsafeMutablePointer<Float>?, probe: GradientProbe?) {
        let (T, B, H) = (ws.steps, ws.batch, hidden)
        let (grads, gates, dGates) = (ws.stateGrads[index].data, ws.gates[index].data, ws.gateGrads[index].data)
        let (initialGrad, cellTanh) = (ws.initialStateGrads[index].data, ws.cellTanh[index].data)
        // ∂L/∂c carried from step t+1 into step t; none comes from beyond the window. After step 1 it is ∂L/∂c₀.
        let dc = ws.initialCellGrads[index].data
        dc.update(repeating: 0, count: B * H)
        let cellGrad = probe == nil ? nil : ws.cellGradScratch.data
        var mark = ws.clockReading()
        packGEMMPanels(recurrentWeight.value.data, ldb: 4 * H, transB: true, k: 4 * H, n: H,
                       into: packedRecurrentWeight.data)
        ws.lap(.recurrentBackward, &mark)
        if inputGrad != nil {
            inputProjection.prepareBackward()
            ws.lap(.inputGradient, &mark)
        }
        // On entry to step t, grads(t) holds ∂L/∂h_t in full: from above, plus ∂L/∂z_{t+1}·W_hh added by step t+1.
        for t in stride(from: T, through: 1, by: -1) {
            let g = grads + (t - 1) * B * H
            let dz = dGates + (t - 1) * B * 4 * H
            probe?.record(layer: index, step: t, grad: g, rows: B, cols: H)
            lstmBackwardPointwise(gates: gates + (t - 1) * B * 4 * H, cPrev: ws.cellState(index, t - 1),
                                  cTanh: cellTanh + (t - 1) * B * H, dh: g, dc: dc, dGates: dz, cellGrad: cellGrad,
                                  rows: B, hidden: H)
            if let cellGrad { probe?.recordCell(layer: index, step: t, grad: cellGrad, rows: B, cols: H) }
            ws.lap(.activations, &mark)
            gemmPackedB(m: B, n: H, k: 4 * H, a: dz, lda: 4 * H, packedB: packedRecurrentWeight.data,
                        c: t > 1 ? g - B * H : initialGrad, ldc: H, accumulate: t > 1)
            ws.lap(.recurrentBackward, &mark)
            if let dx = inputGrad {
                inputProjection.gradient(step: t, batch: B, grads: dz, ldGrads: 4 * H, into: dx)
                ws.lap(.inputGradient, &mark)
            }
        }
        probe?.record(layer: index, step: 0, grad: initialGrad, rows: B, cols: H)
        probe?.recordCell(layer: index, step: 0, grad: dc, rows: B, cols: H)

        // ∂L/∂W_hhᵀ = Σ_t h_{t−1}ᵀ ∂L/∂z_t over the contiguous h₀…h_{T−1}; ∂L/∂b the column sums.
        gemm(m: H, n: 4 * H, k: T * B, a: ws.state(index, 0), lda: H, transA: true,
             b: dGates, ldb: 4 * H, transB: false, c: recurrentWeight.grad.data, ldc: 4 * H, accumulate: true)
        addColumnSums(dGates, rows: T * B, cols: 4 * H, ld: 4 * H, into: bias.grad.data)
        accumulateInputWeightGradient(input, rows: T * B, inputWeight: inputWeight, grads: dGates)
        ws.lap(.weightGradient, &mark)
    }
}
