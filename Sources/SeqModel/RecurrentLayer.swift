import SeqKernels

/// Where a layer's input comes from.
enum LayerInput {
    /// Token ids [T·B]: the input projection is a row gather of W_ihᵀ (never a product with a one-hot vector).
    case tokens(UnsafePointer<Int32>)
    /// Real inputs [T·B × in]: the dense input, or the layer below's states h₁…h_T.
    case dense(UnsafePointer<Float>)
}

/// One layer of a recurrent stack, forward and backward over a window held in a `Workspace`.
///
/// `forward` fills the layer's states h₁…h_T (and whatever its cell keeps for the backward) from h₀ and the
/// input. `backward` runs BPTT: on entry `ws.stateGrads[index]` holds ∂L/∂h_t from above (t = 1…T); on exit the
/// parameter gradients have been accumulated, `ws.initialStateGrads[index]` holds ∂L/∂h₀ (and, for the LSTM,
/// `ws.initialCellGrads[index]` ∂L/∂c₀), and `inputGrad`, if given, has received ∂L/∂x_t, [T·B × in].
protocol RecurrentLayer: AnyObject {
    var index: Int { get }
    /// In checkpoint order: W_ih, W_hh (u for the IndRNN), the bias or biases.
    var parameters: [Parameter] { get }
    func forward(_ ws: Workspace, input: LayerInput)
    func backward(_ ws: Workspace, input: LayerInput, inputGrad: UnsafeMutablePointer<Float>?, probe: GradientProbe?)
    /// A layer computing with this one's weights (the same tensors) into gradients of its own.
    func replica() -> any RecurrentLayer
    /// Puts the weights back into the set they are confined to after an update (the IndRNN's bound on u).
    func constrainWeights()
}

extension RecurrentLayer {
    func constrainWeights() {}
}

/// out[T·B × N] = x_t·W_ihᵀ for every step of the window at once (`rows` = T·B): a row gather for tokens, one
/// GEMM for a dense input. W_ihᵀ is [in × N].
func projectWindowInput(_ input: LayerInput, rows: Int, inputWeight: Parameter, into out: UnsafeMutablePointer<Float>) {
    let (inputWidth, n) = (inputWeight.shape[0], inputWeight.shape[1])
    switch input {
    case .tokens(let ids):
        gatherRows(table: inputWeight.value.data, ldTable: n, indices: ids, count: rows, cols: n, out: out, ldOut: n,
                   accumulate: false)
    case .dense(let x):
        gemm(m: rows, n: n, k: inputWidth, a: x, lda: inputWidth, transA: false, b: inputWeight.value.data, ldb: n,
             transB: false, c: out, ldc: n, accumulate: false)
    }
}

/// ∂L/∂W_ihᵀ += Σ_t x_tᵀ·grads_t over the whole window (a scatter-add of rows for tokens), from `grads`
/// [T·B × N] = ∂L/∂(x_t·W_ihᵀ).
func accumulateInputWeightGradient(_ input: LayerInput, rows: Int, inputWeight: Parameter, grads: UnsafePointer<Float>) {
    let (inputWidth, n) = (inputWeight.shape[0], inputWeight.shape[1])
    switch input {
    case .tokens(let ids):
        scatterAddRows(src: grads, ldSrc: n, indices: ids, count: rows, cols: n, table: inputWeight.grad.data, ldTable: n)
    case .dense(let x):
        gemm(m: inputWidth, n: n, k: rows, a: x, lda: inputWidth, transA: true, b: grads, ldb: n, transB: false,
             c: inputWeight.grad.data, ldc: n, accumulate: true)
    }
}

/// ∂L/∂x = grads·W_ih over the whole window, [T·B × in], for the layer below.
func inputGradient(rows: Int, inputWeight: Parameter, grads: UnsafePointer<Float>, into dx: UnsafeMutablePointer<Float>) {
    let (inputWidth, n) = (inputWeight.shape[0], inputWeight.shape[1])
    gemm(m: rows, n: inputWidth, k: n, a: grads, lda: n, transA: false, b: inputWeight.value.data, ldb: n,
         transB: true, c: dx, ldc: inputWidth, accumulate: false)
}
